"""The audit history as a hash chain: what each event's SHA-256 covers, and how to check it.

Plain Python, no Django: `audit.record()`, `verify_audit`, the transfer import, the synthetic
generator and the migration that chained the rows written before all hash with these
functions, so they cannot disagree.

Each audit event of an investigation has a position `seq` (1, 2, 3... with no gaps), the
SHA-256 of the event before it (`prev_sha256`; 64 zeros for the first) and its own `sha256`,
taken over the canonical JSON (keys sorted, no spaces, UTF-8) of these fields and nothing else:

    seq, prev_sha256, action, actor, object_type, object_repr, before, after, created_at

`actor` is the username recorded with the event (null for the system); `created_at` is ISO
8601 in UTC with microseconds. Numbers in `before`/`after` are hashed as JSON keeps them
(1.0 as 1, since PostgreSQL's jsonb gives back some floats as integers).

Covered: every field above, and through `prev_sha256` the order and completeness of all the
events before. The investigation row keeps the head (`audit_seq`, `audit_head_sha256`),
written in the same transaction as each event, so deleting the newest events shows as well.

Not covered, because none of them survives an export to another installation unchanged or
all of them can change legitimately: database ids; the link to the claim (`claim_id`: a claim
has no identifier that an import keeps, and deleting a claim in the admin empties the link),
so which claim's history page an event appears on can be changed unseen; `object_id` (import
renumbers it); the link to the user account (`actor_id`; the username as recorded is covered,
so renaming or deleting an account later breaks nothing); which investigation a chain
belongs to.

What a chain proves: that no event was changed, deleted, inserted or moved *without the chain
being recomputed*. Whoever can write the database can recompute every hash after a change and
move the head with it; such a rewrite shows only against a head published before it, which is
why reports (cover, JSON, bundle manifest) state the head they were made from.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

GENESIS = "0" * 64

CONTENT_CHANGED = "content changed"
MISSING = "missing seq (deleted)"
INSERTED = "inserted"
REORDERED = "reordered"
PREV_MISMATCH = "prev hash mismatch"

_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def timestamp(value):
    """The hashed form of a time: ISO 8601 in UTC with microseconds, for an aware datetime."""
    if value.tzinfo is None:
        raise ValueError("audit times must be aware datetimes")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _plain(value):
    """`value` as JSON gives it back from either database: whole floats become integers."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def canonical_event(
    *, seq, prev_sha256, action, actor, object_type, object_repr, before, after, created_at
):
    """The exact text hashed for one event (see the module docstring).

    `actor` is a username or None ("" counts as None); `created_at` an aware datetime.
    """
    return _ENCODER.encode(
        {
            "seq": seq,
            "prev_sha256": prev_sha256,
            "action": action,
            "actor": actor or None,
            "object_type": object_type,
            "object_repr": object_repr,
            "before": _plain(before),
            "after": _plain(after),
            "created_at": timestamp(created_at),
        }
    )


def event_sha256(**fields):
    """Hex SHA-256 of canonical_event(**fields)."""
    return hashlib.sha256(canonical_event(**fields).encode("utf-8")).hexdigest()


def link(events, *, seq=0, sha256=GENESIS):
    """Chain new events after the head (`seq`, `sha256`).

    `events` is an iterable of mappings with the hashed fields other than seq and
    prev_sha256. Yields (seq, prev_sha256, sha256) for each, in order.
    """
    for event in events:
        seq, prev = seq + 1, sha256
        sha256 = event_sha256(seq=seq, prev_sha256=prev, **_content(event))
        yield seq, prev, sha256


_CONTENT = ("action", "actor", "object_type", "object_repr", "before", "after", "created_at")


def _content(event):
    return {name: event[name] for name in _CONTENT}


def _hashes_at(event, seq):
    """True when the stored event's fields, taken at `seq`, hash to its recorded SHA-256."""
    fields = _content(event)
    return event_sha256(seq=seq, prev_sha256=event["prev_sha256"], **fields) == event["sha256"]


@dataclass(frozen=True)
class Problem:
    """The first event of a chain that does not verify, and what is wrong with it.

    `event_id` is None when the event is gone (its seq is missing).
    """

    seq: int
    event_id: int | None
    kind: str
    detail: str

    def __str__(self):
        where = f"id {self.event_id}" if self.event_id is not None else "no such row"
        return f"event seq {self.seq} ({where}): {self.kind}: {self.detail}"


class ChainCheck:
    """Checks one investigation's events, fed in seq order, against its anchored head.

    Feed each event to add() as a mapping with `id`, `seq`, `prev_sha256`, `sha256` and the
    hashed fields, then call finish(). Both return the first Problem found, or None; after a
    problem, further events are ignored. `find(sha256)` gives the event (the same mapping)
    whose SHA-256 is `sha256`, or None; it is asked only to tell a moved event from a changed
    one, a few times at most, when the first problem is found.
    """

    def __init__(self, head_seq, head_sha256, find=None):
        self.head_seq = head_seq
        self.head_sha256 = head_sha256
        self.find = find
        self.seq = 0
        self.sha256 = GENESIS
        self.last_id = None
        self.count = 0
        self.problem = None

    def add(self, event):
        if self.problem is None:
            self.problem = self._check(event)
            if self.problem is None:
                self.seq, self.sha256, self.last_id = event["seq"], event["sha256"], event["id"]
                self.count += 1
        return self.problem

    def _check(self, event):
        seq, event_id, expected = event["seq"], event["id"], self.seq + 1
        if seq < expected:
            detail = f"a second event at seq {seq}" if seq else "seq 0 precedes the first event"
            return Problem(seq, event_id, INSERTED, detail)
        if seq > self.head_seq:
            return Problem(
                seq,
                event_id,
                INSERTED,
                f"after the newest event the investigation records (seq {self.head_seq})",
            )
        if seq > expected:
            return Problem(expected, None, MISSING, f"the next event is seq {seq} (id {event_id})")
        if not _hashes_at(event, seq):
            recorded = self._hashed_at(event)
            if recorded is not None and recorded != seq:
                return Problem(seq, event_id, REORDERED, f"it was recorded as seq {recorded}")
            return Problem(
                seq, event_id, CONTENT_CHANGED, "its fields do not hash to its recorded SHA-256"
            )
        if event["prev_sha256"] != self.sha256:
            return Problem(
                seq,
                event_id,
                PREV_MISMATCH,
                f"its prev_sha256 is not the SHA-256 of event seq {self.seq}, which was "
                "changed and hashed again, replaced, or removed with the seqs renumbered",
            )
        return None

    def _hashed_at(self, event, depth=8):
        """The seq `event`'s SHA-256 was taken at, found by following prev_sha256 back to an
        event that still hashes at its own seq; None when there is no such seq."""
        if event["prev_sha256"] == GENESIS:
            seq = 1
        else:
            previous = self.find(event["prev_sha256"]) if self.find and depth else None
            if previous is None:
                return None
            if _hashes_at(previous, previous["seq"]):
                seq = previous["seq"] + 1
            else:
                previous_seq = self._hashed_at(previous, depth - 1)
                if previous_seq is None:
                    return None
                seq = previous_seq + 1
        return seq if _hashes_at(event, seq) else None

    def finish(self):
        if self.problem is None:
            if self.seq < self.head_seq:
                gone = self.head_seq - self.seq
                self.problem = Problem(
                    self.seq + 1,
                    None,
                    MISSING,
                    f"the investigation records {self.head_seq} events; the newest {gone} "
                    f"{'is' if gone == 1 else 'are'} gone",
                )
            elif self.sha256 != self.head_sha256:
                self.problem = Problem(
                    self.seq,
                    self.last_id,
                    CONTENT_CHANGED,
                    "its SHA-256 is not the head the investigation records",
                )
        return self.problem
