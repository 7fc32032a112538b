"""Record background jobs whose worker died (captures, extractions, report files) as
interrupted, so that pages offer a retry and finished report files can be pruned."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from claims.abandoned_jobs import interrupt_all
from claims.models import Snapshot


class Command(BaseCommand):
    help = (
        "Mark captures, source extractions and report files pending or running for longer "
        "than JOB_STALE_AFTER seconds, with no live task in the queue, as interrupted. Run it "
        "before starting the task worker, or from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help=(
                "No task worker is running now (give it only then, e.g. just before starting "
                "the only one): every job left running is interrupted whatever its age. Jobs "
                "whose task still waits in the queue are left for the worker."
            ),
        )

    def handle(self, *args, no_worker=False, **options):
        counts = interrupt_all(window=timedelta(0) if no_worker else None)
        for kind, count in counts.items():
            outcome = " as failed" if kind is Snapshot.JOB else ""  # a capture fails for good
            self.stdout.write(f"Marked {count} interrupted {kind.name}(s){outcome}.")
