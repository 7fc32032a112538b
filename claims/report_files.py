"""PDF and bundle reports of large investigations, built by the task worker.

Laying out thousands of claims with WeasyPrint, or zipping every format, takes longer than a
request should. For an investigation with more than BACKGROUND_FROM_CLAIMS claims the report
page asks for the file instead: `request_report_file()` records the request and queues
`tasks.build_report_file`, which calls `build_report_file()`; the page polls the row until
the file is in media storage, then links to it. Smaller investigations are served directly.
"""

from dataclasses import asdict
from datetime import UTC, datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction

from claims import reports
from claims.models import ReportFile
from claims.report_formats import FORMATS, export_report

# Formats slow enough to build in the background, and the size from which they are.
BACKGROUND_FORMATS = ("pdf", "bundle")
BACKGROUND_FROM_CLAIMS = 500


def is_built_in_background(format_name, claim_count):
    return format_name in BACKGROUND_FORMATS and claim_count > BACKGROUND_FROM_CLAIMS


def request_report_file(investigation, format_name, options, *, query="", requested_by=None):
    """Record a request for the report in `format_name` and queue its build after commit.

    `options` is a ReportOptions; `query` the report page's query string it came from.
    Returns the pending ReportFile. Raises KeyError for a format not built in the background.
    """
    from claims import tasks  # tasks imports this module

    if format_name not in BACKGROUND_FORMATS:
        raise KeyError(format_name)
    with transaction.atomic():
        report_file = ReportFile.objects.create(
            investigation=investigation,
            requested_by=requested_by,
            format_name=format_name,
            options=asdict(options),
            query=query,
        )
        transaction.on_commit(lambda: tasks.build_report_file.enqueue(report_file.pk))
    return report_file


def build_report_file(report_file):
    """Build the pending `report_file` into media storage and mark it done.

    Returns the ReportFile. A file another worker took already, or finished, is left alone.
    Any error marks it failed, so the page stops waiting, and propagates to the task log.
    """
    claimed = ReportFile.objects.filter(pk=report_file.pk, status=ReportFile.Status.PENDING).update(
        status=ReportFile.Status.RUNNING
    )
    report_file.refresh_from_db()
    if not claimed:
        return report_file
    investigation = report_file.investigation
    name = f"{investigation.slug}-{FORMATS[report_file.format_name].filename}"
    try:
        options = reports.ReportOptions(**report_file.options)
        data = b"".join(export_report(investigation, report_file.format_name, options))
        report_file.file.save(name, ContentFile(data), save=False)
    except Exception:
        report_file.file = ""
        _finish(report_file, ReportFile.Status.FAILED, error="The report could not be built.")
        raise
    return _finish(report_file, ReportFile.Status.DONE)


def _finish(report_file, status, error=""):
    report_file.status = status
    report_file.error = error
    report_file.finished_at = datetime.now(UTC)
    report_file.save(update_fields=["status", "error", "file", "finished_at"])
    return report_file


# How long a prepared report stays in media storage by default: long enough to download it
# after a weekend, short enough that copies of sensitive reports do not pile up.
KEEP_DAYS = 7


def prune_report_files(older_than=timedelta(days=KEEP_DAYS), *, now=None):
    """Delete finished report files (ready or failed) older than `older_than`, rows and
    stored files both. Files still waiting or being built are left. Returns how many went."""
    cutoff = (now or datetime.now(UTC)) - older_than
    finished = (ReportFile.Status.DONE, ReportFile.Status.FAILED)
    old = ReportFile.objects.filter(status__in=finished, created_at__lt=cutoff)
    # The post_delete receiver (models.py) removes each row's stored file after commit.
    with transaction.atomic():
        _, per_model = old.delete()
    return per_model.get(ReportFile._meta.label, 0)
