"""The append-only history: every change to investigation data writes one AuditEvent.

Each investigation's events form a hash chain (audit_chain.py says what it covers): record()
appends to it, chain_head() names its newest link, verify() checks it from the first event.
"""

import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from claims.consistency import consistent_reads
from claims.corroboration import summaries
from claims.models import (
    AUDIT_HEAD_FIELDS,
    AuditEvent,
    Claim,
    Investigation,
    InvestigationArchived,
)
from claims.review import audit_chain, notifications

# Events that may still be recorded in an archived investigation: archiving and restoring it.
# Every other change is refused here, whichever door it came through (a page, a command,
# the admin, a task), since every change to investigation data is recorded.
RECORDED_WHILE_ARCHIVED = frozenset({"investigation.archive", "investigation.restore"})


def snapshot_fields(instance, fields):
    """Plain JSON-able values of `fields` on `instance`, for before/after records."""
    values = {}
    for name in fields:
        value = getattr(instance, name)
        if hasattr(value, "pk") or (
            value is not None and not isinstance(value, (str, int, float, bool, list, dict))
        ):
            value = str(value)
        values[name] = value
    return values


def record(actor, action, obj, *, investigation, claim=None, before=None, after=None):
    """Append one audit event to the investigation's chain and return it.

    Refuses (InvestigationArchived) any event but archiving and restoring in an archived
    investigation, so that no door can write to one.

    Call it inside the same transaction as the change it describes, so that a change and its
    record are written together or not at all, and after that transaction's other writes: it
    locks the investigation's row until the transaction ends (three queries: lock and read
    the head, insert, move the head). Appends to one investigation are thereby serialized, so
    two writers never chain onto the same head; the unique (investigation, seq) constraint
    refuses it should they ever try. On PostgreSQL the lock is FOR NO KEY UPDATE, which
    does not wait for (nor hold up) rows being inserted that point at the investigation; on
    SQLite the database's write lock serializes writers, in deferred or immediate mode.
    A lock taken after other row locks can meet a transaction that took them the other way
    round; PostgreSQL then aborts one of the two (a deadlock error) rather than fork the chain.
    """
    actor = actor if actor is not None and actor.is_authenticated else None
    # Hash what the database will give back: JSON's own lists, string keys and numbers.
    before = json.loads(json.dumps(before or {}))
    after = json.loads(json.dumps(after or {}))
    with transaction.atomic(savepoint=False):
        rows = Investigation.objects.filter(pk=investigation.pk)
        locked = rows.select_for_update(no_key=True)
        seq, prev, archived_at = locked.values_list(*AUDIT_HEAD_FIELDS, "archived_at").get()
        if archived_at is not None and not _open_while_archived(action, obj, after):
            # Raised inside the change's transaction: the change goes with the refusal.
            raise InvestigationArchived()
        event = AuditEvent(
            investigation=investigation,
            claim=claim,
            actor=actor,
            actor_username=actor.get_username() if actor else "",
            action=action,
            object_type=obj._meta.model_name,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            before=before,
            after=after,
            # Taken under the lock, so times follow the chain's order.
            created_at=timezone.now(),
            seq=seq + 1,
            prev_sha256=prev,
        )
        event.sha256 = audit_chain.event_sha256(**_hashed_fields(event))
        event.save()
        rows.update(audit_seq=event.seq, audit_head_sha256=event.sha256)
        # Mentions, assignments, proposals and send-backs owe people an email: told here, the
        # one door every change passes, so no entry point can forget to.
        notifications.queue_for(event)
        # The numbers page's kept summaries: refreshed by the worker after the commit, so the
        # next reader finds them fresh (a reader never trusts a stale one either way).
        summaries.queue_refresh_for(event)
    investigation.audit_seq, investigation.audit_head_sha256 = event.seq, event.sha256
    return event


def _open_while_archived(action, obj, after):
    """Whether an event may be recorded in an archived investigation: archiving or restoring
    it, through the pages or (a change of `archived_at`) the admin."""
    if action in RECORDED_WHILE_ARCHIVED:
        return True
    return isinstance(obj, Investigation) and "archived_at" in after


def _hashed_fields(event):
    return {
        "seq": event.seq,
        "prev_sha256": event.prev_sha256,
        "action": event.action,
        "actor": event.actor_username,
        "object_type": event.object_type,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "created_at": event.created_at,
    }


def chain_head(investigation):
    """(seq, sha256) of the newest event in the investigation's chain, as stored now.

    (0, 64 zeros) before the first event. One query: read it inside the transaction that
    reads whatever else it is stated with.
    """
    return Investigation.objects.filter(pk=investigation.pk).values_list(*AUDIT_HEAD_FIELDS).get()


@dataclass(frozen=True)
class Verification:
    """What verify() found for one investigation: the events that verified, the head the
    investigation records, and the first problem (None when the whole chain verifies)."""

    investigation: Investigation
    events: int
    head_seq: int
    head_sha256: str
    problem: audit_chain.Problem | None

    @property
    def is_intact(self):
        return self.problem is None


_CHECKED_COLUMNS = (
    "id",
    "seq",
    "prev_sha256",
    "sha256",
    "action",
    "actor_username",
    "object_type",
    "object_repr",
    "before",
    "after",
    "created_at",
)


def _checked(row):
    event = dict(zip(_CHECKED_COLUMNS, row, strict=True))
    event["actor"] = event.pop("actor_username")
    return event


def verify(investigation):
    """Check the investigation's chain from its first event to the head it records.

    Reads the head and the events (in seq order, in chunks) from one snapshot of the
    database, so appends made meanwhile are not mistaken for insertions. Returns a
    Verification; stops at the first problem.
    """
    with consistent_reads():
        head_seq, head_sha256 = chain_head(investigation)
        events = AuditEvent.objects.filter(investigation=investigation)

        def find(sha256):
            row = events.filter(sha256=sha256).values_list(*_CHECKED_COLUMNS).first()
            return None if row is None else _checked(row)

        check = audit_chain.ChainCheck(head_seq, head_sha256, find)
        rows = events.order_by("seq", "pk").values_list(*_CHECKED_COLUMNS)
        for row in rows.iterator(chunk_size=2000):
            if check.add(_checked(row)):
                break
        problem = check.finish()
    return Verification(investigation, check.count, head_seq, head_sha256, problem)


def changed_fields(before, after):
    """Names of the fields whose value differs between two snapshots."""
    return [name for name in after if before.get(name) != after.get(name)]


def scope_of(obj):
    """(investigation, claim) whose history a change to `obj` belongs in.

    Follows the object's own links: a claim is its own scope, rows that hang off a claim
    (comments, quantities, verdicts, citations) belong to that claim, rows that hang off an
    evidence item or an investigation belong to the investigation. (None, None) for rows
    outside any investigation, which have no history page to appear on.
    """
    if isinstance(obj, Investigation):
        return obj, None
    if isinstance(obj, Claim):
        return obj.investigation, obj
    claim = getattr(obj, "claim", None)
    if isinstance(claim, Claim):
        return claim.investigation, claim
    evidence = getattr(obj, "evidence", None)
    if evidence is not None and hasattr(evidence, "investigation"):
        return evidence.investigation, None
    investigation = getattr(obj, "investigation", None)
    if isinstance(investigation, Investigation):
        return investigation, None
    return None, None


def column_values(obj, names=None):
    """snapshot_fields() over `obj`'s plain columns (or those of `names` that are columns)."""
    # An investigation's chain head is the history's own bookkeeping, not its data.
    columns = [
        field.name
        for field in obj._meta.concrete_fields
        if not field.primary_key and field.name not in AUDIT_HEAD_FIELDS
    ]
    if names is not None:
        columns = [name for name in columns if name in names]
    return snapshot_fields(obj, columns)
