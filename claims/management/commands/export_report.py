"""`manage.py export_report --investigation SLUG --format FORMAT --out PATH [options]`."""

from django.core.management.base import BaseCommand, CommandError

from claims.models import Investigation
from claims.reporting.formats import FORMATS, export_report
from claims.reporting.reports import ReportOptions


class Command(BaseCommand):
    help = "Write an investigation's verification report in one format to a file."

    def add_arguments(self, parser):
        parser.add_argument("--investigation", required=True, metavar="SLUG")
        parser.add_argument("--format", required=True, choices=list(FORMATS))
        parser.add_argument("--out", required=True, metavar="PATH")
        parser.add_argument("--verified-only", action="store_true")
        parser.add_argument("--without-excerpts", action="store_true")
        parser.add_argument("--redact-reviewers", action="store_true")
        parser.add_argument("--pseudonymize", action="store_true")
        parser.add_argument(
            "--audit-appendix",
            action="store_true",
            help="HTML and PDF: each claim's audit history (who did what, when) at the end",
        )
        parser.add_argument(
            "--include-file-metadata",
            action="store_true",
            help="publish uploaded files' GPS and personal metadata and bundle the originals",
        )
        parser.add_argument("--title", default="")
        parser.add_argument("--introduction", default="")
        parser.add_argument("--publisher", default="", help="who publishes the report")
        parser.add_argument(
            "--publication-url",
            default="",
            help="where the report is published (ClaimReview url); a URN is used without it",
        )

    def handle(self, *args, **options):
        investigation = Investigation.objects.filter(slug=options["investigation"]).first()
        if investigation is None:
            raise CommandError(f"No investigation with slug {options['investigation']!r}.")
        report_options = ReportOptions(
            verified_only=options["verified_only"],
            include_excerpts=not options["without_excerpts"],
            redact_reviewers=options["redact_reviewers"],
            pseudonymize=options["pseudonymize"],
            audit_appendix=options["audit_appendix"],
            include_file_metadata=options["include_file_metadata"],
            title=options["title"],
            introduction=options["introduction"],
            publisher=options["publisher"],
            publication_url=options["publication_url"],
        )
        try:
            with open(options["out"], "wb") as out:
                for chunk in export_report(investigation, options["format"], report_options):
                    out.write(chunk)
        except OSError as error:
            raise CommandError(f"Cannot write {options['out']}: {error.strerror}.") from error
        self.stdout.write(f"Wrote {FORMATS[options['format']].label} report to {options['out']}.")
