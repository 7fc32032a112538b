"""`manage.py verify_audit`: rows changed, deleted, inserted or reordered in SQL show."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from claims.models import AuditEvent, Membership, Priority
from claims.review import audit_chain, workflow
from tests.factories import make_investigation, make_source

PRIORITIES = [Priority.HIGH, Priority.LOW, Priority.URGENT, Priority.NORMAL]


@pytest.fixture
def events(claim, erin):
    """Six events of `flood-2026`: the source, the claim, four priority changes."""
    membership = Membership.objects.get(user=erin)
    for priority in PRIORITIES:
        claim = workflow.set_priority(claim, actor=erin, membership=membership, priority=priority)
    return list(claim.investigation.audit_events.order_by("seq"))


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def json_value():
    """A placeholder for a JSON parameter: PostgreSQL's jsonb takes no text unconverted."""
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


def fails():
    with pytest.raises(CommandError) as error:
        call_command("verify_audit")
    message = str(error.value)
    assert "\n" not in message
    return message


def test_an_intact_history_gets_one_line_per_investigation(events, capsys):
    make_investigation(slug="empty")
    call_command("verify_audit")
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"empty: 0 events, intact; head seq 0 SHA-256 {audit_chain.GENESIS}",
        f"flood-2026: 6 events, intact; head seq 6 SHA-256 {events[-1].sha256}",
    ]


def test_one_investigation_can_be_checked_alone(events, capsys):
    call_command("verify_audit", "--investigation", "flood-2026")
    assert capsys.readouterr().out.startswith("flood-2026: 6 events, intact")
    with pytest.raises(CommandError, match="No investigation with slug 'nope'"):
        call_command("verify_audit", "--investigation", "nope")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("action", "claim.dismiss"),
        ("object_repr", "Another claim"),
        ("actor_username", "mallory"),
    ],
)
def test_a_changed_column_is_named(events, column, value):
    target = events[3]
    sql(f"UPDATE claims_auditevent SET {column} = %s WHERE id = %s", [value, target.pk])  # noqa: S608
    assert fails() == (
        f"Audit history does not verify: flood-2026: event seq 4 (id {target.pk}): "
        "content changed: its fields do not hash to its recorded SHA-256."
    )


@pytest.mark.parametrize("column", ["before", "after"])
def test_a_changed_before_or_after_is_named(events, column):
    target = events[2]
    value = json.dumps({"priority": "Urgent"})
    sql(
        f"UPDATE claims_auditevent SET {column} = {json_value()} WHERE id = %s",  # noqa: S608
        [value, target.pk],
    )
    assert f"event seq 3 (id {target.pk}): content changed" in fails()


def test_a_changed_time_is_named(events):
    target = events[4]
    sql(
        "UPDATE claims_auditevent SET created_at = %s WHERE id = %s",
        [target.created_at + timedelta(microseconds=1), target.pk],
    )
    assert f"event seq 5 (id {target.pk}): content changed" in fails()


def test_a_deleted_middle_event_is_named_by_its_seq(events, capsys):
    sql("DELETE FROM claims_auditevent WHERE id = %s", [events[2].pk])
    message = fails()
    assert (
        f"event seq 3 (no such row): missing seq (deleted): the next event is seq 4 "
        f"(id {events[3].pk})"
    ) in message
    assert capsys.readouterr().err.startswith("FAILS flood-2026: event seq 3")


def test_a_deleted_newest_event_shows_against_the_head_the_investigation_keeps(events):
    sql("DELETE FROM claims_auditevent WHERE id = %s", [events[-1].pk])
    assert (
        "event seq 6 (no such row): missing seq (deleted): the investigation records 6 "
        "events; the newest 1 is gone"
    ) in fails()


def test_an_inserted_event_is_named(events, claim):
    last = events[-1]
    forged = {
        "action": "claim.priority",
        "actor": "erin",
        "object_type": "claim",
        "object_repr": last.object_repr,
        "before": {"priority": "Normal"},
        "after": {"priority": "Low"},
        "created_at": last.created_at + timedelta(seconds=1),
    }
    # Even with a hash computed correctly over the chain: the investigation's head says 6.
    (seq, prev, sha256) = next(audit_chain.link([forged], seq=last.seq, sha256=last.sha256))
    sql(
        "INSERT INTO claims_auditevent (investigation_id, claim_id, actor_id, actor_username, "  # noqa: S608
        "action, object_type, object_id, object_repr, before, after, created_at, seq, "
        f"prev_sha256, sha256) VALUES (%s, %s, NULL, %s, %s, %s, %s, %s, {json_value()}, "
        f"{json_value()}, %s, %s, %s, %s)",
        [
            claim.investigation_id,
            claim.pk,
            "erin",
            forged["action"],
            "claim",
            str(claim.pk),
            forged["object_repr"],
            json.dumps(forged["before"]),
            json.dumps(forged["after"]),
            forged["created_at"],
            seq,
            prev,
            sha256,
        ],
    )
    forged_id = AuditEvent.objects.get(seq=7).pk
    assert (
        f"event seq 7 (id {forged_id}): inserted: after the newest event the investigation "
        "records (seq 6)"
    ) in fails()


def test_swapped_events_are_named_as_reordered(events):
    second, fourth = events[1], events[3]
    # Three steps: the unique (investigation, seq) constraint is checked row by row.
    sql("UPDATE claims_auditevent SET seq = 1000 WHERE id = %s", [second.pk])
    sql("UPDATE claims_auditevent SET seq = 2 WHERE id = %s", [fourth.pk])
    sql("UPDATE claims_auditevent SET seq = 4 WHERE id = %s", [second.pk])
    assert f"event seq 2 (id {fourth.pk}): reordered: it was recorded as seq 4" in fails()


def test_an_event_changed_and_hashed_again_is_named_by_the_link_it_breaks(events):
    target = events[2]
    after = {"priority": "Urgent"}
    rehashed = audit_chain.event_sha256(
        seq=target.seq,
        prev_sha256=target.prev_sha256,
        action=target.action,
        actor=target.actor_username,
        object_type=target.object_type,
        object_repr=target.object_repr,
        before=target.before,
        after=after,
        created_at=target.created_at,
    )
    sql(
        f"UPDATE claims_auditevent SET after = {json_value()}, sha256 = %s WHERE id = %s",  # noqa: S608
        [json.dumps(after), rehashed, target.pk],
    )
    assert f"event seq 4 (id {events[3].pk}): prev hash mismatch" in fails()


def test_only_the_damaged_investigation_fails(events, capsys):
    other = make_investigation(slug="other")
    make_source(other)
    sql("DELETE FROM claims_auditevent WHERE id = %s", [events[0].pk])
    message = fails()
    assert message.startswith("Audit history does not verify: flood-2026: event seq 1")
    assert capsys.readouterr().out.startswith("other: 1 event, intact")
