"""Audit events as people read them: who did what, and each field's value before and after.

The audit log stores machine names ("claim.start_review", {"status": "open"}); this module
turns one event into a sentence and a list of changes for the history on a claim page and
the activity feed of an investigation. Unknown actions (other parts of the app add their own)
fall back to their stored name, so nothing recorded is ever hidden.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from claims import rows
from claims.models import (
    Attribution,
    AuditEvent,
    ClaimLink,
    ClaimStatus,
    Role,
    Stance,
    Verdict,
    VerdictRating,
)
from claims.review.workflow import TRANSITIONS

VERBS = {
    "claim.mark": "marked a claim",
    "claim.edit": "edited the claim",
    "claim.assign": "changed the assignee",
    "claim.priority": "changed the priority",
    "claim.tag": "changed the tags",
    "comment.add": "commented",
    "evidence.cite": "cited evidence",
    "citation.edit": "edited a citation",
    "citation.retract": "retracted a citation",
    "verdict.propose": "proposed a verdict",
    "verdict.sign_off": "signed off the verdict",
    "verdict.send_back": "sent the verdict back",
    "verdict.void": "voided the sign-off: what it approved changed",
    "verdict.resubmit": "put the verdict up for sign-off again",
    "link.confirmed_same": "confirmed a similar claim as the same claim",
    "link.confirmed_contradicts": "confirmed that another claim contradicts this one",
    "link.rejected": "rejected a suggested similar claim",
    "source.add": "added a source",
    "source.extract": "ran claim extraction",
    "member.change": "changed a membership",
    "investigation.create": "created the investigation",
    "investigation.edit": "edited the investigation",
    "investigation.archive": "archived the investigation",
    "investigation.restore": "restored the investigation",
    "invite.create": "invited someone by email",
    "invite.accept": "accepted an invitation",
    "invite.revoke": "withdrew an invitation",
    "admin.add": "added in the admin",
    "admin.change": "changed in the admin",
    "admin.delete": "deleted in the admin",
}
VERBS.update(
    {
        f"claim.{name}": f"moved the claim ({move.label.lower()})"
        for name, move in TRANSITIONS.items()
    }
)
VERBS["claim.void_sign_off"] = "marked the claim changed since sign-off"

# Stored values that have a human label.
LABELS = {
    # A similar-claim link's statuses first, so a claim's or verdict's label wins on a clash.
    "status": {
        **dict(ClaimLink.Status.choices),
        **dict(ClaimStatus.choices),
        **dict(Verdict.Status.choices),
    },
    "relation": dict(ClaimLink.Relation.choices),
    "rating": dict(VerdictRating.choices),
    "stance": dict(Stance.choices),
    "attribution": dict(Attribution.choices),
    "role": dict(Role.choices),
}
FIELD_NAMES = {"sha256": "SHA-256", "url": "URL"}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str
    has_before: bool


@dataclass(frozen=True)
class Entry:
    event: object
    actor: str
    verb: str
    changes: list


def describe(event):
    """Return an Entry for one AuditEvent (actor loaded by the caller's select_related)."""
    verb = VERBS.get(event.action, event.action.replace(".", " ").replace("_", " "))
    names = list(event.after) + [name for name in event.before if name not in event.after]
    changes = [
        Change(
            field=FIELD_NAMES.get(name, name.replace("_", " ").capitalize()),
            before=_show(name, event.before.get(name)),
            after=_show(name, event.after.get(name)),
            has_before=name in event.before,
        )
        for name in names
    ]
    actor = event.actor.get_username() if event.actor_id else "system"
    return Entry(event=event, actor=actor, verb=verb, changes=changes)


def _show(name, value):
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return str(LABELS.get(name, {}).get(value, value))


def describe_all(events):
    return [describe(event) for event in events]


_EVENT = rows.Columns(AuditEvent, "event")
_ACTOR = rows.Columns(get_user_model(), "actor", [get_user_model().USERNAME_FIELD])
# Only table and column names from _meta are formatted in; values go as parameters.
_CLAIM_HISTORY_SQL = f"""
SELECT {_EVENT.sql}, {_ACTOR.sql}
FROM {_EVENT.table} event
LEFT JOIN {_ACTOR.table} actor ON actor.id = event.actor_id
WHERE event.claim_id = %s
ORDER BY event.created_at DESC, event.id DESC
"""  # noqa: S608


def claim_history(claim):
    """Every event of the claim, newest first, described. Hand-written SQL (claims/rows.py),
    as the claim page reads it on every load."""
    events = []
    for row in rows.fetch(_CLAIM_HISTORY_SQL, [claim.pk]):
        event = _EVENT.build(row)
        rows.cache_related(event, "actor", _ACTOR.build(row, _EVENT.width))
        events.append(event)
    return describe_all(events)
