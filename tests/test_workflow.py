"""Assignment, priority and tags: who may change them, and that a stale change writes nothing."""

import pytest

from claims.models import AuditEvent, Claim, Membership
from claims.review import workflow
from claims.review.workflow import EditConflict, TransitionRefused


def member(user):
    return Membership.objects.get(user=user)


def test_editor_assigns_anyone_and_the_change_is_recorded(claim, erin, rita):
    workflow.assign(claim, actor=erin, membership=member(erin), assignee=rita)
    claim.refresh_from_db()
    assert claim.assignee == rita
    event = AuditEvent.objects.get(action="claim.assign")
    assert (event.before, event.after) == ({"assignee": None}, {"assignee": "rita"})


def test_reviewer_takes_a_claim_and_gives_it_back_but_assigns_nobody_else(claim, bob, rita):
    with pytest.raises(TransitionRefused, match="not assign others"):
        workflow.assign(claim, actor=bob, membership=member(bob), assignee=rita)
    workflow.assign(claim, actor=bob, membership=member(bob), assignee=bob)
    claim.refresh_from_db()
    with pytest.raises(TransitionRefused):
        workflow.assign(claim, actor=rita, membership=member(rita), assignee=None)
    workflow.assign(claim, actor=bob, membership=member(bob), assignee=None)
    claim.refresh_from_db()
    assert claim.assignee is None


def test_viewers_and_outsiders_cannot_be_assigned(claim, erin, victor, carol):
    for person in (victor, carol):
        with pytest.raises(TransitionRefused, match="not a reviewer here"):
            workflow.assign(claim, actor=erin, membership=member(erin), assignee=person)
    assert Claim.objects.get().assignee is None


def test_assignment_names_the_assignee_it_replaces(claim, erin, alice, bob, rita):
    workflow.assign(claim, actor=alice, membership=member(alice), assignee=rita)
    with pytest.raises(EditConflict, match="now with rita"):
        workflow.assign(
            claim, actor=erin, membership=member(erin), assignee=bob, expected_assignee=None
        )
    assert Claim.objects.get().assignee == rita


def test_assignment_does_not_make_an_edit_form_stale(claim, erin, rita):
    version = claim.version
    workflow.assign(claim, actor=erin, membership=member(erin), assignee=rita)
    workflow.transition(claim, "start_review", actor=erin, membership=member(erin))
    claim.refresh_from_db()
    assert claim.version == version


def test_priority_is_an_editors_call_and_checked_against_what_was_seen(claim, bob, erin, alice):
    with pytest.raises(TransitionRefused):
        workflow.set_priority(claim, actor=bob, membership=member(bob), priority=3)
    workflow.set_priority(claim, actor=erin, membership=member(erin), priority=3)
    with pytest.raises(EditConflict, match="urgent"):
        workflow.set_priority(
            claim, actor=alice, membership=member(alice), priority=0, expected_priority=1
        )
    claim.refresh_from_db()
    assert claim.priority == 3
    event = AuditEvent.objects.get(action="claim.priority")
    assert event.after == {"priority": "Urgent"}


def test_tags_are_added_and_removed_by_name_without_undoing_each_other(claim, bob, rita, victor):
    workflow.tag(claim, actor=bob, membership=member(bob), add=["Casualties"])
    # Rita's page did not show "Casualties" yet; adding hers keeps Bob's.
    added, _ = workflow.tag(claim, actor=rita, membership=member(rita), add=["casualties", "map"])
    assert added == ["map"]
    assert set(claim.tags.values_list("name", flat=True)) == {"Casualties", "map"}
    workflow.tag(claim, actor=rita, membership=member(rita), remove=["map"])
    assert list(claim.tags.values_list("name", flat=True)) == ["Casualties"]
    with pytest.raises(TransitionRefused):
        workflow.tag(claim, actor=victor, membership=member(victor), add=["x"])
    assert AuditEvent.objects.filter(action="claim.tag").count() == 2 + 1
