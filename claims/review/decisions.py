"""What one member may do to one claim and its current verdict, decided once for the page.

Templates show a control when its flag is true and hold no role rules of their own. Each flag
rests on the role table (roles.py) and on the rule the domain applies when the control is
used (the four-eyes rule of reviews.py, the assignment rule of workflow.py), so the page
offers what the server will accept.
"""

from dataclasses import dataclass

from claims.access.roles import Action, member_allows
from claims.models import ClaimStatus, Verdict
from claims.review import reviews, workflow


def may_adjust(membership, claim):
    """May the member change the claim's words or correct how its numbers were read?"""
    suggested = claim.status == ClaimStatus.SUGGESTED
    return member_allows(membership, Action.ADJUST_SUGGESTION if suggested else Action.ADJUST_CLAIM)


@dataclass(frozen=True)
class ClaimDecisions:
    may_edit: bool = False
    may_adjust: bool = False
    may_propose: bool = False
    may_assign: bool = False  # to anyone
    may_take: bool = False  # to oneself
    may_give_back: bool = False  # one's own claim, to nobody

    @classmethod
    def of(cls, membership, user, claim):
        mine = claim.assignee_id is not None and claim.assignee_id == user.pk
        return cls(
            may_edit=member_allows(membership, Action.EDIT_CLAIM),
            may_adjust=may_adjust(membership, claim),
            may_propose=member_allows(membership, Action.PROPOSE_VERDICT)
            and claim.status in reviews.TAKES_A_PROPOSAL,
            may_assign=member_allows(membership, Action.ASSIGN),
            may_take=not mine and workflow.can_assign(membership, user, user, claim.assignee),
            may_give_back=mine and workflow.can_assign(membership, None, user, claim.assignee),
        )


@dataclass(frozen=True)
class VerdictDecisions:
    """For a verdict awaiting sign-off; all False for none, or one already closed."""

    own_verdict: bool = False  # the member proposed it
    own_change: bool = False  # the member's change voided its earlier sign-off
    may_sign_off: bool = False
    may_send_back: bool = False

    @classmethod
    def of(cls, membership, user, verdict):
        if verdict is None or verdict.status != Verdict.Status.PROPOSED:
            return cls()
        refusal = reviews.sign_off_refusal(verdict, user)
        may_sign_off = refusal is None and member_allows(membership, Action.SIGN_OFF_VERDICT)
        return cls(
            own_verdict=isinstance(refusal, reviews.OwnVerdict),
            own_change=isinstance(refusal, reviews.OwnChange),
            may_sign_off=may_sign_off,
            # The page offers sending back beside signing off, to whoever may sign off;
            # send_back_refusal alone would also let the author of a voiding change do it.
            may_send_back=may_sign_off
            and reviews.send_back_refusal(verdict, user) is None
            and member_allows(membership, Action.SEND_BACK_VERDICT),
        )
