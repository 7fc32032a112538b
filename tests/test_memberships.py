"""Changing who belongs to an investigation: the rules hold in the domain, whatever the door."""

import pytest
from django.urls import reverse

from claims.access.memberships import MembershipRefused, set_role
from claims.models import AuditEvent, Membership, Role


def _role(investigation, user):
    return Membership.objects.filter(investigation=investigation, user=user).first()


def test_an_owner_sets_adds_and_removes_roles_with_one_event_each(investigation, alice, bob, carol):
    set_role(investigation, actor=alice, user=bob, role=Role.EDITOR)
    set_role(investigation, actor=alice, user=carol, role=Role.VIEWER)
    set_role(investigation, actor=alice, user=bob, role=None)
    assert _role(investigation, bob) is None
    assert _role(investigation, carol).role == Role.VIEWER
    events = AuditEvent.objects.filter(investigation=investigation, action="member.change")
    assert events.count() == 3


@pytest.mark.parametrize("actor_name", ["erin", "bob", "victor", "carol"])
def test_only_an_owner_changes_members(request, investigation, actor_name, rita):
    actor = request.getfixturevalue(actor_name)  # editor, reviewer, viewer, outsider
    with pytest.raises(MembershipRefused, match="Only an owner"):
        set_role(investigation, actor=actor, user=rita, role=Role.OWNER)
    assert _role(investigation, rita).role == Role.REVIEWER


@pytest.mark.parametrize("role", ["admin", "", "owner\x00", "OWNER"])
def test_a_role_that_does_not_exist_is_refused(investigation, alice, bob, role):
    with pytest.raises(MembershipRefused, match="Choose a role"):
        set_role(investigation, actor=alice, user=bob, role=role)
    assert _role(investigation, bob).role == Role.REVIEWER


def test_no_one_changes_their_own_role(investigation, alice):
    with pytest.raises(MembershipRefused, match="your own role"):
        set_role(investigation, actor=alice, user=alice, role=None)
    assert _role(investigation, alice).role == Role.OWNER


def test_the_page_shows_the_refusal_and_changes_nothing(client, investigation, alice):
    client.force_login(alice)
    url = reverse("claims:member-list", args=[investigation.slug])
    page = client.post(url, {"username": "alice", "role": "viewer"}).content.decode()
    assert "You cannot change your own role" in page
    assert _role(investigation, alice).role == Role.OWNER
