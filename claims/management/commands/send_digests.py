"""Send each person their daily digest of notifications (run it once a day from cron)."""

from django.core.management.base import BaseCommand

from claims.review import notifications


class Command(BaseCommand):
    help = (
        "Email each person the notifications they chose to get as a daily digest, and retry "
        "immediate ones the worker could not send. Safe to run twice."
    )

    def handle(self, *args, **options):
        sent = notifications.send_digests()
        self.stdout.write(f"{sent} email{'s' if sent != 1 else ''} sent.")
