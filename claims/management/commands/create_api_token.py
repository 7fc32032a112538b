"""`manage.py create_api_token --user USERNAME --name NAME [--read-only]`: print a new token."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.access import tokens


class Command(BaseCommand):
    help = (
        "Make a personal API token for a user and print it (only this once: just its hash is "
        "stored). The token acts as the user, with their roles; --read-only tokens only read."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, metavar="USERNAME")
        parser.add_argument("--name", required=True, help="what the token is for")
        parser.add_argument("--read-only", action="store_true", help="refuse every change")

    def handle(self, *args, **options):
        users = get_user_model().objects
        user = users.filter(**{users.model.USERNAME_FIELD: options["user"]}).first()
        if user is None:
            raise CommandError(f"No user named {options['user']!r}.")
        try:
            _row, token = tokens.create_token(
                user, name=options["name"], is_read_only=options["read_only"]
            )
        except tokens.TokenRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(token)
