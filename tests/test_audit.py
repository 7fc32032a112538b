"""audit.record() appends to the investigation's hash chain; verify() checks it."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from claims.models import AuditEvent, Investigation, Membership, Priority
from claims.review import audit, audit_chain, workflow
from claims.sources import marking
from tests.factories import make_investigation, make_source, make_user


def member(user):
    return Membership.objects.get(user=user)


def test_events_are_numbered_and_linked_per_investigation(claim, erin):
    workflow.set_priority(claim, actor=erin, membership=member(erin), priority=Priority.HIGH)
    other = make_investigation(slug="other")
    make_source(other)
    events = list(claim.investigation.audit_events.order_by("seq"))
    assert [e.action for e in events] == ["source.add", "claim.mark", "claim.priority"]
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_sha256 == audit_chain.GENESIS
    assert [e.prev_sha256 for e in events[1:]] == [e.sha256 for e in events[:-1]]
    assert [e.actor_username for e in events] == ["", "bob", "erin"]
    assert other.audit_events.get().seq == 1
    assert audit.chain_head(claim.investigation) == (3, events[-1].sha256)
    result = audit.verify(claim.investigation)
    assert result.is_intact
    assert result.events == 3


def test_the_hash_is_taken_over_what_the_database_gives_back(claim, erin):
    event = audit.record(
        erin,
        "claim.note",
        claim,
        investigation=claim.investigation,
        claim=claim,
        before={"ratio": 2.0, "pair": (1, 2)},
        after={"score": 0.75, 3: "three"},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.after == {"score": 0.75, "3": "three"}
    assert audit.verify(claim.investigation).is_intact


def test_an_empty_investigation_has_the_genesis_head(db):
    investigation = make_investigation()
    assert audit.chain_head(investigation) == (0, audit_chain.GENESIS)
    result = audit.verify(investigation)
    assert result.is_intact
    assert result.events == 0


def test_saving_an_investigation_loaded_earlier_keeps_the_head(claim, erin):
    stale = Investigation.objects.get(pk=claim.investigation.pk)
    workflow.set_priority(claim, actor=erin, membership=member(erin), priority=Priority.HIGH)
    stale.title = "Renamed"
    stale.save()
    assert audit.chain_head(stale)[0] == 3
    assert audit.verify(stale).is_intact
    assert Investigation.objects.get(pk=stale.pk).title == "Renamed"


def test_events_cannot_be_created_around_the_chain(claim):
    with pytest.raises(TypeError, match=r"audit\.record"):
        AuditEvent.objects.create(investigation=claim.investigation, action="x", object_repr="x")


def test_two_events_cannot_take_the_same_seq(claim):
    event = claim.investigation.audit_events.order_by("seq").last()
    copy = AuditEvent(
        investigation=claim.investigation,
        action="claim.forged",
        object_type="claim",
        object_id=str(claim.pk),
        object_repr="x",
        seq=event.seq,
        prev_sha256=event.prev_sha256,
        sha256=event.sha256,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_admin_snapshots_of_an_investigation_leave_out_the_head(claim):
    assert "audit_seq" not in audit.column_values(claim.investigation)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time; threads there test its lock, not ours",
)
def test_concurrent_writers_never_fork_the_chain():
    """8 people at once, each marking a claim (a row pointing at the investigation) and then
    changing its priority 9 times: 80 events in one chain, 1..80, no gap and no fork."""
    writers, changes = 8, 10
    people = [make_user(f"writer-{n}") for n in range(writers)]
    investigation = make_investigation(members=[(user, "editor") for user in people])
    text = " ".join(f"Item {n}: {n + 2} boats sank." for n in range(writers))
    source = make_source(investigation, text=text)
    memberships = [Membership.objects.get(user=user) for user in people]
    spans = []
    for n in range(writers):
        quote = f"Item {n}: {n + 2} boats sank."
        spans.append((source.text.index(quote), source.text.index(quote) + len(quote)))
    errors = []
    # No thread touches the database before all are ready: a thread waiting for a pooled
    # connection then holds none up. A failing thread breaks the barrier instead of leaving
    # the others waiting at it.
    start = threading.Barrier(writers)
    # Each thread opens its own connection; give back this one so the pool has enough.
    connection.close()

    def work(n):
        try:
            start.wait(timeout=60)
            claim = marking.mark_claim(source, actor=people[n], start=spans[n][0], end=spans[n][1])
            for step in range(changes - 1):
                priority = [Priority.HIGH, Priority.LOW][step % 2]
                claim = workflow.set_priority(
                    claim, actor=people[n], membership=memberships[n], priority=priority
                )
        except Exception as error:
            start.abort()
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    total = 1 + writers * changes  # the source, then every thread's changes
    seqs = list(investigation.audit_events.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, total + 1))
    result = audit.verify(investigation)
    assert result.is_intact, result.problem
    assert (result.events, result.head_seq) == (total, total)
