"""Mark captures whose worker died mid-capture as failed, so that they can be retried."""

from django.core.management.base import BaseCommand

from claims import capture
from claims.models import Snapshot


class Command(BaseCommand):
    help = (
        "Mark evidence captures still running after CAPTURE_STALE_AFTER seconds as failed "
        f"({Snapshot.INTERRUPTED!r}). Run it before starting the task worker, or from cron."
    )

    def handle(self, *args, **options):
        marked = capture.fail_stale_captures()
        self.stdout.write(f"Marked {marked} interrupted capture(s) as failed.")
