"""The queue: what it holds for each person, and the counts per investigation."""

from claims.listing import queues
from claims.models import Membership
from claims.review import mentions, reviews, workflow


def member(user):
    return Membership.objects.get(user=user)


def test_assignment_proposal_and_mention_land_in_the_right_queues(claim, bob, rita, erin, victor):
    workflow.assign(claim, actor=erin, membership=member(erin), assignee=rita)
    reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="Seen."
    )
    mentions.add_comment(claim, author=bob, body="@victor FYI")
    rows = {m.investigation_id: m for m in queues.memberships_with_counts(rita)}
    mine = rows[claim.investigation_id]
    assert (mine.assigned, mine.awaiting, mine.mentions) == (1, 1, 0)
    [bobs] = queues.memberships_with_counts(bob)
    assert (bobs.assigned, bobs.awaiting, bobs.mentions) == (0, 0, 0)  # his own proposal
    [victors] = queues.memberships_with_counts(victor)
    assert (victors.assigned, victors.awaiting, victors.mentions) == (0, 0, 1)  # cannot sign


def test_finished_claims_leave_the_queue(claim, bob, rita, erin):
    workflow.assign(claim, actor=erin, membership=member(erin), assignee=rita)
    verdict = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="Seen."
    )
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita))
    queue = queues.queue_for(rita, list(queues.memberships_with_counts(rita)))
    assert queue.total == 0


def test_a_voided_sign_off_waits_for_others_labelled(claim, bob, rita, erin, alice):
    from claims.evidence import citations
    from claims.review import editing

    citation = citations.cite_evidence(claim, actor=bob, stance="supports", title="Leaflet")
    verdict = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="Seen."
    )
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita))
    editing.edit_citation(
        citation, actor=erin, expected_version=1, stance="refutes", excerpt="", note=""
    )
    counts = {
        user.username: queues.memberships_with_counts(user)[0].awaiting
        for user in (bob, rita, erin, alice)
    }
    # Not the proposer, not the editor whose change voided it.
    assert counts == {"bob": 0, "rita": 1, "erin": 0, "alice": 1}
    queue = queues.queue_for(rita, queues.memberships_with_counts(rita))
    [waiting] = queue.awaiting
    assert waiting.resubmission_of == verdict
    assert len(queue.awaiting) == 1


def test_the_queue_page_labels_a_verdict_changed_since_sign_off(client, claim, bob, rita, erin):
    from claims.evidence import citations
    from claims.review import editing

    citation = citations.cite_evidence(claim, actor=bob, stance="supports", title="Leaflet")
    verdict = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="Seen."
    )
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita))
    editing.edit_citation(
        citation, actor=erin, expected_version=1, stance="refutes", excerpt="", note=""
    )
    client.force_login(rita)
    body = client.get("/queue/").content.decode()
    waiting = body.split('id="awaiting-heading"', 1)[1].split("</section>", 1)[0]
    assert "Changed since sign-off" in waiting


def test_a_proposed_verdict_stands_only_on_a_claim_awaiting_sign_off():
    """queues counts and lists proposals on claims in AWAITING_STATUSES only: the workflow
    must reach those statuses by proposing and leave them only by closing the proposal."""
    awaiting = set(queues.AWAITING_STATUSES)
    assert workflow.TRANSITIONS["propose"].target in awaiting
    leaving = {
        move.name
        for move in workflow.TRANSITIONS.values()
        if move.sources & awaiting and move.target not in awaiting
    }
    assert leaving == {"sign_off", "send_back"}
    for name in leaving:
        assert workflow.TRANSITIONS[name].touches_verdicts  # reviews.py closes the verdict
    entering = {
        move.name
        for move in workflow.TRANSITIONS.values()
        if move.target in awaiting and not move.sources <= awaiting
    }
    # Proposing, and the void that puts a signed-off verdict up again (reviews.py).
    assert entering == {"propose", "void_sign_off"}
