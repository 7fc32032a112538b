"""Four eyes and the claim state machine, without HTTP."""

from pathlib import Path

import pytest

from claims.evidence import citations
from claims.models import AuditEvent, Claim, ClaimStatus, Membership, Snapshot, Verdict
from claims.review import editing, reviews, signoff, workflow
from claims.review.workflow import EditConflict, TransitionRefused


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
    assert "verdict.sign_off" in actions
    assert "verdict.propose" in actions


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


# --- One way to a verdict -----------------------------------------------------------------

VERDICT_STEPS = sorted(name for name, move in workflow.TRANSITIONS.items() if move.internal)


@pytest.mark.parametrize("name", VERDICT_STEPS)
def test_the_state_machine_alone_refuses_every_verdict_step(claim, alice, name):
    move = workflow.TRANSITIONS[name]
    status = sorted(move.sources)[0]
    Claim.objects.filter(pk=claim.pk).update(status=status)
    claim.refresh_from_db()
    with pytest.raises(TransitionRefused, match="Verdict panel"):
        workflow.transition(claim, name, actor=alice, membership=member(alice))
    with pytest.raises(TransitionRefused, match="Verdict panel"):
        reviews.move_claim(claim, name, actor=alice, membership=member(alice), reason="x")
    claim.refresh_from_db()
    assert claim.status == status
    assert not claim.verdicts.exists()


def test_a_reviewer_cannot_reach_verified_by_moving_the_claim(claim, bob):
    for name in ("propose", "sign_off"):
        with pytest.raises(TransitionRefused):
            reviews.move_claim(claim, name, actor=bob, membership=member(bob))
        claim.refresh_from_db()
    assert claim.status == ClaimStatus.OPEN


def test_reopening_through_the_bare_state_machine_is_refused(claim, bob, rita, erin):
    # Reopening also supersedes the signed-off verdict, so only reviews.py may do it.
    verdict = propose(claim, bob)
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita))
    claim.refresh_from_db()
    with pytest.raises(TransitionRefused):
        workflow.transition(claim, "reopen", actor=erin, membership=member(erin), reason="New.")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED


def test_only_reviews_py_applies_verdict_steps():
    """The private doors of workflow.py are used by reviews.py and nothing else."""
    package = Path(reviews.__file__).parent
    users = {
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "_apply_transition" in path.read_text() or "_check_transition" in path.read_text()
    }
    assert users == {"reviews.py", "workflow.py"}


# --- What a sign-off approves -------------------------------------------------------------


def propose(claim, proposer, rating="false", rationale="Counts differ."):
    return reviews.propose_verdict(
        claim, proposer=proposer, membership=member(proposer), rating=rating, rationale=rationale
    )


def test_sign_off_records_the_content_it_approved_and_its_sha256(claim, bob, rita):
    cited = citations.cite_evidence(
        claim,
        actor=bob,
        stance="refutes",
        url="https://example.org/tally",
        title="Insurer tally",
        excerpt="800 homes",
        note="Primary.",
    )
    Snapshot.objects.create(evidence=cited.evidence, status=Snapshot.Status.DONE, sha256="a" * 64)
    verdict = propose(claim, bob)
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita))
    verdict.refresh_from_db()
    expected = signoff.signed_content(
        statement=claim.quote,  # no statement of its own: the page shows the quote
        rating="false",
        rationale="Counts differ.",
        citations=[
            {
                "stance": "refutes",
                "url": "https://example.org/tally",
                "title": "Insurer tally",
                "snapshot_sha256": "a" * 64,
                "excerpt": "800 homes",
                "note": "Primary.",
            }
        ],
    )
    assert verdict.signed_content == expected
    assert verdict.signed_sha256 == signoff.content_sha256(expected)
    assert reviews.current_content(claim, verdict) == expected
    event = AuditEvent.objects.get(action="verdict.sign_off")
    assert event.after["sha256"] == verdict.signed_sha256


def test_sign_off_is_refused_when_the_content_changed_while_it_was_read(claim, bob, rita, erin):
    verdict = propose(claim, bob)
    seen = reviews.current_sha256(claim, verdict)
    citations.cite_evidence(claim, actor=erin, stance="supports", title="Late leaflet")
    with pytest.raises(reviews.ContentChanged, match="changed while you were reading"):
        reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita), seen_sha256=seen)
    verdict.refresh_from_db()
    claim.refresh_from_db()
    assert verdict.status == Verdict.Status.PROPOSED
    assert claim.status == ClaimStatus.VERDICT_PROPOSED
    fresh = reviews.current_sha256(claim, verdict)
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita), seen_sha256=fresh)
    verdict.refresh_from_db()
    assert verdict.signed_sha256 == fresh


# --- A change voids the sign-off ----------------------------------------------------------


@pytest.fixture
def signed(claim, bob, rita):
    """A verified claim: bob cited and proposed, rita signed off."""
    citation = citations.cite_evidence(
        claim,
        actor=bob,
        stance="context",
        url="https://example.org/gauge",
        title="Gauge data",
        excerpt="3.2 m",
    )
    verdict = propose(claim, bob)
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita))
    claim.refresh_from_db()
    verdict.refresh_from_db()
    return claim, citation, verdict


def assert_voided(claim, verdict, actor, reason_part):
    verdict.refresh_from_db()
    claim.refresh_from_db()
    assert verdict.status == Verdict.Status.VOIDED
    assert verdict.voided_by == actor
    assert verdict.voided_at is not None
    assert reason_part in verdict.void_reason
    assert verdict.signed_off_by is not None  # the sign-off itself stays on record
    assert claim.status == ClaimStatus.SIGN_OFF_VOID
    again = reviews.current_verdict(claim)
    assert again.status == Verdict.Status.PROPOSED
    assert again.resubmission_of == verdict
    assert (again.rating, again.rationale) == (verdict.rating, verdict.rationale)
    assert again.proposed_by == verdict.proposed_by
    event = AuditEvent.objects.get(action="verdict.void")
    assert event.before["sha256"] == verdict.signed_sha256
    assert event.after["sha256"] == reviews.current_sha256(claim, again)
    assert reason_part in event.after["reason"]
    return again


def test_editing_a_citation_after_sign_off_voids_it(signed, erin):
    claim, citation, verdict = signed
    editing.edit_citation(
        citation,
        actor=erin,
        expected_version=citation.version,
        stance="refutes",
        excerpt=citation.excerpt,
        note="",
    )
    again = assert_voided(claim, verdict, erin, "Gauge data")
    rows = reviews.changes_since_sign_off(claim, again)
    assert [(what, before[:7], after[:7]) for what, before, after in rows] == [
        ("Evidence: https://example.org/gauge", "context", "refutes")
    ]


def test_editing_the_statement_after_sign_off_voids_it(signed, erin):
    claim, _, verdict = signed
    editing.edit_claim(
        claim,
        actor=erin,
        expected_version=claim.version,
        statement="About 1,200 homes flooded.",
        speaker=claim.speaker,
        attribution=claim.attribution,
    )
    assert_voided(claim, verdict, erin, "statement")


def test_editing_only_the_speaker_keeps_the_sign_off(signed, erin):
    claim, _, verdict = signed
    editing.edit_claim(
        claim,
        actor=erin,
        expected_version=claim.version,
        statement=claim.statement,
        speaker="River desk",
        attribution=claim.attribution,
    )
    verdict.refresh_from_db()
    claim.refresh_from_db()
    assert verdict.status == Verdict.Status.SIGNED_OFF
    assert claim.status == ClaimStatus.VERIFIED


def test_new_evidence_after_sign_off_voids_it(signed, bob):
    claim, _, verdict = signed
    citations.cite_evidence(claim, actor=bob, stance="refutes", title="Late leaflet")
    assert_voided(claim, verdict, bob, "Late leaflet")


def test_proposer_and_the_person_who_changed_it_cannot_sign_off_again(signed, bob, erin, rita):
    claim, citation, verdict = signed
    editing.edit_citation(
        citation, actor=erin, expected_version=1, stance="refutes", excerpt="", note=""
    )
    again = reviews.current_verdict(claim)
    with pytest.raises(reviews.OwnVerdict):
        reviews.sign_off_verdict(again, reviewer=bob, membership=member(bob))
    with pytest.raises(reviews.OwnChange, match="another reviewer"):
        reviews.sign_off_verdict(again, reviewer=erin, membership=member(erin))
    reviews.sign_off_verdict(again, reviewer=rita, membership=member(rita))
    again.refresh_from_db()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED
    assert again.signed_sha256 == reviews.current_sha256(claim, again)
    assert again.signed_sha256 != verdict.signed_sha256
    # Nothing is lost: both sign-offs stay in the claim's verdicts.
    statuses = sorted(claim.verdicts.values_list("status", flat=True))
    assert statuses == [Verdict.Status.SIGNED_OFF, Verdict.Status.VOIDED]


def test_a_voided_sign_off_can_be_sent_back_with_a_comment_or_replaced(signed, bob, erin, rita):
    claim, citation, _ = signed
    editing.edit_citation(
        citation, actor=erin, expected_version=1, stance="refutes", excerpt="", note=""
    )
    again = reviews.current_verdict(claim)
    with pytest.raises(TransitionRefused, match="comment"):
        reviews.send_back_verdict(again, reviewer=rita, membership=member(rita), comment=" ")
    reviews.send_back_verdict(again, reviewer=rita, membership=member(rita), comment="Refutes?")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW


def test_a_new_proposal_replaces_the_resubmitted_verdict(signed, bob, erin, rita):
    claim, citation, _ = signed
    editing.edit_citation(
        citation, actor=erin, expected_version=1, stance="refutes", excerpt="", note=""
    )
    again = reviews.current_verdict(claim)
    claim.refresh_from_db()
    newer = propose(claim, rita, rating="false", rationale="The gauge refutes it.")
    again.refresh_from_db()
    claim.refresh_from_db()
    assert again.status == Verdict.Status.SUPERSEDED
    assert claim.status == ClaimStatus.VERDICT_PROPOSED
    assert reviews.current_verdict(claim) == newer


def test_a_change_while_a_verdict_is_only_proposed_voids_nothing(claim, bob, erin):
    verdict = propose(claim, bob)
    citations.cite_evidence(claim, actor=erin, stance="supports", title="Leaflet")
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PROPOSED
    assert not AuditEvent.objects.filter(action="verdict.void").exists()


def test_an_edit_outside_a_fields_choices_is_refused_and_writes_nothing(claim, erin):
    before = claim.version
    with pytest.raises(editing.NotAChoice):
        editing.edit_claim(
            claim,
            actor=erin,
            expected_version=claim.version,
            statement="Changed",
            speaker="",
            attribution="direct",
        )
    claim.refresh_from_db()
    assert claim.version == before
    assert claim.statement != "Changed"


def test_a_citation_edit_outside_the_stances_is_refused(claim, bob, erin):
    citation = citations.cite_evidence(claim, actor=bob, stance="supports", title="Report")
    with pytest.raises(editing.NotAChoice):
        editing.edit_citation(
            citation,
            actor=erin,
            expected_version=citation.version,
            stance="maybe",
            excerpt="",
            note="",
        )
    citation.refresh_from_db()
    assert citation.stance == "supports"
