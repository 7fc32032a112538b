"""`manage.py import_investigation FILE.zip`: create an investigation from an export."""

from django.core.management.base import BaseCommand, CommandError

from claims.reporting.transfer import TransferError, import_investigation


class Command(BaseCommand):
    help = (
        "Create the investigation stored in a file written by export_investigation. A damaged "
        "or foreign file changes nothing. Unknown users are created inactive."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="FILE.zip")

    def handle(self, *args, **options):
        try:
            with open(options["path"], "rb") as archive:
                investigation = import_investigation(archive)
        except OSError as error:
            raise CommandError(f"Cannot read {options['path']}: {error.strerror}.") from error
        except TransferError as error:
            raise CommandError(f"Nothing imported. {error}") from error
        claims = investigation.claims.count()
        self.stdout.write(
            f"Imported '{investigation.slug}': {investigation.sources.count()} sources, "
            f"{claims} claims."
        )
        for note in investigation.transfer_notes:
            self.stdout.write(f"Note: {note}")
