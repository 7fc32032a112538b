"""Remove a user's second factor (a lost phone and lost recovery codes), from the server."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.access import second_factor


class Command(BaseCommand):
    help = (
        "Remove USERNAME's phone app and recovery codes and log out their sessions, so they "
        "can log in with the password and set up a new second factor. Check who is asking "
        "before you run it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, metavar="USERNAME")

    def handle(self, *args, **options):
        users = get_user_model().objects
        try:
            user = users.get_by_natural_key(options["user"])
        except users.model.DoesNotExist:
            raise CommandError(f"No user named {options['user']!r}.") from None
        if not second_factor.has_second_factor(user):
            raise CommandError(f"{user.get_username()} has no second factor to reset.")
        second_factor.disable(user, reason="reset")
        self.stdout.write(f"Second factor of {user.get_username()} removed, and its sessions.")
