"""A capture whose worker died mid-way: counted as failed after JOB_STALE_AFTER, retried.

The crash is simulated by a fetch that raises KeyboardInterrupt, which run_capture does not
catch (like SIGKILL or a lost machine, nothing marks the snapshot): it stays "running".
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from claims.evidence import archiving, capture
from claims.evidence.citations import cite_evidence
from claims.models import CollectionLogEntry, Snapshot
from tests.factories import make_claim
from tests.pages import ARTICLE_HTML, Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def crashed(claim, bob, pages, monkeypatch, django_capture_on_commit_callbacks):
    """A citation whose capture was taken by a worker that died during the fetch."""
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())

    def die(url, resolve=None):
        raise KeyboardInterrupt  # the worker process goes away mid-fetch

    with monkeypatch.context() as patch:
        patch.setattr(archiving, "fetch", die)
        with pytest.raises(KeyboardInterrupt), django_capture_on_commit_callbacks(execute=True):
            capture.cite_and_capture(claim, actor=bob, url=pages.url("/article"), stance="supports")
    snapshot = Snapshot.objects.get()
    assert snapshot.status == Snapshot.Status.RUNNING
    return snapshot


def age(snapshot, **delta):
    """Move the capture's start into the past, as if that much time had gone by."""
    Snapshot.objects.filter(pk=snapshot.pk).update(started_at=timezone.now() - timedelta(**delta))
    snapshot.refresh_from_db()
    return snapshot


def test_a_worker_taking_a_capture_records_when(crashed):
    assert crashed.started_at is not None
    assert timezone.now() - crashed.started_at < timedelta(minutes=1)


def test_a_recent_running_capture_is_still_in_progress(crashed):
    assert crashed.is_in_progress
    assert not crashed.is_stale
    assert not crashed.has_failed


def test_a_running_capture_past_the_limit_counts_as_interrupted(crashed, settings):
    settings.JOB_STALE_AFTER = 600
    snapshot = age(crashed, seconds=601)
    assert snapshot.is_stale
    assert not snapshot.is_in_progress
    assert snapshot.has_failed
    assert snapshot.failure_reason == "Capture interrupted; try again."
    assert not age(crashed, seconds=590).is_stale


def test_rows_without_started_at_fall_back_to_when_the_capture_was_requested(crashed):
    Snapshot.objects.filter(pk=crashed.pk).update(
        started_at=None, created_at=timezone.now() - timedelta(hours=2)
    )
    crashed.refresh_from_db()
    assert crashed.is_stale


def test_finished_captures_are_never_stale(claim, bob):
    # A waiting one is stale only once its task has left the queue: see tests/test_jobs.py.
    page = cite_evidence(claim, actor=bob, stance="supports", url="https://e.org/", title="E")
    old = timezone.now() - timedelta(days=1)
    for status in (Snapshot.Status.DONE, Snapshot.Status.FAILED):
        snapshot = Snapshot.objects.create(evidence=page.evidence, status=status)
        Snapshot.objects.filter(pk=snapshot.pk).update(created_at=old, started_at=old)
        snapshot.refresh_from_db()
        assert not snapshot.is_stale, status


def test_retrying_marks_the_interrupted_capture_failed_and_captures_again(
    crashed, bob, pages, django_capture_on_commit_callbacks
):
    age(crashed, hours=1)
    evidence = crashed.evidence
    with django_capture_on_commit_callbacks(execute=True):
        retry = capture.request_capture(evidence, actor=bob)
    crashed.refresh_from_db()
    assert crashed.status == Snapshot.Status.FAILED
    assert crashed.error == "Capture interrupted; try again."
    retry.refresh_from_db()
    assert retry.status == Snapshot.Status.DONE
    log = list(evidence.collection_log.values_list("outcome", "detail"))
    assert log == [("failed", "Capture interrupted; try again."), ("archived", "")]


def test_a_recent_running_capture_still_refuses_a_second_one(crashed, bob):
    with pytest.raises(capture.CaptureNotPossible, match="already under way"):
        capture.request_capture(crashed.evidence, actor=bob)


def test_citing_the_page_again_recaptures_after_an_interrupted_capture(
    crashed, bob, source, pages, django_capture_on_commit_callbacks
):
    age(crashed, hours=1)
    other = make_claim(source, quote="at least 14 people had died", actor=bob)
    with django_capture_on_commit_callbacks(execute=True):
        capture.cite_and_capture(other, actor=bob, url=pages.url("/article"), stance="refutes")
    statuses = list(crashed.evidence.snapshots.order_by("pk").values_list("status", flat=True))
    assert statuses == ["failed", "done"]


def test_the_command_marks_only_stale_captures(crashed, claim, bob):
    age(crashed, hours=1)
    fresh_page = cite_evidence(claim, actor=bob, stance="refutes", url="https://f.org/", title="F")
    fresh = Snapshot.objects.create(evidence=fresh_page.evidence)
    Snapshot.objects.filter(pk=fresh.pk).update(
        status=Snapshot.Status.RUNNING, started_at=timezone.now()
    )
    out = io.StringIO()
    call_command("fail_stale_captures", stdout=out)
    assert "Marked 1 interrupted capture(s)" in out.getvalue()
    crashed.refresh_from_db()
    fresh.refresh_from_db()
    assert (crashed.status, fresh.status) == (Snapshot.Status.FAILED, Snapshot.Status.RUNNING)
    entry = CollectionLogEntry.objects.get(snapshot=crashed)
    assert (entry.outcome, entry.operator) == ("failed", bob)
    call_command("fail_stale_captures", stdout=io.StringIO())  # idempotent
    assert CollectionLogEntry.objects.filter(snapshot=crashed).count() == 1


def test_a_worker_that_finishes_after_being_given_up_changes_nothing(
    claim, bob, pages, monkeypatch, django_capture_on_commit_callbacks
):
    """Declared interrupted while it was in fact still fetching: its late result is dropped,
    the failed snapshot stays as it was, and no archived file is left behind."""
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())
    real_fetch = archiving.fetch

    def slow_fetch(url, resolve=None):
        snapshot = Snapshot.objects.get()
        age(snapshot, hours=1)
        assert capture.fail_stale_captures() == 1
        return real_fetch(url, resolve=resolve)

    monkeypatch.setattr(archiving, "fetch", slow_fetch)
    with django_capture_on_commit_callbacks(execute=True):
        citation = capture.cite_and_capture(
            claim, actor=bob, url=pages.url("/article"), stance="supports"
        )
    snapshot = Snapshot.objects.get()
    assert snapshot.status == Snapshot.Status.FAILED
    assert snapshot.error == "Capture interrupted; try again."
    assert not snapshot.body
    storage = snapshot.body.storage
    assert not storage.exists("snapshots") or not any(
        files for _, files in _walk(storage, "snapshots")
    )
    assert list(citation.evidence.collection_log.values_list("outcome", flat=True)) == ["failed"]


def _walk(storage, path):
    folders, files = storage.listdir(path)
    yield path, files
    for folder in folders:
        yield from _walk(storage, f"{path}/{folder}")
