"""A worker killed mid-job, for each kind of background job: capture, extraction, report file.

The tasks go through the real django-tasks-db queue. A worker takes a task as db_worker does
(the task row becomes RUNNING) and calls it; the job's domain step then raises WorkerKilled,
a BaseException nothing in the app catches, which leaves the rows as SIGKILL would: the job
"running" and its task RUNNING, for ever. Time passing is simulated by moving the rows'
timestamps into the past.
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from claims.evidence import archiving
from claims.models import ReportFile, Snapshot, Source
from claims.reporting import report_files
from claims.reporting.reports import ReportOptions
from claims.sources import marking
from tests.clients import HTMX
from tests.factories import make_source

pytestmark = pytest.mark.django_db
LONG_TEXT = "The river rose by 3.2 metres overnight. " * 20


class WorkerKilled(BaseException):
    """The worker process went away: nothing after this line runs, nothing is recorded."""


@pytest.fixture
def queue(settings):
    """Tasks go to the database queue and wait there, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.JOB_STALE_AFTER = 600


def _die(*args, **kwargs):
    raise WorkerKilled


def _run_until_killed(monkeypatch, target, name):
    """Take the waiting task like db_worker, and kill the worker inside `target.name`."""
    task_row = DBTaskResult.objects.ready().get()
    task_row.claim("doomed-worker")
    with monkeypatch.context() as patch:
        patch.setattr(target, name, _die)
        with pytest.raises(WorkerKilled):
            task_row.task.call(*task_row.task_result.args)
    task_row.refresh_from_db()
    assert task_row.status == TaskResultStatus.RUNNING  # nothing marked it otherwise
    return task_row


def _age(task_row, model, pk, **fields_and_delta):
    """Move the task's start and the job's timestamps `delta` into the past."""
    delta = fields_and_delta.pop("ago")
    past = timezone.now() - delta
    DBTaskResult.objects.filter(pk=task_row.pk).update(started_at=past)
    model.objects.filter(pk=pk).update(**{field: past for field in fields_and_delta["fields"]})


def _queued_tasks(task_path):
    return DBTaskResult.objects.ready().filter(task_path=task_path)


# Source extraction


@pytest.fixture
def killed_extraction(
    queue, settings, investigation, erin, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EXTRACTION_INLINE_MAX_CHARS = 50
    with django_capture_on_commit_callbacks(execute=True):
        source = make_source(investigation, text=LONG_TEXT, extract=True)
    task_row = _run_until_killed(monkeypatch, marking, "suggest_claims")
    source.refresh_from_db()
    assert source.extraction_status == "running"
    return source, task_row


def test_a_killed_extraction_shows_as_running_until_it_is_stale(client, erin, killed_extraction):
    source, task_row = killed_extraction
    client.force_login(erin)
    status_url = reverse("claims:source-extraction-status", args=[source.pk])
    assert 'hx-trigger="every 2s"' in client.get(status_url, **HTMX).content.decode()

    _age(task_row, Source, source.pk, fields=["extraction_started_at"], ago=timedelta(minutes=11))
    fragment = client.get(status_url, **HTMX).content.decode()
    assert "Claim extraction was interrupted" in fragment
    assert "hx-trigger" not in fragment  # the reader stops polling
    assert "Retry extraction" in fragment
    page = client.get(source.get_absolute_url()).content.decode()
    assert "Claim extraction was interrupted" in page
    assert "every 2s" not in page


def test_retrying_a_killed_extraction_really_queues_it(
    client, erin, killed_extraction, django_capture_on_commit_callbacks
):
    source, task_row = killed_extraction
    _age(task_row, Source, source.pk, fields=["extraction_started_at"], ago=timedelta(minutes=11))
    client.force_login(erin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("claims:source-extract", args=[source.pk]), follow=True)
    assert "Extraction queued" in response.content.decode()
    (queued,) = _queued_tasks("claims.sources.marking.extract_source")
    assert queued.pk != task_row.pk
    assert queued.args_kwargs["args"] == [source.pk]
    source.refresh_from_db()
    assert source.extraction_status == "pending"

    queued.claim("healthy-worker")
    queued.task.call(*queued.task_result.args)
    source.refresh_from_db()
    assert source.extraction_status == "done"
    assert source.claims.filter(status="suggested").exists()


def test_rerunning_an_extraction_under_way_queues_nothing_and_says_so(
    client, erin, killed_extraction
):
    source, _task_row = killed_extraction  # killed a minute ago: not known to be dead yet
    client.force_login(erin)
    response = client.post(reverse("claims:source-extract", args=[source.pk]), follow=True)
    body = response.content.decode()
    assert "under way already" in body
    assert "Extraction queued" not in body
    assert not _queued_tasks("claims.sources.marking.extract_source").exists()


def test_the_command_marks_a_killed_extraction_interrupted(killed_extraction):
    source, task_row = killed_extraction
    _age(task_row, Source, source.pk, fields=["extraction_started_at"], ago=timedelta(minutes=11))
    out = io.StringIO()
    call_command("interrupt_stale_jobs", stdout=out)
    assert "Marked 1 interrupted source extraction(s)." in out.getvalue()
    source.refresh_from_db()
    assert source.extraction_status == "interrupted"
    assert not source.is_extracting
    assert source.extraction_was_interrupted


# Report files


@pytest.fixture
def killed_report_file(
    queue, investigation, claim, victor, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_file = report_files.request_report_file(
            investigation, "pdf", ReportOptions(), requested_by=victor
        )
    task_row = _run_until_killed(monkeypatch, report_files, "export_report")
    report_file.refresh_from_db()
    assert report_file.status == "running"
    return report_file, task_row


def _report_file_fragment(client, report_file):
    url = reverse("claims:report-file-detail", args=[report_file.pk])
    return client.get(url, **HTMX).content.decode()


def test_a_killed_report_build_shows_as_interrupted_with_a_retry(
    client, victor, killed_report_file
):
    report_file, task_row = killed_report_file
    client.force_login(victor)
    assert "is being prepared" in _report_file_fragment(client, report_file)

    _age(task_row, ReportFile, report_file.pk, fields=["started_at"], ago=timedelta(minutes=11))
    fragment = _report_file_fragment(client, report_file)
    assert "The PDF was interrupted" in fragment
    assert "hx-trigger" not in fragment
    assert reverse("claims:report-file-retry", args=[report_file.pk]) in fragment


def test_retrying_a_killed_report_build_queues_it_again(
    client, victor, killed_report_file, django_capture_on_commit_callbacks
):
    report_file, task_row = killed_report_file
    _age(task_row, ReportFile, report_file.pk, fields=["started_at"], ago=timedelta(minutes=11))
    client.force_login(victor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("claims:report-file-retry", args=[report_file.pk]), **HTMX)
    assert "waiting for the worker" in response.content.decode()
    (queued,) = _queued_tasks("claims.reporting.report_files.build_report_file_task")
    assert queued.pk != task_row.pk
    assert queued.args_kwargs["args"] == [report_file.pk]
    report_file.refresh_from_db()
    assert report_file.status == "pending"
    assert report_file.started_at is None

    queued.claim("healthy-worker")
    queued.task.call(*queued.task_result.args)
    report_file.refresh_from_db()
    assert report_file.status == "done"
    assert report_file.file


def test_a_killed_report_build_is_pruned_once_old(killed_report_file):
    report_file, task_row = killed_report_file
    _age(
        task_row,
        ReportFile,
        report_file.pk,
        fields=["started_at", "created_at"],
        ago=timedelta(days=8),
    )
    assert report_files.prune_report_files() == 1
    assert not ReportFile.objects.exists()


def test_the_command_marks_a_killed_report_build_interrupted(killed_report_file):
    report_file, task_row = killed_report_file
    _age(task_row, ReportFile, report_file.pk, fields=["started_at"], ago=timedelta(minutes=11))
    out = io.StringIO()
    call_command("interrupt_stale_jobs", stdout=out)
    assert "Marked 1 interrupted report file(s)." in out.getvalue()
    report_file.refresh_from_db()
    assert report_file.status == "interrupted"
    assert report_file.error
    assert report_file.finished_at


# Evidence captures


@pytest.fixture
def killed_capture(queue, claim, bob, monkeypatch, django_capture_on_commit_callbacks):
    from claims.evidence import capture

    with django_capture_on_commit_callbacks(execute=True):
        citation = capture.cite_and_capture(
            claim, actor=bob, url="https://example.org/article", stance="supports"
        )
    task_row = _run_until_killed(monkeypatch, archiving, "fetch")
    snapshot = Snapshot.objects.get()
    assert snapshot.status == "running"
    return citation, snapshot, task_row


def test_retrying_a_killed_capture_queues_a_new_one(
    client, bob, killed_capture, django_capture_on_commit_callbacks
):
    citation, snapshot, task_row = killed_capture
    _age(task_row, Snapshot, snapshot.pk, fields=["started_at"], ago=timedelta(minutes=11))
    client.force_login(bob)
    item = client.get(reverse("claims:citation-detail", args=[citation.pk]), **HTMX)
    assert "Capture interrupted" in item.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("claims:evidence-archive", args=[citation.pk]), **HTMX)
    assert "Waiting for the capture worker" in response.content.decode()
    (queued,) = _queued_tasks("claims.evidence.capture.capture_snapshot")
    retry = Snapshot.objects.get(status="pending")
    assert queued.pk != task_row.pk
    assert queued.args_kwargs["args"] == [retry.pk]
    snapshot.refresh_from_db()
    assert (snapshot.status, snapshot.error) == ("failed", Snapshot.INTERRUPTED)


def test_the_command_marks_a_killed_capture_interrupted(killed_capture):
    _citation, snapshot, task_row = killed_capture
    _age(task_row, Snapshot, snapshot.pk, fields=["started_at"], ago=timedelta(minutes=11))
    out = io.StringIO()
    call_command("interrupt_stale_jobs", stdout=out)
    assert "Marked 1 interrupted capture(s) as failed." in out.getvalue()
    snapshot.refresh_from_db()
    assert (snapshot.status, snapshot.error) == ("failed", Snapshot.INTERRUPTED)


# The rule itself


def test_the_old_command_name_still_works(killed_capture):
    _citation, snapshot, task_row = killed_capture
    _age(task_row, Snapshot, snapshot.pk, fields=["started_at"], ago=timedelta(minutes=11))
    out = io.StringIO()
    call_command("fail_stale_captures", stdout=out)
    assert "Marked 1 interrupted capture(s)" in out.getvalue()


def test_a_job_killed_a_minute_ago_is_interrupted_at_start_up_only_with_no_worker(
    killed_extraction, killed_report_file
):
    source, _ = killed_extraction
    report_file, _ = killed_report_file
    call_command("interrupt_stale_jobs", stdout=io.StringIO())
    source.refresh_from_db()
    assert source.extraction_status == "running"  # a live worker may still be on it
    out = io.StringIO()
    call_command("interrupt_stale_jobs", "--no-worker", stdout=out)
    assert "Marked 1 interrupted source extraction(s)." in out.getvalue()
    assert "Marked 1 interrupted report file(s)." in out.getvalue()
    source.refresh_from_db()
    report_file.refresh_from_db()
    assert (source.extraction_status, report_file.status) == ("interrupted", "interrupted")


def test_a_job_waiting_in_the_queue_is_never_stale(
    queue, investigation, claim, victor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_file = report_files.request_report_file(
            investigation, "pdf", ReportOptions(), requested_by=victor
        )
    ReportFile.objects.filter(pk=report_file.pk).update(
        queued_at=timezone.now() - timedelta(days=1)
    )
    report_file.refresh_from_db()
    assert not report_file.is_stale
    assert report_file.is_in_progress
    call_command("interrupt_stale_jobs", "--no-worker", stdout=io.StringIO())
    report_file.refresh_from_db()
    assert report_file.status == "pending"

    DBTaskResult.objects.all().delete()  # its task was lost (pruned, or never enqueued)
    assert report_file.is_stale
    assert not report_file.is_in_progress
    assert report_files.interrupt_stale_report_files() == 1


def test_a_waiting_job_costs_no_query_to_show(
    queue,
    investigation,
    claim,
    victor,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    with django_capture_on_commit_callbacks(execute=True):
        report_file = report_files.request_report_file(
            investigation, "pdf", ReportOptions(), requested_by=victor
        )
    with django_assert_num_queries(0):
        assert report_file.is_in_progress
