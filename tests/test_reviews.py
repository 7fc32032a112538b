"""Four eyes and the claim state machine, without HTTP."""

import pytest

from claims import reviews, workflow
from claims.models import AuditEvent, ClaimStatus, Membership, Verdict
from claims.workflow import EditConflict, TransitionRefused


def member(user):
    return Membership.objects.get(user=user)


def test_proposal_then_second_reviewer_sign_off_verifies_the_claim(claim, bob, rita):
    verdict = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="false", rationale="Counts differ."
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERDICT_PROPOSED
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita))
    verdict.refresh_from_db()
    claim.refresh_from_db()
    assert verdict.status == Verdict.Status.SIGNED_OFF
    assert verdict.signed_off_by == rita
    assert claim.status == ClaimStatus.VERIFIED
    actions = list(AuditEvent.objects.filter(claim=claim).values_list("action", flat=True))
    assert "verdict.sign_off" in actions and "verdict.propose" in actions


def test_proposer_cannot_sign_off_own_verdict(claim, bob):
    verdict = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="Seen."
    )
    with pytest.raises(reviews.OwnVerdict):
        reviews.sign_off_verdict(verdict, reviewer=bob, membership=member(bob))
    verdict.refresh_from_db()
    claim.refresh_from_db()
    assert verdict.status == Verdict.Status.PROPOSED
    assert claim.status == ClaimStatus.VERDICT_PROPOSED


def test_viewer_cannot_sign_off(claim, bob, victor):
    verdict = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="Seen."
    )
    with pytest.raises(TransitionRefused):
        reviews.sign_off_verdict(verdict, reviewer=victor, membership=member(victor))
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PROPOSED


def test_send_back_returns_claim_to_review_and_keeps_history(claim, bob, rita):
    verdict = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="Seen."
    )
    reviews.send_back_verdict(
        verdict, reviewer=rita, membership=member(rita), comment="Need a second source."
    )
    claim.refresh_from_db()
    verdict.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW
    assert verdict.status == Verdict.Status.RETURNED
    assert verdict.review_comment == "Need a second source."
    again = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="mixed", rationale="Two sources."
    )
    assert claim.verdicts.count() == 2
    assert again.status == Verdict.Status.PROPOSED


def test_new_proposal_supersedes_pending_one(claim, bob, rita):
    first = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="One."
    )
    second = reviews.propose_verdict(
        claim, proposer=rita, membership=member(rita), rating="false", rationale="Two."
    )
    first.refresh_from_db()
    assert first.status == Verdict.Status.SUPERSEDED
    assert reviews.current_verdict(claim) == second


def test_signing_off_a_superseded_verdict_is_a_conflict(claim, bob, rita, erin):
    first = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="One."
    )
    reviews.propose_verdict(
        claim, proposer=rita, membership=member(rita), rating="false", rationale="Two."
    )
    with pytest.raises(EditConflict):
        reviews.sign_off_verdict(first, reviewer=erin, membership=member(erin))


def test_verified_claim_takes_no_new_verdict_until_an_editor_reopens_it(claim, bob, rita, erin):
    verdict = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="One."
    )
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita))
    claim.refresh_from_db()
    with pytest.raises(TransitionRefused):
        reviews.propose_verdict(
            claim, proposer=bob, membership=member(bob), rating="false", rationale="No."
        )
    with pytest.raises(TransitionRefused, match="role"):
        reviews.reopen_claim(claim, actor=bob, membership=member(bob), reason="New video.")
    with pytest.raises(TransitionRefused, match="reason"):
        reviews.reopen_claim(claim, actor=erin, membership=member(erin), reason=" ")
    reviews.reopen_claim(claim, actor=erin, membership=member(erin), reason="New video.")
    claim.refresh_from_db()
    verdict.refresh_from_db()
    assert claim.status == ClaimStatus.REOPENED
    assert verdict.status == Verdict.Status.SUPERSEDED


def test_a_move_from_a_status_that_is_gone_is_refused_and_changes_nothing(claim, erin):
    seen = claim.status
    workflow.transition(claim, "start_review", actor=erin, membership=member(erin))
    claim.refresh_from_db()
    with pytest.raises(EditConflict, match="in review"):
        workflow.transition(
            claim, "dismiss", actor=erin, membership=member(erin), expected_status=seen
        )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW


def test_invalid_transition_is_refused_with_a_message(claim, erin):
    with pytest.raises(TransitionRefused, match="cannot be moved"):
        workflow.transition(claim, "restore", actor=erin, membership=member(erin))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.OPEN
