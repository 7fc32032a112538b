"""PDF and bundle reports too slow to build inside a request, built by the task worker.

Laying out a claim with WeasyPrint takes about 0.05 s, and each of its citations 0.01 s more,
so a PDF of a few hundred claims already runs past gunicorn's 30 s timeout. Before it serves
a PDF or bundle the report page estimates the build time from what the report holds
(`estimated_seconds`); past REPORT_INLINE_SECONDS it offers to prepare the file instead:
`request_report_file()` records the request and queues `build_report_file_task`, which calls
`build_report_file()`; the page polls the row until the file is in media storage, then links
to it.

Builds are expensive, so asking twice for the same file gives the one already being built,
and each person has at most REPORT_FILES_PER_USER builds waiting or running at a time.
"""

from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Length
from django.tasks import task

from claims import jobs
from claims.models import ClaimStatus, Investigation, ReportFile, Source
from claims.reporting import reports
from claims.reporting.formats import FORMATS, export_report

# Formats slow enough to build in the background.
BACKGROUND_FORMATS = ("pdf", "bundle")


class ReportSize(NamedTuple):
    claims: int
    citations: int
    text_chars: int
    # Claims in the report without a signed-off verdict: a report holding any is a draft.
    unverified: int = 0


class BuildCost(NamedTuple):
    """Seconds of building per claim, per citation and per million characters of text."""

    per_claim: float
    per_citation: float
    per_million_chars: float


# Measured with benchmarks/report_cost.py (benchmarks/results/report_cost.json): CPU seconds
# of builds on 2 cores, SQLite, fitted by least squares over investigations that differ in one
# thing at a time. 120 claims with one citation each: PDF 6.9 s, bundle 7.0 s; 240 claims:
# 15.0 s and 12.8 s; 120 claims with five citations each: 12.0 s and 13.0 s; 2 million more
# characters of source text: 7.3 s and 8.3 s. 480 claims with three citations each (the PDF
# that ran past gunicorn's 30 s): PDF 43.0 s measured, 42.3 s estimated; bundle 41.4 s and
# 41.0 s. The time is WeasyPrint laying out each claim and each citation under it (the bundle
# holds the PDF too). Texts are not printed; they fitted at -0.2 s (PDF) and 0.8 s (bundle)
# per million characters, and a pseudonymized report searches every text for names (about
# 0.3 s per million measured), so the PDF counts 0.4 s.
BUILD_COSTS = {
    "pdf": BuildCost(per_claim=0.052, per_citation=0.012, per_million_chars=0.4),
    "bundle": BuildCost(per_claim=0.041, per_citation=0.015, per_million_chars=0.8),
}


def report_size(investigation, options=None):
    """What a report of `investigation` with `options` (a ReportOptions; the defaults when
    None) holds, counted in one query (the report page spends it on every load), with how
    many of its claims are not verified (the page calls such a report a draft)."""
    options = options or reports.ReportOptions()
    texts = Source.objects.filter(investigation=investigation)
    claimed = reports.reported_claims(investigation, options)
    claims, citations, text_chars, unverified = (
        Investigation.objects.filter(pk=investigation.pk)
        .values_list(
            reports.scalar(claimed, "COUNT", F("pk")),
            reports.scalar(reports.reported_citations(investigation, options), "COUNT", F("pk")),
            reports.scalar(texts, "SUM", Length("text")),
            reports.scalar(claimed.exclude(status=ClaimStatus.VERIFIED), "COUNT", F("pk")),
        )
        .get()
    )
    return ReportSize(claims, citations, text_chars or 0, unverified)


def estimated_seconds(format_name, size):
    """Roughly how long building `format_name` of a report of `size` takes (0 for formats
    that are cheap whatever the size: they stream or are plain text)."""
    cost = BUILD_COSTS.get(format_name)
    if cost is None:
        return 0.0
    return (
        cost.per_claim * size.claims
        + cost.per_citation * size.citations
        + cost.per_million_chars * size.text_chars / 1_000_000
    )


def is_built_in_background(format_name, size):
    """True when `format_name` of a report of `size` (a ReportSize) is too slow to build
    inside a request: its estimate exceeds REPORT_INLINE_SECONDS."""
    return (
        format_name in BACKGROUND_FORMATS
        and estimated_seconds(format_name, size) > settings.REPORT_INLINE_SECONDS
    )


class TooManyReportFiles(Exception):
    """The person already has REPORT_FILES_PER_USER report files waiting or being built."""


def request_report_file(investigation, format_name, options, *, query="", requested_by=None):
    """Queue a build of the report in `format_name` after commit, unless the same one is
    under way.

    `options` is a ReportOptions; `query` the report page's query string it came from.
    Returns the ReportFile: one pending or running with the same investigation, format and
    options if there is one (whoever asked for it), else a new pending one. Raises KeyError
    for a format not built in the background, and TooManyReportFiles when `requested_by`
    has REPORT_FILES_PER_USER builds in progress.
    """
    if format_name not in BACKGROUND_FORMATS:
        raise KeyError(format_name)
    wanted = asdict(options)
    with transaction.atomic():
        _lock_requests_of(requested_by)
        same = ReportFile.objects.filter(
            investigation=investigation,
            format_name=format_name,
            status__in=(ReportFile.Status.PENDING, ReportFile.Status.RUNNING),
        )
        # Options compared here rather than in SQL: JSON equality differs between databases.
        for report_file in same:
            if report_file.options == wanted and report_file.is_in_progress:
                return report_file
        _check_builds_of(requested_by)
        report_file = ReportFile.objects.create(
            investigation=investigation,
            requested_by=requested_by,
            format_name=format_name,
            options=wanted,
            query=query,
        )
        _enqueue_on_commit(report_file)
    return report_file


def retry_report_file(report_file, *, requested_by=None):
    """Queue `report_file` again after it failed or its worker stopped (interrupted or
    stale, see jobs.py); it goes back to pending, asked for by `requested_by`.

    Returns the ReportFile; one that is in progress or ready is returned as it is. Raises
    TooManyReportFiles like request_report_file().
    """
    with transaction.atomic():
        _lock_requests_of(requested_by)
        report_file = ReportFile.objects.select_for_update().get(pk=report_file.pk)
        if not report_file.can_be_retried:
            return report_file
        _check_builds_of(requested_by)
        report_file.status = ReportFile.Status.PENDING
        report_file.requested_by = requested_by
        report_file.error = ""
        report_file.queued_at = datetime.now(UTC)
        report_file.started_at = report_file.finished_at = None
        report_file.save(
            update_fields=[
                "status",
                "requested_by",
                "error",
                "queued_at",
                "started_at",
                "finished_at",
            ]
        )
        _enqueue_on_commit(report_file)
    return report_file


def _lock_requests_of(user):
    """Take a lock that serializes one person's requests until the transaction ends, so that
    two quick clicks cannot both pass the checks (on SQLite, whose write transactions begin
    IMMEDIATE, they are serialized anyway)."""
    if user is not None:
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))


def _check_builds_of(user):
    if user is None:
        return
    limit = settings.REPORT_FILES_PER_USER
    waiting = ReportFile.objects.filter(
        requested_by=user, status__in=(ReportFile.Status.PENDING, ReportFile.Status.RUNNING)
    )
    if sum(1 for report_file in waiting if report_file.is_in_progress) >= limit:
        noun = "report" if limit == 1 else "reports"
        raise TooManyReportFiles(
            f"You already have {limit} {noun} being prepared; wait until one is ready, "
            "then ask again."
        )


def _enqueue_on_commit(report_file):
    transaction.on_commit(lambda: build_report_file_task.enqueue(report_file.pk))


def build_report_file(report_file):
    """Build the pending `report_file` into media storage and mark it done.

    Returns the ReportFile. A file another worker took already, or finished, is left alone.
    Any error marks it failed, so the page stops waiting, and propagates to the task log.
    """
    started_at = datetime.now(UTC)
    claimed = ReportFile.objects.filter(pk=report_file.pk, status=ReportFile.Status.PENDING).update(
        status=ReportFile.Status.RUNNING, started_at=started_at
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
    """Record this worker's outcome, unless the file was queued again meanwhile.

    A build declared interrupted because it ran past JOB_STALE_AFTER still finishes as done
    (nobody else is building it); once it has been retried, the retry's outcome counts, and
    a file built here is deleted rather than left in storage without a row.
    """
    finished_at = datetime.now(UTC)
    recorded = ReportFile.objects.filter(
        pk=report_file.pk, started_at=report_file.started_at
    ).update(status=status, error=error, file=report_file.file.name or "", finished_at=finished_at)
    if not recorded:
        if report_file.file:
            report_file.file.delete(save=False)
        report_file.refresh_from_db()
        return report_file
    report_file.status, report_file.error, report_file.finished_at = status, error, finished_at
    return report_file


# Shown where a build's worker died: the reason stays after a retry.
INTERRUPTED_REPORT_FILE = "The worker stopped before the file was ready."


def interrupt_report_file(report_file):
    """Record a build abandoned by its worker as interrupted; False if it finished since."""
    return bool(
        ReportFile.objects.filter(
            pk=report_file.pk, status=report_file.status, started_at=report_file.started_at
        ).update(
            status=ReportFile.Status.INTERRUPTED,
            error=INTERRUPTED_REPORT_FILE,
            finished_at=datetime.now(UTC),
        )
    )


def interrupt_stale_report_files(*, window=None):
    """Record every report file whose worker died as interrupted; returns how many."""
    return jobs.interrupt_stale_jobs(
        ReportFile.JOB, ReportFile.objects.all(), interrupt_report_file, window=window
    )


# How long a prepared report stays in media storage by default: long enough to download it
# after a weekend, short enough that copies of sensitive reports do not pile up.
KEEP_DAYS = 7


def prune_report_files(older_than=timedelta(days=KEEP_DAYS), *, now=None):
    """Delete finished report files (ready, failed or interrupted) older than `older_than`,
    rows and stored files both. Builds whose worker died are recorded as interrupted first,
    so they go too; files still waiting or being built are left. Returns how many went."""
    interrupt_stale_report_files()
    cutoff = (now or datetime.now(UTC)) - older_than
    old = ReportFile.objects.filter(status__in=ReportFile.FINISHED_STATUSES, created_at__lt=cutoff)
    # The post_delete receiver (models.py) removes each row's stored file after commit.
    with transaction.atomic():
        _, per_model = old.delete()
    return per_model.get(ReportFile._meta.label, 0)


@task
def build_report_file_task(report_file_id):
    """The background task: build the file `request_report_file` recorded."""
    build_report_file(ReportFile.objects.select_related("investigation").get(pk=report_file_id))
