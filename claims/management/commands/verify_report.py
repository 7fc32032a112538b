"""`manage.py verify_report BUNDLE.zip`: check a report bundle offline."""

from django.core.management.base import BaseCommand, CommandError

from claims.reporting.formats.bundle import verify_bundle


class Command(BaseCommand):
    # Reads a zip and nothing else: no database, so no system checks.
    requires_system_checks = ()
    help = (
        "Check a report bundle: every file against the manifest's SHA-256, every source text "
        "against its recorded hash, every quote at its offsets, every sign-off digest against "
        "the content the report shows. Exits 1 on any problem."
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
        self.stdout.write(_signoff_summary(check))
        if check.unverified_claims:
            self.stdout.write(
                f"DRAFT: {check.unverified_claims} of the {check.claims_in_report} claims are "
                "not verified (no verdict signed off by a second reviewer)."
            )
        if check.manifest_sha256:
            self.stdout.write(f"Manifest SHA-256: {check.manifest_sha256}")
        if check.report_sha256:
            self.stdout.write(f"Report SHA-256:   {check.report_sha256}")
        if not check.is_valid:
            count = len(check.problems)
            raise CommandError(f"{count} problem{'s' if count != 1 else ''}: the bundle FAILS.")
        self.stdout.write(
            "OK: every file matches the manifest, every quote is where the report says and "
            "every sign-off digest it gives recomputes from what it shows. "
            "Compare the SHA-256 values above with the ones the publisher announced."
        )


def _signoff_summary(check):
    parts = [
        f"{check.recomputed_signoffs} recomputed",
        f"{check.mismatched_signoffs} mismatched",
    ]
    if check.withheld_signoffs:
        parts.append(f"{check.withheld_signoffs} not recomputable (pseudonymized)")
    if check.unrecorded_signoffs:
        parts.append(f"{check.unrecorded_signoffs} signed off without a digest in the report")
    return f"Sign-offs: {', '.join(parts)}."
