"""Bulk changes: each claim through the state machine, refusals reported, nothing half-done."""

from claims.models import AuditEvent, Claim, ClaimStatus, Membership
from claims.review import bulk, workflow
from tests.factories import make_many_claims


def member(user):
    return Membership.objects.get(user=user)


def test_bulk_move_changes_what_may_move_and_reports_the_rest(investigation, erin):
    claims = make_many_claims(investigation, 4)
    workflow.transition(claims[0], "dismiss", actor=erin, membership=member(erin))
    change = bulk.Change(action="move", transition="start_review")
    assert change.describe(4) == "Start review: 4 claims"
    fresh = list(Claim.objects.order_by("pk"))
    outcome = bulk.apply(fresh, change, actor=erin, membership=member(erin))
    assert len(outcome.changed) == 3
    [(refused, reason)] = outcome.unchanged
    assert refused.pk == claims[0].pk
    assert "dismissed" in reason
    assert Claim.objects.get(pk=claims[0].pk).status == ClaimStatus.DISMISSED
    assert Claim.objects.filter(status=ClaimStatus.IN_REVIEW).count() == 3
    assert outcome.summary(change) == "Start review: 3 claims: done. 1 not changed."


def test_bulk_assign_by_a_reviewer_is_refused_claim_by_claim(investigation, bob, rita):
    claims = make_many_claims(investigation, 3)
    change = bulk.Change(action="assign", assignee=rita)
    outcome = bulk.apply(claims, change, actor=bob, membership=member(bob))
    assert not outcome.changed
    assert len(outcome.unchanged) == 3
    assert not Claim.objects.filter(assignee__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="claim.assign").exists()


def test_bulk_tag_skips_claims_already_tagged(investigation, bob):
    claims = make_many_claims(investigation, 3)
    workflow.tag(claims[1], actor=bob, membership=member(bob), add=["Map"])
    change = bulk.Change(action="tag", tag="map")
    outcome = bulk.apply(
        Claim.objects.prefetch_related("tags"), change, actor=bob, membership=member(bob)
    )
    assert len(outcome.changed) == 2
    assert outcome.unchanged[0][1] == "already so"
    assert all(c.tags.get().name == "Map" for c in Claim.objects.all())


def test_bulk_move_refuses_verdict_steps_for_every_claim(investigation, bob):
    claims = make_many_claims(investigation, 2)
    for name in ("propose", "sign_off", "send_back"):
        outcome = bulk.apply(
            list(Claim.objects.order_by("pk")),
            bulk.Change(action="move", transition=name),
            actor=bob,
            membership=member(bob),
        )
        assert not outcome.changed
        assert all("Verdict panel" in reason for _, reason in outcome.unchanged)
    assert set(Claim.objects.values_list("status", flat=True)) == {ClaimStatus.OPEN}
    assert len(claims) == 2
