"""`manage.py export_investigation SLUG --out FILE.zip`: everything, for another installation."""

from django.core.management.base import BaseCommand, CommandError

from claims.models import Investigation
from claims.reporting.transfer import export_investigation


class Command(BaseCommand):
    help = (
        "Write a whole investigation (members by username, sources, claims, evidence with "
        "snapshots, uploaded files and collection logs, decided similar-claim links, verdicts, "
        "comments, history) to a zip for import_investigation."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--out", required=True, metavar="FILE.zip")

    def handle(self, *args, **options):
        investigation = Investigation.objects.filter(slug=options["slug"]).first()
        if investigation is None:
            raise CommandError(f"No investigation with slug {options['slug']!r}.")
        try:
            export_investigation(investigation, options["out"])
        except OSError as error:
            raise CommandError(f"Cannot write {options['out']}: {error.strerror}.") from error
        self.stdout.write(f"Exported '{investigation.slug}' to {options['out']}.")
