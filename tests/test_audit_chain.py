"""The hash chain's rules, on plain values: no database."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from claims.review import audit_chain
from claims.review.audit_chain import GENESIS, ChainCheck

AT = datetime(2026, 12, 3, 7, 49, 0, 5, tzinfo=UTC)


def content(number=1, **changes):
    return {
        "action": "claim.priority",
        "actor": "bob",
        "object_type": "claim",
        "object_repr": "About 1,200 homes were flooded",
        "before": {"priority": "Normal"},
        "after": {"priority": f"High {number}"},
        "created_at": AT + timedelta(seconds=number),
    } | changes


def chain(count):
    """Events 1..count as stored rows, with ids 100, 101..."""
    contents = [content(n) for n in range(1, count + 1)]
    links = audit_chain.link(contents)
    return [
        {"id": 99 + seq, "seq": seq, "prev_sha256": prev, "sha256": sha256, **fields}
        for fields, (seq, prev, sha256) in zip(contents, links, strict=True)
    ]


def check(events, head=None):
    head_seq, head_sha256 = head or (events[-1]["seq"], events[-1]["sha256"])
    by_sha256 = {event["sha256"]: event for event in events}
    checker = ChainCheck(head_seq, head_sha256, by_sha256.get)
    for event in events:
        checker.add(event)
    return checker.finish()


def test_the_hash_covers_id_free_fields_in_one_spelling():
    text = audit_chain.canonical_event(seq=1, prev_sha256=GENESIS, **content())
    assert text == (
        '{"action":"claim.priority","actor":"bob","after":{"priority":"High 1"},'
        '"before":{"priority":"Normal"},"created_at":"2026-12-03T07:49:01.000005+00:00",'
        '"object_repr":"About 1,200 homes were flooded","object_type":"claim",'
        f'"prev_sha256":"{GENESIS}","seq":1}}'
    )


def test_times_are_hashed_in_utc_whatever_their_zone():
    east = AT.astimezone(timezone(timedelta(hours=5)))
    assert audit_chain.event_sha256(
        seq=1, prev_sha256=GENESIS, **content(created_at=east)
    ) == audit_chain.event_sha256(seq=1, prev_sha256=GENESIS, **content(created_at=AT))
    with pytest.raises(ValueError, match="aware"):
        audit_chain.timestamp(datetime(2026, 1, 1))


def test_whole_floats_hash_as_the_integers_jsonb_gives_back():
    as_written = content(after={"score": 1e16, "share": 0.25, "flag": True})
    as_read = content(after={"score": 10**16, "share": 0.25, "flag": True})
    assert audit_chain.event_sha256(seq=1, prev_sha256=GENESIS, **as_written) == (
        audit_chain.event_sha256(seq=1, prev_sha256=GENESIS, **as_read)
    )


def test_no_actor_and_an_empty_username_are_the_same():
    assert audit_chain.canonical_event(
        seq=1, prev_sha256=GENESIS, **content(actor="")
    ) == audit_chain.canonical_event(seq=1, prev_sha256=GENESIS, **content(actor=None))


def test_each_event_links_to_the_one_before():
    events = chain(3)
    assert [e["seq"] for e in events] == [1, 2, 3]
    assert events[0]["prev_sha256"] == GENESIS
    assert events[1]["prev_sha256"] == events[0]["sha256"]
    assert events[2]["prev_sha256"] == events[1]["sha256"]
    assert check(events) is None


def test_an_empty_history_verifies_at_the_genesis_head():
    assert check([], head=(0, GENESIS)) is None


def test_a_changed_field_is_named_at_its_event():
    events = chain(4)
    events[1]["after"] = {"priority": "Low"}
    problem = check(events)
    assert (problem.seq, problem.event_id, problem.kind) == (2, 101, audit_chain.CONTENT_CHANGED)
    assert str(problem).startswith("event seq 2 (id 101): content changed")


def test_a_missing_middle_event_is_named_by_its_seq():
    events = chain(4)
    del events[1]
    problem = check(events, head=(4, chain(4)[-1]["sha256"]))
    assert (problem.seq, problem.event_id, problem.kind) == (2, None, audit_chain.MISSING)
    assert "next event is seq 3 (id 102)" in problem.detail


def test_missing_newest_events_show_against_the_recorded_head():
    events = chain(4)
    problem = check(events[:3], head=(4, events[3]["sha256"]))
    assert (problem.seq, problem.kind) == (4, audit_chain.MISSING)
    assert "the newest 1 is gone" in problem.detail


def test_an_event_beyond_the_recorded_head_is_inserted():
    events = chain(4)
    problem = check(events, head=(3, events[2]["sha256"]))
    assert (problem.seq, problem.event_id, problem.kind) == (4, 103, audit_chain.INSERTED)


def test_swapped_events_are_named_as_reordered():
    events = chain(4)
    events[1]["seq"], events[2]["seq"] = 3, 2
    events.sort(key=lambda event: event["seq"])
    problem = check(events, head=(4, events[-1]["sha256"]))
    assert (problem.seq, problem.event_id, problem.kind) == (2, 102, audit_chain.REORDERED)
    assert problem.detail == "it was recorded as seq 3"


def test_an_event_changed_and_hashed_again_breaks_the_next_link():
    events = chain(4)
    forged = content(2, after={"priority": "Low"})
    events[1]["sha256"] = audit_chain.event_sha256(
        seq=2, prev_sha256=events[1]["prev_sha256"], **forged
    )
    events[1].update(forged)
    problem = check(events)
    assert (problem.seq, problem.event_id, problem.kind) == (3, 102, audit_chain.PREV_MISMATCH)


def test_a_rehashed_newest_event_differs_from_the_recorded_head():
    events = chain(3)
    head = (3, events[2]["sha256"])
    forged = content(3, action="claim.dismiss")
    events[2]["sha256"] = audit_chain.event_sha256(
        seq=3, prev_sha256=events[2]["prev_sha256"], **forged
    )
    events[2].update(forged)
    problem = check(events, head=head)
    assert (problem.seq, problem.event_id, problem.kind) == (3, 102, audit_chain.CONTENT_CHANGED)


def test_a_duplicate_seq_is_an_insertion():
    events = chain(3)
    problem = check([events[0], events[1], dict(events[1], id=200), events[2]])
    assert (problem.seq, problem.event_id, problem.kind) == (2, 200, audit_chain.INSERTED)
