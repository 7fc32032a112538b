"""One change applied to many claims: assign, tag or move them, each on its own.

Every claim goes through the same domain function a single change uses (`workflow.assign`,
`workflow.tag`, `reviews.move_claim`), in its own transaction: a claim whose change is not
allowed, or that someone changed meanwhile, is reported and left exactly as it was, while the
others change. Nothing is half-applied to any one claim.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from claims.review import reviews, workflow
from claims.review.workflow import TRANSITIONS, WorkflowError, check_transition

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

ACTIONS = ("assign", "tag", "move")


@dataclass(frozen=True)
class Change:
    """What a bulk change will do, in words a confirmation can state."""

    action: str
    assignee: "AbstractBaseUser | None" = None  # None for "nobody"
    tag: str = ""
    transition: str = ""
    reason: str = ""

    def describe(self, count):
        claims = f"{count} claim{'' if count == 1 else 's'}"
        if self.action == "assign":
            who = self.assignee.get_username() if self.assignee else "nobody"
            return f"Assign {claims} to {who}"
        if self.action == "tag":
            return f"Tag {claims} “{self.tag}”"
        return f"{TRANSITIONS[self.transition].label}: {claims}"


@dataclass
class Outcome:
    changed: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)  # (claim, reason) pairs

    def summary(self, change):
        done = len(self.changed)
        text = f"{change.describe(done)}: done."
        if self.unchanged:
            text += f" {len(self.unchanged)} not changed."
        return text


def apply(claims, change, *, actor, membership):
    """Apply `change` to each claim; return an Outcome listing changed and refused claims."""
    outcome = Outcome()
    for claim in claims:
        try:
            if _already(claim, change):
                outcome.unchanged.append((claim, "already so"))
                continue
            _apply_one(claim, change, actor, membership)
        except WorkflowError as error:
            outcome.unchanged.append((claim, str(error)))
        else:
            outcome.changed.append(claim)
    return outcome


def refusals(claims, change, membership):
    """[(claim, reason)] for the claims a move will refuse, known before anything is written.

    Assigning and tagging are judged claim by claim as they are applied; only a move's
    refusals follow from each claim's status and the member's role alone.
    """
    if change.action != "move":
        return []
    refused = []
    for claim in claims:
        try:
            check_transition(claim, change.transition, membership)
        except WorkflowError as error:
            refused.append((claim, str(error)))
    return refused


def _already(claim, change):
    if change.action == "assign":
        return claim.assignee_id == (change.assignee.pk if change.assignee else None)
    if change.action == "tag":
        return change.tag.lower() in {tag.name.lower() for tag in claim.tags.all()}
    return False


def _apply_one(claim, change, actor, membership):
    if change.action == "assign":
        workflow.assign(claim, actor=actor, membership=membership, assignee=change.assignee)
    elif change.action == "tag":
        workflow.tag(claim, actor=actor, membership=membership, add=[change.tag])
    else:
        reviews.move_claim(
            claim, change.transition, actor=actor, membership=membership, reason=change.reason
        )
