"""What one member may do to one claim and its verdict, as the claim page is told."""

import pytest

from claims.evidence import citations
from claims.models import Claim, ClaimStatus, Membership
from claims.review import editing, reviews, workflow
from claims.review.decisions import ClaimDecisions, VerdictDecisions, may_adjust


def member(user):
    return Membership.objects.get(user=user)


def claim_decisions(user, claim):
    return ClaimDecisions.of(member(user), user, claim)


def verdict_decisions(user, verdict):
    return VerdictDecisions.of(member(user), user, verdict)


def propose(claim, proposer):
    return reviews.propose_verdict(
        claim, proposer=proposer, membership=member(proposer), rating="false", rationale="No."
    )


def test_the_proposer_may_not_sign_off_their_own_verdict(claim, bob, rita):
    verdict = propose(claim, bob)
    own = verdict_decisions(bob, verdict)
    assert own.own_verdict
    assert not own.may_sign_off
    assert not own.may_send_back
    # The flag says what the server says.
    with pytest.raises(reviews.OwnVerdict):
        reviews.sign_off_verdict(verdict, reviewer=bob, membership=member(bob))
    other = verdict_decisions(rita, verdict)
    assert other == VerdictDecisions(may_sign_off=True, may_send_back=True)


def test_the_author_of_a_voiding_change_may_not_sign_off_again(claim, bob, rita, erin):
    citation = citations.cite_evidence(claim, actor=bob, stance="context", title="Gauge data")
    verdict = propose(claim, bob)
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita))
    claim.refresh_from_db()
    editing.edit_citation(
        citation, actor=erin, expected_version=1, stance="refutes", excerpt="", note=""
    )
    again = reviews.current_verdict(claim)
    changed = verdict_decisions(erin, again)
    assert changed.own_change
    assert not changed.may_sign_off
    with pytest.raises(reviews.OwnChange):
        reviews.sign_off_verdict(again, reviewer=erin, membership=member(erin))
    assert verdict_decisions(bob, again).own_verdict
    assert verdict_decisions(rita, again).may_sign_off


def test_a_viewer_may_not_sign_off_nor_send_back(claim, bob, victor):
    verdict = propose(claim, bob)
    assert verdict_decisions(victor, verdict) == VerdictDecisions()


def test_nothing_to_decide_without_a_verdict_awaiting_sign_off(claim, bob, rita):
    assert verdict_decisions(rita, None) == VerdictDecisions()
    verdict = propose(claim, bob)
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita))
    assert verdict_decisions(rita, verdict) == VerdictDecisions()


@pytest.mark.parametrize(
    ("status", "proposable"),
    [
        (ClaimStatus.SUGGESTED, False),
        (ClaimStatus.OPEN, True),
        (ClaimStatus.IN_REVIEW, True),
        (ClaimStatus.VERDICT_PROPOSED, True),
        (ClaimStatus.SIGN_OFF_VOID, True),
        (ClaimStatus.REOPENED, True),
        (ClaimStatus.DISPUTED, True),
        (ClaimStatus.VERIFIED, False),
        (ClaimStatus.DISMISSED, False),
    ],
)
def test_a_verdict_is_proposed_while_the_claim_is_worked(claim, bob, victor, status, proposable):
    Claim.objects.filter(pk=claim.pk).update(status=status)
    claim.refresh_from_db()
    assert claim_decisions(bob, claim).may_propose is proposable
    assert not claim_decisions(victor, claim).may_propose


def test_adjusting_a_suggestion_is_a_reviewers_and_an_accepted_claim_an_editors(claim, bob, erin):
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.SUGGESTED)
    claim.refresh_from_db()
    assert may_adjust(member(bob), claim)
    assert claim_decisions(bob, claim).may_adjust
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.OPEN)
    claim.refresh_from_db()
    assert not claim_decisions(bob, claim).may_adjust
    assert claim_decisions(erin, claim).may_adjust


def test_reviewers_take_and_give_back_editors_assign(claim, bob, rita, erin, victor):
    assert claim_decisions(bob, claim) == ClaimDecisions(may_propose=True, may_take=True)
    assert claim_decisions(victor, claim) == ClaimDecisions()
    editor = claim_decisions(erin, claim)
    assert editor.may_assign
    assert editor.may_edit
    assert editor.may_adjust
    workflow.assign(claim, actor=bob, membership=member(bob), assignee=bob)
    claim.refresh_from_db()
    mine = claim_decisions(bob, claim)
    assert mine.may_give_back
    assert not mine.may_take
    # Someone else's claim may still be taken, as the server allows.
    assert claim_decisions(rita, claim).may_take
