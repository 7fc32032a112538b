"""The claim state machine: which status may follow which, and which role may move it.

    suggested ──accept──▶ open ──start review──▶ in review ──propose──▶ verdict proposed
        │                  │                        ▲                     │        │
     dismiss            dismiss                 send back ◀───────────────┘     sign off
        ▼                  ▼                                                       ▼
    dismissed ──restore──▶ open          verified ──reopen (editor, reason)──▶ reopened

    verified ──a change to what it approved (void)──▶ changed since sign-off
        ▲                                               │         │           │
        └── sign off (second reviewer) ─────────────────┘     send back    propose
                                                                  ▼           ▼
                                                              in review   verdict proposed

`disputed` marks a claim whose reviewers disagree; it is worked like an open claim.

Verdict steps (propose, sign off, send back, and the void of a sign-off when what it approved
changes) are `internal`: they move verdicts as well as the claim, so only reviews.py takes
them, through `_check_transition` and `_apply_transition`. The public `transition` and
`check_transition`, which the move form, bulk moves and commands use, refuse them with a
sentence saying where the step is done. Reopening is a button, but it supersedes the
signed-off verdict too: it is taken through `reviews.move_claim`, never `transition` alone.

A verified claim whose statement or evidence changes after sign-off is "changed since
sign-off": its sign-off is void, and the same verdict waits for a second reviewer again. From
there a reviewer other than its proposer (and other than whoever made the change) signs it off,
or sends it back with a comment, or someone proposes a different verdict.

Every change here is one conditional UPDATE that names what the user saw: a move names the
status it starts from, an assignment the assignee it replaces, a priority the priority it
replaces. Two people acting on the same claim cannot both succeed, and a refused change writes
nothing. `Claim.version` is left to edits of the claim's wording (editing.py), so moving or
assigning a claim never makes someone's open edit form stale.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from claims import limits, rows
from claims.access.roles import Action, member_allows, roles_allowed
from claims.corroboration.matching import queue_matching
from claims.models import Claim, ClaimStatus, Membership, Priority, Tag
from claims.review import audit
from claims.review.guarded import guarded_update

S = ClaimStatus
WORKABLE = frozenset({S.OPEN, S.IN_REVIEW, S.REOPENED, S.DISPUTED})


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    # The move's own action in the role table; None for a move that follows from a change
    # someone was allowed to make (a void), which has no role of its own.
    action: Action | None
    needs_reason: bool = False
    # Moves made only as part of a verdict step (reviews.py), never offered as a button; the
    # sentence says where the step is done instead, for whoever tries it as a move.
    internal: bool = False
    done_instead: str = ""
    # Moves that change verdicts as well as the claim: only reviews.py applies them.
    touches_verdicts: bool = False


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("accept", "Accept", frozenset({S.SUGGESTED}), S.OPEN, Action.ACCEPT_SUGGESTION),
        Transition(
            "dismiss_suggestion",
            "Dismiss suggestion",
            frozenset({S.SUGGESTED}),
            S.DISMISSED,
            Action.DISMISS_SUGGESTION,
        ),
        Transition(
            "start_review",
            "Start review",
            frozenset({S.OPEN, S.REOPENED, S.DISPUTED}),
            S.IN_REVIEW,
            Action.START_REVIEW,
        ),
        Transition(
            "propose",
            "Propose verdict",
            WORKABLE | {S.SIGN_OFF_VOID},
            S.VERDICT_PROPOSED,
            Action.PROPOSE_VERDICT,
            internal=True,
            done_instead="A verdict is proposed in the claim's Verdict panel, with a rating "
            "and a rationale; the claim cannot be moved there directly.",
            touches_verdicts=True,
        ),
        Transition(
            "sign_off",
            "Sign off",
            frozenset({S.VERDICT_PROPOSED, S.SIGN_OFF_VOID}),
            S.VERIFIED,
            Action.SIGN_OFF_VERDICT,
            internal=True,
            done_instead="Only a second reviewer can sign off, on the proposed verdict in the "
            "claim's Verdict panel; the claim cannot be moved to verified directly.",
            touches_verdicts=True,
        ),
        Transition(
            "send_back",
            "Send back",
            frozenset({S.VERDICT_PROPOSED, S.SIGN_OFF_VOID}),
            S.IN_REVIEW,
            Action.SEND_BACK_VERDICT,
            internal=True,
            done_instead="A proposed verdict is sent back in the claim's Verdict panel, with a "
            "comment saying why; the claim cannot be moved back directly.",
            touches_verdicts=True,
        ),
        Transition(
            "void_sign_off",
            "Void sign-off",
            frozenset({S.VERIFIED}),
            S.SIGN_OFF_VOID,
            None,
            internal=True,
            done_instead="A sign-off is voided only by a change to what it approved (see the "
            "Verdict panel); the claim cannot be moved there directly.",
            touches_verdicts=True,
        ),
        Transition(
            "dispute",
            "Mark disputed",
            frozenset({S.OPEN, S.IN_REVIEW, S.REOPENED}),
            S.DISPUTED,
            Action.DISPUTE_CLAIM,
            needs_reason=True,
        ),
        Transition("dismiss", "Dismiss", WORKABLE, S.DISMISSED, Action.DISMISS_CLAIM),
        Transition("restore", "Restore", frozenset({S.DISMISSED}), S.OPEN, Action.RESTORE_CLAIM),
        Transition(
            "reopen",
            "Reopen",
            frozenset({S.VERIFIED}),
            S.REOPENED,
            Action.REOPEN_CLAIM,
            needs_reason=True,
            touches_verdicts=True,
        ),
    ]
}


class WorkflowError(Exception):
    """A move that was refused; the message is fit to show the user."""


class TransitionRefused(WorkflowError):
    pass


class EditConflict(WorkflowError):
    """Someone else changed the object since the user loaded it."""


def available_transitions(claim, membership):
    """The moves this member may offer as buttons for the claim in its present state."""
    return [
        t
        for t in TRANSITIONS.values()
        if not t.internal and claim.status in t.sources and member_allows(membership, t.action)
    ]


def check_transition(claim, name, membership):
    """Return the Transition or raise TransitionRefused explaining why not.

    Verdict steps are refused here whoever asks: they are taken in the Verdict panel.
    """
    move = TRANSITIONS.get(name)
    if move is not None and move.internal:
        raise TransitionRefused(move.done_instead)
    return _check_transition(claim, name, membership)


def _check_transition(claim, name, membership):
    """check_transition without the refusal of verdict steps: for reviews.py only."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionRefused(f"Unknown action {name!r}.")
    if transition.action is not None and not member_allows(membership, transition.action):
        raise TransitionRefused(f"Your role cannot {transition.label.lower()} a claim.")
    if claim.status not in transition.sources:
        raise TransitionRefused(
            f"A claim that is {claim.get_status_display().lower()} cannot be "
            f"moved by “{transition.label}”."
        )
    return transition


def transition(claim, name, *, actor, membership, reason="", expected_status=None):
    """Move `claim` by the named transition, record it, and return the refreshed claim.

    `expected_status` is the status the user saw (default: the claim's loaded status). Raises
    TransitionRefused (not allowed now, or a move that changes verdicts: those go through
    reviews.py) or EditConflict (the claim moved since). Runs in a transaction; nothing is
    written when it raises.
    """
    move = TRANSITIONS.get(name)
    if move is not None and move.touches_verdicts:
        raise TransitionRefused(
            move.done_instead
            or f"“{move.label}” changes verdicts; it is done in the claim's "
            "Verdict panel (reviews.py), not as a bare move."
        )
    return _apply_transition(
        claim,
        name,
        actor=actor,
        membership=membership,
        reason=reason,
        expected_status=expected_status,
    )


def _apply_transition(claim, name, *, actor, membership, reason="", expected_status=None):
    """`transition` for every move, verdict steps included: for reviews.py only, which
    changes the verdicts in the same transaction."""
    status = claim.status if expected_status is None else expected_status
    if status != claim.status:
        raise _moved_meanwhile(claim)
    move = _check_transition(claim, name, membership)
    if move.needs_reason and not reason.strip():
        raise TransitionRefused(f"“{move.label}” needs a reason.")
    limits.check_lengths(reason=(reason, limits.REASON_MAX_CHARS))
    with transaction.atomic():
        if move.name == "accept":
            queue_matching([claim.pk])
        return guarded_update(
            claim,
            expect={"status": status},
            changes={"status": move.target, "updated_at": timezone.now()},
            conflict=_moved_meanwhile,
            event={
                "actor": actor,
                "action": f"claim.{move.name}",
                "before": {"status": status},
                "after": {"status": move.target, **({"reason": reason.strip()} if reason else {})},
            },
        )


def _moved_meanwhile(claim):
    return EditConflict(
        f"Someone moved this claim meanwhile; it is now "
        f"{claim.get_status_display().lower()}. Check it, then try again."
    )


# Sentinel for "the caller does not say what it saw": the change applies to the loaded value.
LOADED = object()


def can_assign(membership, assignee, actor, current_assignee=None):
    """True when the member may give the claim to `assignee` (None: to nobody).

    Editors assign anyone; reviewers take a claim themselves or give back their own.
    """
    if member_allows(membership, Action.ASSIGN):
        return True
    if not member_allows(membership, Action.TAKE_CLAIM):
        return False
    return assignee == actor or (assignee is None and current_assignee == actor)


def assign(claim, *, actor, membership, assignee, expected_assignee=LOADED):
    """Assign the claim to a member (or to nobody with assignee=None); record the change.

    `expected_assignee` is the assignee the user saw (a user or None). Raises
    TransitionRefused when the role does not allow it or the assignee cannot review in this
    investigation, EditConflict when someone else assigned the claim meanwhile.
    """
    current = claim.assignee if expected_assignee is LOADED else expected_assignee
    if not can_assign(membership, assignee, actor, current):
        raise TransitionRefused("Your role lets you take a claim yourself, not assign others.")
    if assignee is not None and not _can_review(assignee, claim.investigation_id):
        raise TransitionRefused(f"{assignee.get_username()} is not a reviewer here.")
    current_id = current.pk if current else None
    if current_id == (assignee.pk if assignee else None):
        return claim

    def assigned_meanwhile(claim):
        who = claim.assignee.get_username() if claim.assignee else "nobody"
        return EditConflict(f"Someone assigned this claim meanwhile; it is now with {who}.")

    with transaction.atomic():
        return guarded_update(
            claim,
            expect={"assignee_id": current_id},
            changes={"assignee": assignee, "updated_at": timezone.now()},
            conflict=assigned_meanwhile,
            event={
                "actor": actor,
                "action": "claim.assign",
                "before": {"assignee": current.get_username() if current else None},
                "after": {"assignee": assignee.get_username() if assignee else None},
            },
        )


def _can_review(user, investigation_id):
    # Whoever may take a claim themselves may be given one.
    return Membership.objects.filter(
        investigation_id=investigation_id, user=user, role__in=roles_allowed(Action.TAKE_CLAIM)
    ).exists()


def set_priority(claim, *, actor, membership, priority, expected_priority=None):
    """Set the claim's priority; EditConflict if someone changed it since `expected_priority`."""
    if not member_allows(membership, Action.SET_PRIORITY):
        raise TransitionRefused("Your role cannot change priorities.")
    seen = claim.priority if expected_priority is None else expected_priority

    def changed_meanwhile(claim):
        return EditConflict(
            "Someone changed the priority meanwhile; it is now "
            f"{claim.get_priority_display().lower()}."
        )

    with transaction.atomic():
        return guarded_update(
            claim,
            expect={"priority": seen},
            changes={"priority": priority, "updated_at": timezone.now()},
            conflict=changed_meanwhile,
            event=lambda claim: {
                "actor": actor,
                "action": "claim.priority",
                "before": {"priority": Priority(seen).label},
                "after": {"priority": claim.get_priority_display()},
            },
        )


def tag(claim, *, actor, membership, add=(), remove=()):
    """Add tags (by name, created in the investigation if new) and remove tags from a claim.

    Adding and removing named tags, rather than saving a whole set, lets two people tag the
    same claim at once without one undoing the other. Returns the names actually added and
    removed; records one audit event when anything changed.
    """
    if not member_allows(membership, Action.TAG_CLAIM):
        raise TransitionRefused("Your role cannot tag claims.")
    add = {name.strip()[:50] for name in add if name.strip()}
    remove = {name.strip() for name in remove if name.strip()}
    with transaction.atomic():
        present = set(claim.tags.values_list("name", flat=True))
        to_add = []
        for name in sorted(add - present):
            found = Tag.objects.filter(investigation_id=claim.investigation_id, name__iexact=name)
            tag_row = found.first() or Tag.objects.create(
                investigation_id=claim.investigation_id, name=name
            )
            if tag_row.name not in present:
                to_add.append(tag_row)
        to_remove = list(claim.tags.filter(name__in=remove))
        claim.tags.add(*to_add)
        claim.tags.remove(*to_remove)
        added = sorted(t.name for t in to_add)
        removed = sorted(t.name for t in to_remove)
        if added or removed:
            Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())
            audit.record(
                actor,
                "claim.tag",
                claim,
                investigation=claim.investigation,
                claim=claim,
                before={"tags": sorted(present)},
                after={"tags": sorted((present | set(added)) - set(removed))},
            )
    return added, removed


_TAG = rows.Columns(Tag, "tag")
# Only table and column names from _meta are formatted in; values go as parameters.
_TAGS_SQL = f"""
SELECT {_TAG.sql}, EXISTS(
    SELECT 1 FROM {rows.quote(Claim.tags.through._meta.db_table)} tagged
    WHERE tagged.claim_id = %s AND tagged.tag_id = tag.id
)
FROM {_TAG.table} tag
WHERE tag.investigation_id = %s
ORDER BY tag.name
"""  # noqa: S608


def investigation_tags(claim):
    """The tags of the claim's investigation by name, each with `on_claim` (whether the claim
    carries it). Hand-written SQL (claims/rows.py), as the claim page reads it on every load."""
    tags = []
    for row in rows.fetch(_TAGS_SQL, [claim.pk, claim.investigation_id]):
        tag = _TAG.build(row)
        tag.on_claim = bool(row[_TAG.width])
        tags.append(tag)
    return tags
