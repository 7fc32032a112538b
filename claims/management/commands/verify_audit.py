"""`manage.py verify_audit [--investigation SLUG]`: check the audit history's hash chain."""

from django.core.management.base import BaseCommand, CommandError

from claims.models import Investigation
from claims.review import audit


class Command(BaseCommand):
    help = (
        "Check each investigation's audit history from its first event to the head it records: "
        "every event's SHA-256, seq and link to the one before. Prints one line per "
        "investigation; exits 1 naming the first bad event when a row was changed, deleted, "
        "inserted or reordered outside the workbench."
    )

    def add_arguments(self, parser):
        parser.add_argument("--investigation", metavar="SLUG", help="only this investigation")

    def handle(self, *args, **options):
        investigations = Investigation.objects.order_by("slug")
        if options["investigation"]:
            investigations = investigations.filter(slug=options["investigation"])
            if not investigations.exists():
                raise CommandError(f"No investigation with slug {options['investigation']!r}.")
        failures = []
        for investigation in investigations:
            result = audit.verify(investigation)
            if result.is_intact:
                events = f"{result.events} event{'' if result.events == 1 else 's'}"
                self.stdout.write(
                    f"{investigation.slug}: {events}, intact; head seq "
                    f"{result.head_seq} SHA-256 {result.head_sha256}"
                )
            else:
                failure = f"{investigation.slug}: {result.problem}"
                self.stderr.write(f"FAILS {failure}")
                failures.append(failure)
        if failures:
            others = f" (and {len(failures) - 1} more investigations)" if len(failures) > 1 else ""
            raise CommandError(f"Audit history does not verify: {failures[0]}{others}.")
