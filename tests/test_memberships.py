"""Changing who belongs to an investigation: the rules hold in the domain, whatever the door."""

import pytest
from django.urls import reverse

from claims.access.memberships import MembershipRefused, leave, set_role
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


@pytest.mark.parametrize("role", [None, Role.EDITOR, Role.VIEWER])
def test_the_last_owner_cannot_leave_nor_be_demoted(investigation, alice, role):
    with pytest.raises(MembershipRefused, match="last owner"):
        set_role(investigation, actor=alice, user=alice, role=role)
    with pytest.raises(MembershipRefused, match="last owner"):
        leave(investigation, user=alice)
    assert _role(investigation, alice).role == Role.OWNER
    assert not AuditEvent.objects.filter(investigation=investigation, action="member.change")


def test_an_owner_steps_down_or_leaves_when_another_owner_remains(investigation, alice, bob):
    set_role(investigation, actor=alice, user=bob, role=Role.OWNER)
    set_role(investigation, actor=alice, user=alice, role=Role.EDITOR)
    assert _role(investigation, alice).role == Role.EDITOR
    # Bob is the last owner now: Alice, an editor, cannot demote him, nor can he himself.
    with pytest.raises(MembershipRefused, match="Only an owner"):
        set_role(investigation, actor=alice, user=bob, role=Role.VIEWER)
    with pytest.raises(MembershipRefused, match="last owner"):
        set_role(investigation, actor=bob, user=bob, role=Role.VIEWER)
    leave(investigation, user=alice)
    assert _role(investigation, alice) is None
    assert _role(investigation, bob).role == Role.OWNER


def test_a_member_leaves_with_an_audit_event(investigation, bob):
    leave(investigation, user=bob)
    assert _role(investigation, bob) is None
    event = AuditEvent.objects.get(investigation=investigation, action="member.change")
    assert (event.actor, event.before, event.after) == (bob, {"role": "reviewer"}, {})


def test_an_outsider_cannot_leave(investigation, carol):
    with pytest.raises(MembershipRefused, match="not a member"):
        leave(investigation, user=carol)


def test_the_page_shows_the_refusal_and_changes_nothing(client, investigation, alice):
    client.force_login(alice)
    url = reverse("claims:member-list", args=[investigation.slug])
    page = client.post(url, {"username": "alice", "role": "viewer"}).content.decode()
    assert "The last owner cannot leave or be demoted" in page
    assert _role(investigation, alice).role == Role.OWNER


def test_the_leave_button_refuses_the_last_owner_with_a_message(client, investigation, alice):
    client.force_login(alice)
    response = client.post(reverse("claims:member-leave", args=[investigation.slug]), follow=True)
    assert "The last owner cannot leave" in response.content.decode()
    assert _role(investigation, alice).role == Role.OWNER


def test_a_member_leaves_from_the_page(client, investigation, victor):
    client.force_login(victor)
    response = client.post(reverse("claims:member-leave", args=[investigation.slug]))
    assert response.status_code == 302
    assert response.url == reverse("claims:investigation-list")
    assert _role(investigation, victor) is None
    assert client.get(investigation.get_absolute_url()).status_code == 404


def test_each_row_changes_that_members_role(client, investigation, alice, bob):
    client.force_login(alice)
    url = reverse("claims:member-list", args=[investigation.slug])
    page = client.get(url).content.decode()
    assert 'aria-label="Role of bob"' in page
    client.post(url, {"username": "bob", "role": "editor"})
    assert _role(investigation, bob).role == Role.EDITOR
    client.post(url, {"username": "bob", "role": "remove"})
    assert _role(investigation, bob) is None
