"""`manage.py find_similar --investigation SLUG`: (re)compute similar-claim links."""

from django.core.management.base import BaseCommand, CommandError

from claims.corroboration import matching
from claims.models import Investigation


class Command(BaseCommand):
    help = (
        "Index every claim of an investigation and suggest links between claims that say the "
        "same thing or the opposite (after an import, or for the demo). Decided links stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("--investigation", required=True, metavar="SLUG")

    def handle(self, *args, **options):
        slug = options["investigation"]
        investigation = Investigation.objects.filter(slug=slug).first()
        if investigation is None:
            raise CommandError(f"No investigation with the slug {slug!r}.")

        def progress(done, total):
            self.stdout.write(f"  {done:,} of {total:,} claims matched")

        found = matching.recompute(investigation, progress=progress)
        self.stdout.write(f"{found} similar-claim links suggested or updated in '{slug}'.")
