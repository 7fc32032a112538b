"""One Evidence row per page and investigation: the normalized link, the database constraint
behind it, and several claims citing one link at the same moment."""

import threading

import pytest
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from claims.evidence import capture
from claims.evidence.citations import normalize_url
from claims.models import ClaimEvidence, Evidence, Snapshot
from tests.factories import make_claim, make_evidence, make_investigation
from tests.pages import ARTICLE_HTML, Page


def test_a_link_is_normalized_for_recognising_the_same_page():
    link = "HTTPS://News.Example.org:443/a?b=2&utm_source=x&a=1&fbclid=z#top"
    assert normalize_url(link) == "https://news.example.org/a?a=1&b=2"


def test_a_port_out_of_range_is_kept_as_written_not_an_error():
    assert normalize_url("http://Example.org:99999/a") == "http://example.org:99999/a"


def _page(investigation, normalized, title="Page"):
    return make_evidence(investigation, normalized, title=title)


@pytest.mark.django_db
def test_the_database_keeps_one_row_per_link_and_investigation(investigation):
    _page(investigation, "https://example.org/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        _page(investigation, "https://example.org/a", title="Again")
    assert Evidence.objects.count() == 1


@pytest.mark.django_db
def test_evidence_without_a_link_and_other_investigations_are_not_constrained(investigation):
    other = make_investigation(slug="other")
    _page(investigation, "")
    _page(investigation, "")
    _page(investigation, "https://example.org/a")
    _page(other, "https://example.org/a")
    assert Evidence.objects.count() == 4


@pytest.mark.django_db(transaction=True)
def test_five_claims_citing_one_link_at_once_make_one_evidence_row_and_one_capture(
    source, bob, pages
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: the race needs PostgreSQL")
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())
    quotes = [
        "The river rose by 3.2 metres overnight",
        "about 1,200 homes were flooded in Marrow",
        "We lost everything in two hours",
        "at least 14 people had died",
        "Is the dam safe?",
    ]
    claims = [make_claim(source, quote) for quote in quotes]
    start = threading.Barrier(len(claims))
    errors = []

    def cite(claim):
        try:
            start.wait()
            capture.cite_and_capture(claim, actor=bob, url=pages.url("/article"), stance="supports")
        except Exception as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=cite, args=(claim,)) for claim in claims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    page = Evidence.objects.get()
    assert ClaimEvidence.objects.filter(evidence=page).count() == len(claims)
    snapshot = Snapshot.objects.get()
    assert snapshot.status == Snapshot.Status.DONE
    assert [path for path, _ in pages.requests] == ["/article"]


@pytest.fixture
def back_to_the_latest_migrations():
    """Leave the test database fully migrated however the migration test ends."""
    # As `migrate` would, around the test's own migrations: receivers get the tables ready
    # to be remade (SQLite's figures triggers) and give them their triggers back after.
    emit_pre_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_migrations")
def test_the_migration_merges_duplicate_items_into_the_oldest_keeping_everything():
    before = [("claims", "0011_verdict_integrity")]
    after = [("claims", "0012_evidence_link_unique")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    model = old.get_model
    investigation = model("claims", "Investigation").objects.create(slug="m", title="M")
    source = model("claims", "Source").objects.create(
        investigation=investigation, title="S", text="One. Two.", text_sha256="x"
    )

    def claim(start, end, quote):
        return model("claims", "Claim").objects.create(
            investigation=investigation, source=source, start=start, end=end, quote=quote
        )

    first, second = claim(0, 4, "One."), claim(5, 9, "Two.")
    page = model("claims", "Evidence").objects.create
    link = "https://example.org/a"
    oldest = page(investigation=investigation, url=link, normalized_url=link, title="Oldest")
    twin = page(investigation=investigation, url=link + "#x", normalized_url=link, title="Twin")
    other = page(
        investigation=investigation,
        url="https://example.org/b",
        normalized_url="https://example.org/b",
        title="B",
    )
    bare = [page(investigation=investigation, title="Book") for _ in range(2)]
    cite = model("claims", "ClaimEvidence").objects.create
    cite(claim=first, evidence=oldest, stance="supports", note="Ours.")
    cite(claim=first, evidence=twin, stance="refutes", excerpt="The other half")
    cite(claim=second, evidence=twin, stance="context")
    done = model("claims", "Snapshot").objects.create(evidence=twin, status="done")
    model("claims", "CollectionLogEntry").objects.create(
        evidence=twin,
        snapshot=done,
        action="capture",
        outcome="archived",
        at="2026-03-02T09:30:00Z",
        url=link,
        method="GET",
        operator_name="bob",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    # The tables as that migration left them: today's models may have columns added later.
    migrated = executor.loader.project_state(after).apps
    Evidence = migrated.get_model("claims", "Evidence")
    ClaimEvidence = migrated.get_model("claims", "ClaimEvidence")

    assert sorted(Evidence.objects.values_list("pk", flat=True)) == sorted(
        [oldest.pk, other.pk, *(row.pk for row in bare)]
    )
    kept = Evidence.objects.get(pk=oldest.pk)
    citations = {c.claim_id: c for c in ClaimEvidence.objects.filter(evidence=kept)}
    assert set(citations) == {first.pk, second.pk}
    assert citations[first.pk].stance == "supports"
    assert citations[first.pk].note.startswith("Ours.\n\nMerged from a second citation")
    assert "refutes" in citations[first.pk].note
    assert "The other half" in citations[first.pk].note
    assert citations[second.pk].stance == "context"
    assert kept.snapshots.get().pk == done.pk
    assert (kept.latest_snapshot_id, kept.archived_snapshot_id) == (done.pk, done.pk)
    assert kept.collection_log.count() == 1
