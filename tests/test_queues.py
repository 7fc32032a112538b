"""The queue: what it holds for each person, and the counts per investigation."""

from claims import mentions, queues, reviews, workflow
from claims.models import Membership


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
