"""Capture and re-check of evidence pages: snapshots, collection log, immutability."""

import gzip
import hashlib
import io

import pytest
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from claims.evidence import capture, citations
from claims.models import (
    CollectionLogEntry,
    Evidence,
    Snapshot,
    SnapshotImmutable,
    refresh_snapshot_pointers,
)
from claims.reporting import transfer
from tests.factories import make_claim
from tests.pages import ARTICLE_HTML, Page, make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited(claim, bob, pages):
    """A claim citing the loopback article, captured through the task after commit."""
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())

    def cite(path="/article", on=claim):
        return capture.cite_and_capture(on, actor=bob, url=pages.url(path), stance="supports")

    return cite


def test_paste_capture_keeps_body_hash_text_and_metadata(
    cited, django_capture_on_commit_callbacks, bob
):
    with django_capture_on_commit_callbacks(execute=True):
        citation = cited()
    snapshot = citation.evidence.snapshots.get()
    body = ARTICLE_HTML.encode()
    assert snapshot.status == Snapshot.Status.DONE
    assert snapshot.sha256 == hashlib.sha256(body).hexdigest()
    assert gzip.decompress(snapshot.body.read()) == body
    assert snapshot.http_status == 200
    assert snapshot.content_type == "text/html"
    assert snapshot.fetched_at.utcoffset().total_seconds() == 0
    assert "About 1,200 homes in Marrow were flooded" in snapshot.extracted_text
    assert snapshot.metadata["author"] == "Mara Quist"
    assert snapshot.metadata["canonical_url"] == "https://courier.example/vessa/water-levels"
    assert (
        snapshot.metadata["text_sha256"]
        == hashlib.sha256(snapshot.extracted_text.encode()).hexdigest()
    )
    assert snapshot.requested_by == bob
    assert "httpx" in snapshot.method


def test_the_page_metadata_fills_what_the_reviewer_left_blank(
    cited, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        citation = cited()
    page = Evidence.objects.get(pk=citation.evidence_id)
    assert page.title == "Water levels on the Vessa"
    assert page.publisher == "River Courier"
    assert str(page.published_on) == "2026-03-02"


def test_the_collection_log_records_the_capture(cited, django_capture_on_commit_callbacks, bob):
    with django_capture_on_commit_callbacks(execute=True):
        citation = cited()
    (entry,) = citation.evidence.collection_log.all()
    snapshot = citation.evidence.snapshots.get()
    assert entry.action == "capture"
    assert entry.outcome == "archived"
    assert entry.operator == bob
    assert entry.operator_name == "bob"
    assert entry.sha256 == snapshot.sha256
    assert entry.url == citation.evidence.url
    assert entry.address == "127.0.0.1"
    assert entry.at == snapshot.fetched_at
    assert "httpx" in entry.method


def test_the_same_page_twice_is_one_evidence_item_captured_once(
    cited, source, bob, django_capture_on_commit_callbacks, pages
):
    other = make_claim(source, quote="The river rose by 3.2 metres overnight", actor=bob)
    with django_capture_on_commit_callbacks(execute=True):
        first = cited()
    with django_capture_on_commit_callbacks(execute=True):
        second = capture.cite_and_capture(
            other,
            actor=bob,
            url=pages.url("/article?utm_source=mail#top"),
            stance="context",
        )
    assert first.evidence_id == second.evidence_id
    assert Snapshot.objects.count() == 1
    assert len(pages.requests) == 1


def test_citing_the_same_page_again_on_one_claim_is_refused(
    cited, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cited()
    with pytest.raises(citations.AlreadyCited):
        cited()


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (Page(b"gone", status=404), "The page is gone: the server answered 404"),
        (Page(b"boom", status=500), "error (500)"),
        (Page(b"\x89PNG", content_type="image/png"), "points to image/png"),
        (Page(status=302, headers={"Location": "http://169.254.169.254/"}), "link-local"),
        (Page(status=302, headers={"Location": "http:\\\\evil.example"}), "not a valid URL"),
        (Page(status=302, headers={"Location": "http://xn--/"}), "not a valid URL"),
        (Page(status=302, headers={"Location": "/a\\b"}), "contains a backslash"),
    ],
)
def test_a_failed_capture_keeps_a_readable_reason_and_logs_it(
    cited, pages, page, message, django_capture_on_commit_callbacks
):
    pages.routes["/bad"] = page
    with django_capture_on_commit_callbacks(execute=True):
        citation = cited("/bad")
    snapshot = citation.evidence.snapshots.get()
    assert snapshot.status == Snapshot.Status.FAILED
    assert message in snapshot.error
    assert not snapshot.body
    entry = citation.evidence.collection_log.get()
    assert entry.outcome == "failed"
    assert message in entry.detail


def test_an_error_while_saving_the_copy_fails_the_capture_instead_of_leaving_it_running(
    cited, settings, django_capture_on_commit_callbacks
):
    # A file where the snapshots folder should be: storing the body fails with an OSError,
    # as on a full or read-only disk.
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "snapshots").write_text("not a folder")
    with django_capture_on_commit_callbacks(execute=True):
        citation = cited()
    snapshot = citation.evidence.snapshots.get()
    assert snapshot.status == Snapshot.Status.FAILED
    assert "could not be saved" in snapshot.error
    assert not snapshot.body
    assert not snapshot.sha256
    assert not snapshot.extracted_text
    assert citation.evidence.collection_log.get().outcome == "failed"
    page = Evidence.objects.get(pk=citation.evidence.pk)
    assert page.latest_snapshot == snapshot
    assert page.archived_snapshot is None


def test_a_slow_page_fails_with_a_timeout(
    cited, pages, settings, django_capture_on_commit_callbacks
):
    settings.CAPTURE_READ_TIMEOUT = 0.3
    pages.routes["/slow"] = Page(b"late", delay=1.0)
    with django_capture_on_commit_callbacks(execute=True):
        citation = cited("/slow")
    assert "did not answer within" in citation.evidence.snapshots.get().error


def test_retry_after_failure_creates_a_new_snapshot(
    cited, pages, bob, django_capture_on_commit_callbacks
):
    pages.routes["/flaky"] = Page(b"down", status=503)
    with django_capture_on_commit_callbacks(execute=True):
        citation = cited("/flaky")
    failed = citation.evidence.snapshots.get()
    pages.routes["/flaky"] = Page(ARTICLE_HTML.encode())
    with django_capture_on_commit_callbacks(execute=True):
        capture.request_capture(citation.evidence, actor=bob)
    failed.refresh_from_db()
    assert failed.status == Snapshot.Status.FAILED
    citation.evidence.refresh_from_db()  # the worker updated the row, not this instance
    assert citation.evidence.latest_snapshot.status == Snapshot.Status.DONE
    assert citation.evidence.archived_snapshot.status == Snapshot.Status.DONE
    outcomes = list(citation.evidence.collection_log.values_list("outcome", flat=True))
    assert outcomes == ["failed", "archived"]


def test_an_archived_page_is_not_captured_again(cited, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        citation = cited()
    with pytest.raises(capture.CaptureNotPossible, match="already archived"):
        capture.request_capture(citation.evidence, actor=bob)


def test_a_finished_snapshot_cannot_be_modified(cited, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        citation = cited()
    snapshot = citation.evidence.snapshots.get()
    snapshot.extracted_text = "rewritten"
    with pytest.raises(SnapshotImmutable):
        snapshot.save()


def test_the_collection_log_is_append_only(cited, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        citation = cited()
    entry = citation.evidence.collection_log.get()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        CollectionLogEntry.objects.update(outcome="gone")
    with pytest.raises(TypeError):
        entry.delete()


def test_a_pdf_is_archived_with_its_text(cited, pages, django_capture_on_commit_callbacks):
    pages.routes["/report.pdf"] = Page(
        make_pdf(["Flood report page one"]), content_type="application/pdf"
    )
    with django_capture_on_commit_callbacks(execute=True):
        citation = cited("/report.pdf")
    snapshot = citation.evidence.snapshots.get()
    assert "Flood report page one" in snapshot.extracted_text
    assert snapshot.metadata["kind"] == "pdf"


def test_a_page_without_text_is_still_kept(cited, pages, django_capture_on_commit_callbacks):
    pages.routes["/empty"] = Page(b"<html><body><script>app()</script></body></html>")
    with django_capture_on_commit_callbacks(execute=True):
        citation = cited("/empty")
    snapshot = citation.evidence.snapshots.get()
    assert snapshot.status == Snapshot.Status.DONE
    assert snapshot.extracted_text == ""
    assert "No readable text" in snapshot.metadata["extraction_error"]


class TestRecheck:
    @pytest.fixture
    def archived(self, cited, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            return cited().evidence

    def outcome(self, archived):
        entry = capture.recheck(archived, operator_name="tester")
        original = archived.snapshots.get()
        assert entry.snapshot == original  # the re-check points at what it compared with
        return entry

    def test_unchanged(self, archived):
        entry = self.outcome(archived)
        assert (entry.outcome, entry.action) == ("unchanged", "recheck")
        assert entry.sha256 == archived.snapshots.get().sha256
        assert entry.operator_name == "tester"

    def test_changed_since_capture(self, archived, pages):
        pages.routes["/article"] = Page(ARTICLE_HTML.replace("1,200", "2,400").encode())
        entry = self.outcome(archived)
        assert entry.outcome == "changed"
        assert "main text differs" in entry.detail
        assert entry.sha256 != archived.snapshots.get().sha256

    def test_only_page_furniture_changed(self, archived, pages):
        pages.routes["/article"] = Page(
            ARTICLE_HTML.replace("Copyright River Courier", "(c) 2027").encode()
        )
        entry = self.outcome(archived)
        assert entry.outcome == "changed"
        assert "main text is the same" in entry.detail

    def test_gone(self, archived, pages):
        pages.routes["/article"] = Page(b"no", status=410)
        assert self.outcome(archived).outcome == "gone"

    def test_server_error_is_not_called_gone(self, archived, pages):
        pages.routes["/article"] = Page(b"no", status=503)
        entry = self.outcome(archived)
        assert entry.outcome == "unreachable"
        assert "503" in entry.detail

    def test_the_original_snapshot_is_untouched(self, archived, pages):
        before = archived.snapshots.get()
        pages.routes["/article"] = Page(b"<html><p>Completely new</p></html>")
        capture.recheck(archived, operator_name="tester")
        after = archived.snapshots.get()
        assert (after.sha256, after.extracted_text) == (before.sha256, before.extracted_text)
        assert archived.collection_log.count() == 2


class TestSnapshotPointers:
    """Evidence.latest_snapshot / archived_snapshot, which the claim page reads in its join,
    agree with the snapshots table however the snapshots were made."""

    def pointers(self, evidence):
        evidence.refresh_from_db()
        return evidence.latest_snapshot, evidence.archived_snapshot

    def test_a_queued_capture_is_latest_and_not_archived(self, cited):
        citation = cited()  # the on-commit task is not run: the snapshot stays pending
        pending = citation.evidence.snapshots.get()
        assert self.pointers(citation.evidence) == (pending, None)

    def test_a_failure_then_a_retry(self, cited, pages, bob, django_capture_on_commit_callbacks):
        pages.routes["/flaky"] = Page(b"down", status=503)
        with django_capture_on_commit_callbacks(execute=True):
            citation = cited("/flaky")
        failed = citation.evidence.snapshots.get()
        assert self.pointers(citation.evidence) == (failed, None)
        pages.routes["/flaky"] = Page(ARTICLE_HTML.encode())
        with django_capture_on_commit_callbacks(execute=True):
            retry = capture.request_capture(citation.evidence, actor=bob)
        assert self.pointers(citation.evidence) == (retry, retry)

    def test_a_failed_retry_keeps_the_older_archived_copy(self, claim, bob):
        page = citations.cite_evidence(
            claim, actor=bob, stance="supports", title="Leaflet"
        ).evidence
        done = Snapshot.objects.create(evidence=page, status=Snapshot.Status.DONE)
        failed = Snapshot.objects.create(evidence=page, status=Snapshot.Status.FAILED)
        assert self.pointers(page) == (failed, done)

    def test_bulk_inserts_are_pointed_by_refresh_snapshot_pointers(self, claim, bob):
        page = citations.cite_evidence(
            claim, actor=bob, stance="supports", title="Leaflet"
        ).evidence
        done, failed = Snapshot.objects.bulk_create(
            [
                Snapshot(evidence=page, status=Snapshot.Status.DONE),
                Snapshot(evidence=page, status=Snapshot.Status.FAILED),
            ]
        )
        assert self.pointers(page) == (None, None)  # bulk_create skips save()
        refresh_snapshot_pointers([page.pk])
        assert self.pointers(page) == (failed, done)

    def test_an_imported_investigation_keeps_them(self, cited, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            citation = cited()
        investigation = citation.claim.investigation
        buffer = io.BytesIO()
        transfer.export_investigation(investigation, buffer)
        investigation.delete()
        copy = transfer.import_investigation(io.BytesIO(buffer.getvalue()))
        page = Evidence.objects.get(investigation=copy)
        snapshot = page.snapshots.get()
        assert self.pointers(page) == (snapshot, snapshot)


@pytest.fixture
def back_to_the_latest_migrations():
    """Leave the test database fully migrated however a migration test ends: the tests that
    run after it expect every table, including those of migrations newer than it tests."""
    # As `migrate` would, around the test's own migrations: receivers get the tables ready
    # to be remade (SQLite's figures triggers) and give them their triggers back after.
    emit_pre_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_migrations")
def test_migration_0008_points_existing_evidence_at_its_snapshots():
    before = [("claims", "0007_source_extraction_db_defaults")]
    after = [("claims", "0008_snapshot_pointers")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    investigation = old.get_model("claims", "Investigation").objects.create(slug="m", title="M")
    make_page = old.get_model("claims", "Evidence").objects.create
    make_snapshot = old.get_model("claims", "Snapshot").objects.create
    archived_then_failed = make_page(investigation=investigation, title="A")
    done = make_snapshot(evidence=archived_then_failed, status="done")
    failed = make_snapshot(evidence=archived_then_failed, status="failed")
    waiting = make_page(investigation=investigation, title="B")
    pending = make_snapshot(evidence=waiting, status="pending")
    never = make_page(investigation=investigation, title="C")

    executor = MigrationExecutor(connection)  # a fresh graph, as `migrate` would load
    executor.migrate(after)

    pointers = {
        pk: (latest, archived)
        for pk, latest, archived in Evidence.objects.values_list(
            "pk", "latest_snapshot_id", "archived_snapshot_id"
        )
    }
    assert pointers == {
        archived_then_failed.pk: (failed.pk, done.pk),
        waiting.pk: (pending.pk, None),
        never.pk: (None, None),
    }
