"""The real queue: tasks enqueued in the database and run by the db_worker command."""

import io
import signal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from claims.models import ReportFile, Snapshot
from tests.pages import ARTICLE_HTML, Page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # db_worker installs its own SIGINT/SIGTERM handlers; give pytest its own back.
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


def test_a_queued_capture_is_run_by_the_worker_and_shows_on_the_page(
    client, bob, claim, pages, database_queue
):
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())
    client.force_login(bob)
    client.post(
        reverse("claims:evidence-capture", args=[claim.pk]),
        {"capture-url": pages.url("/article"), "capture-stance": "supports"},
    )
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "claims.evidence.capture.capture_snapshot"
    assert "Waiting for the capture worker" in client.get(claim.get_absolute_url()).content.decode()
    assert pages.requests == []  # nothing fetched inside the request

    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", stdout=io.StringIO())

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    snapshot = Snapshot.objects.get()
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Archived" in page
    assert snapshot.sha256 in page
    assert "About 1,200 homes in Marrow were flooded" in page


def test_a_prepared_report_is_built_by_the_worker_not_the_request(
    client, victor, claim, database_queue, settings
):
    settings.REPORT_INLINE_SECONDS = 0
    client.force_login(victor)
    response = client.post(
        reverse("claims:report-file-create", args=[claim.investigation.slug, "bundle"])
    )
    report_file = ReportFile.objects.get()
    assert response.url == reverse("claims:report-file-detail", args=[report_file.pk])
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "claims.reporting.report_files.build_report_file_task"
    assert report_file.status == ReportFile.Status.PENDING

    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", stdout=io.StringIO())

    report_file.refresh_from_db()
    assert report_file.status == ReportFile.Status.DONE
    download = client.get(reverse("claims:report-file-download", args=[report_file.pk]))
    assert b"".join(download.streaming_content).startswith(b"PK")
