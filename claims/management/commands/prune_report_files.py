"""Delete prepared PDF and bundle reports older than a number of days, files included."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from claims.reporting import report_files


class Command(BaseCommand):
    help = (
        "Delete prepared report files (PDF, bundle) that are ready or failed and older than "
        f"--days (default {report_files.KEEP_DAYS}), with their stored files. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=report_files.KEEP_DAYS)

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        removed = report_files.prune_report_files(timedelta(days=days))
        self.stdout.write(f"Deleted {removed} prepared report file(s) older than {days} day(s).")
