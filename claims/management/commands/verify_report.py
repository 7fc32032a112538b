"""`manage.py verify_report BUNDLE.zip`: check a report bundle offline."""

from django.core.management.base import BaseCommand, CommandError

from claims.report_formats.bundle import verify_bundle


class Command(BaseCommand):
    # Reads a zip and nothing else: no database, so no system checks.
    requires_system_checks = []
    help = (
        "Check a report bundle: every file against the manifest's SHA-256, every source text "
        "against its recorded hash, every quote at its offsets. Exits 1 on any problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the bundle zip")

    def handle(self, *args, **options):
        check = verify_bundle(options["path"])
        for problem in check.problems:
            self.stderr.write(f"PROBLEM {problem}")
        self.stdout.write(
            f"Checked {check.checked_files} files, {check.checked_sources} source texts, "
            f"{check.checked_claims} quotes and {check.checked_snapshots} archived pages."
        )
        if check.manifest_sha256:
            self.stdout.write(f"Manifest SHA-256: {check.manifest_sha256}")
        if check.report_sha256:
            self.stdout.write(f"Report SHA-256:   {check.report_sha256}")
        if not check.is_valid:
            count = len(check.problems)
            raise CommandError(f"{count} problem{'s' if count != 1 else ''}: the bundle FAILS.")
        self.stdout.write(
            "OK: every file matches the manifest and every quote is where the report says. "
            "Compare the SHA-256 values above with the ones the publisher announced."
        )
