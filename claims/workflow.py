"""The claim state machine: which status may follow which, and which role may move it.

    suggested ──accept──▶ open ──start review──▶ in review ──propose──▶ verdict proposed
        │                  │                        ▲                     │        │
     dismiss            dismiss                 send back ◀───────────────┘     sign off
        ▼                  ▼                                                       ▼
    dismissed ──restore──▶ open          verified ──reopen (editor, reason)──▶ reopened

`disputed` marks a claim whose reviewers disagree; it is worked like an open claim. Verdict
proposal, sign-off and send-back move the claim through reviews.py, which calls `transition`.
Every move is one conditional UPDATE on (pk, version): two people acting on the same claim
cannot both succeed, and a refused move changes nothing.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims import audit
from claims.models import Claim, ClaimStatus
from claims.permissions import Action, allows

S = ClaimStatus
WORKABLE = frozenset({S.OPEN, S.IN_REVIEW, S.REOPENED, S.DISPUTED})


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    action: Action
    needs_reason: bool = False
    # Moves made only as part of a verdict step (reviews.py), never offered as a button.
    internal: bool = False


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("accept", "Accept", frozenset({S.SUGGESTED}), S.OPEN, Action.ACCEPT_SUGGESTION),
        Transition(
            "dismiss_suggestion",
            "Dismiss suggestion",
            frozenset({S.SUGGESTED}),
            S.DISMISSED,
            Action.ACCEPT_SUGGESTION,
        ),
        Transition(
            "start_review",
            "Start review",
            frozenset({S.OPEN, S.REOPENED, S.DISPUTED}),
            S.IN_REVIEW,
            Action.ADD_EVIDENCE,
        ),
        Transition(
            "propose",
            "Propose verdict",
            WORKABLE,
            S.VERDICT_PROPOSED,
            Action.PROPOSE_VERDICT,
            internal=True,
        ),
        Transition(
            "sign_off",
            "Sign off",
            frozenset({S.VERDICT_PROPOSED}),
            S.VERIFIED,
            Action.SIGN_OFF_VERDICT,
            internal=True,
        ),
        Transition(
            "send_back",
            "Send back",
            frozenset({S.VERDICT_PROPOSED}),
            S.IN_REVIEW,
            Action.SIGN_OFF_VERDICT,
            internal=True,
        ),
        Transition(
            "dispute",
            "Mark disputed",
            frozenset({S.OPEN, S.IN_REVIEW, S.REOPENED}),
            S.DISPUTED,
            Action.EDIT_CLAIM,
            needs_reason=True,
        ),
        Transition("dismiss", "Dismiss", WORKABLE, S.DISMISSED, Action.DISMISS_CLAIM),
        Transition("restore", "Restore", frozenset({S.DISMISSED}), S.OPEN, Action.DISMISS_CLAIM),
        Transition(
            "reopen",
            "Reopen",
            frozenset({S.VERIFIED}),
            S.REOPENED,
            Action.REOPEN_CLAIM,
            needs_reason=True,
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
        if not t.internal and claim.status in t.sources and allows(membership, t.action)
    ]


def check_transition(claim, name, membership):
    """Return the Transition or raise TransitionRefused explaining why not."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionRefused(f"Unknown action {name!r}.")
    if not allows(membership, transition.action):
        raise TransitionRefused(f"Your role cannot {transition.label.lower()} a claim.")
    if claim.status not in transition.sources:
        raise TransitionRefused(
            f"A claim that is {claim.get_status_display().lower()} cannot be "
            f"moved by “{transition.label}”."
        )
    return transition


def transition(claim, name, *, actor, membership, reason="", expected_version=None):
    """Move `claim` by the named transition, record it, and return the refreshed claim.

    Raises TransitionRefused (not allowed now) or EditConflict (the claim changed since
    `expected_version`). Runs in a transaction; nothing is written when it raises.
    """
    move = check_transition(claim, name, membership)
    if move.needs_reason and not reason.strip():
        raise TransitionRefused(f"“{move.label}” needs a reason.")
    version = claim.version if expected_version is None else expected_version
    with transaction.atomic():
        updated = Claim.objects.filter(pk=claim.pk, version=version, status=claim.status).update(
            status=move.target, version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            raise EditConflict(
                "Someone changed this claim while you were looking at it; "
                "reload to see the change, then try again."
            )
        before_status = claim.status
        claim.refresh_from_db()
        audit.record(
            actor,
            f"claim.{move.name}",
            claim,
            investigation=claim.investigation,
            claim=claim,
            before={"status": before_status},
            after={"status": claim.status, **({"reason": reason} if reason else {})},
        )
    return claim


def assign(claim, *, actor, membership, assignee, expected_version=None):
    """Assign the claim to a member (or to nobody with assignee=None); record the change."""
    if not allows(membership, Action.ASSIGN) and not (
        assignee == actor and allows(membership, Action.ADD_EVIDENCE)
    ):
        raise TransitionRefused("Your role cannot assign claims to others.")
    version = claim.version if expected_version is None else expected_version
    before = claim.assignee.get_username() if claim.assignee else None
    with transaction.atomic():
        updated = Claim.objects.filter(pk=claim.pk, version=version).update(
            assignee=assignee, version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            raise EditConflict("Someone changed this claim meanwhile; reload and try again.")
        claim.refresh_from_db()
        audit.record(
            actor,
            "claim.assign",
            claim,
            investigation=claim.investigation,
            claim=claim,
            before={"assignee": before},
            after={"assignee": assignee.get_username() if assignee else None},
        )
    return claim
