"""`manage.py load_demo`: the demo investigation and its four users (development only)."""

from django.core.management.base import BaseCommand

from claims.devdata.demo import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = "Create the demo investigation 'almaty-2022' and its four users (idempotent)."

    def handle(self, *args, **options):
        investigation, created = load_demo()
        verb = "Created" if created else "Already present:"
        self.stdout.write(f"{verb} demo investigation '{investigation.slug}'.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role in DEMO_USERS.items():
            self.stdout.write(f"  {username:<9} {role.label}")
