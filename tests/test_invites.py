"""Invitations by email: signed, single-use, expiring links that let a person join, and
sign up first when they have no account."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from claims.access import investigations, invites
from claims.access.invites import InviteRefused
from claims.models import AuditEvent, Invite, Membership, Role
from tests.factories import make_user


@pytest.fixture
def invited(investigation, alice):
    """(invite, token): dora@example.org invited by Alice as a reviewer."""
    return invites.create(investigation, actor=alice, email="dora@example.org", role=Role.REVIEWER)


def _accept_url(token):
    return reverse("claims:invite-accept", args=[token])


# --- Domain --------------------------------------------------------------------------------


def test_an_invite_is_used_once(invited, investigation, carol):
    invite, token = invited
    assert invites.accept(token, user=carol) == investigation
    assert Membership.objects.get(user=carol).role == Role.REVIEWER
    someone = make_user("someone")
    with pytest.raises(InviteRefused, match="already been used"):
        invites.accept(token, user=someone)
    assert not Membership.objects.filter(user=someone).exists()
    invite.refresh_from_db()
    assert invite.accepted_by == carol
    actions = AuditEvent.objects.filter(investigation=investigation).values_list(
        "action", flat=True
    )
    assert list(actions.order_by("seq")) == ["invite.create", "invite.accept", "member.change"]


def test_an_expired_invite_is_refused(invited, carol, settings, monkeypatch):
    _, token = invited
    settings.INVITE_MAX_AGE_DAYS = 1
    later = time.time() + timedelta(days=1, seconds=5).total_seconds()
    # The signature's clock (TimestampSigner reads time.time()), a day and a bit later.
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(InviteRefused, match="expired"):
        invites.accept(token, user=carol)
    assert not Membership.objects.filter(user=carol).exists()


def test_the_stored_expiry_holds_even_with_a_valid_signature(invited, carol):
    invite, token = invited
    Invite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(InviteRefused, match="expired"):
        invites.accept(token, user=carol)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: signing.dumps({"invite": 999}, salt="another.salt"),
        lambda token: "not-a-token",
    ],
)
def test_a_tampered_token_is_refused(invited, carol, tamper):
    _, token = invited
    with pytest.raises(InviteRefused, match="not valid"):
        invites.accept(tamper(token), user=carol)
    assert not Membership.objects.filter(user=carol).exists()


def test_another_invite_id_cannot_be_forged(invited, investigation, alice, carol):
    invite, token = invited
    _, stamp, signature = token.split(":")
    forged = signing.b64_encode(b'{"invite":' + str(invite.pk + 1).encode() + b"}").decode()
    invites.create(investigation, actor=alice, email="x@example.org", role=Role.OWNER)
    with pytest.raises(InviteRefused, match="not valid"):
        invites.accept(f"{forged}:{stamp}:{signature}", user=carol)
    assert not Membership.objects.filter(user=carol).exists()


def test_a_withdrawn_invite_is_refused(invited, alice, carol):
    invite, token = invited
    invites.revoke(invite, actor=alice)
    with pytest.raises(InviteRefused, match="withdrawn"):
        invites.accept(token, user=carol)


def test_only_owners_invite(investigation, erin):
    with pytest.raises(InviteRefused, match="Only an owner"):
        invites.create(investigation, actor=erin, email="x@example.org", role=Role.VIEWER)
    assert not Invite.objects.exists()


def test_an_archived_investigation_takes_no_one(invited, investigation, alice, carol):
    _, token = invited
    investigations.set_archived(investigation, actor=alice, archived=True)
    with pytest.raises(InviteRefused, match="archived"):
        invites.accept(token, user=carol)


def test_a_member_keeps_their_role(invited, bob):
    _, token = invited
    invites.accept(token, user=bob)
    assert Membership.objects.get(user=bob).role == Role.REVIEWER


# --- Pages ---------------------------------------------------------------------------------


def test_the_owner_invites_by_email(client, investigation, alice):
    client.force_login(alice)
    url = reverse("claims:invite-create", args=[investigation.slug])
    response = client.post(
        url, {"invite-email": "dora@example.org", "invite-role": "editor"}, follow=True
    )
    assert "Invitation sent to dora@example.org" in response.content.decode()
    assert Invite.objects.get().role == Role.EDITOR
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dora@example.org"]
    assert "Vessa flood" in message.subject
    assert "alice invites you" in message.body
    link = next(line for line in message.body.splitlines() if "/invites/" in line)
    assert link.startswith("http://testserver/invites/")
    page = client.get(reverse("claims:member-list", args=[investigation.slug])).content.decode()
    assert "dora@example.org" in page  # waiting for an answer


def test_a_bad_invite_form_keeps_input_and_sends_nothing(client, investigation, alice):
    client.force_login(alice)
    url = reverse("claims:invite-create", args=[investigation.slug])
    response = client.post(url, {"invite-email": "not an address", "invite-role": "king"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in page
    assert "Select a valid choice." in page
    assert 'value="not an address"' in page
    assert not mail.outbox
    assert not Invite.objects.exists()


def test_a_person_without_an_account_signs_up_and_joins(client, invited, investigation):
    _, token = invited
    page = client.get(_accept_url(token)).content.decode()
    assert "Create your account" in page
    assert "dora@example.org" in page
    response = client.post(
        _accept_url(token),
        {"username": "dora", "password1": "tide-gauge-417", "password2": "tide-gauge-417"},
    )
    assert response.url == investigation.get_absolute_url()
    dora = get_user_model().objects.get(username="dora")
    assert dora.email == "dora@example.org"
    assert Membership.objects.get(user=dora).role == Role.REVIEWER
    assert client.get(response.url).status_code == 200  # logged in


def test_sign_up_errors_re_render_and_create_nothing(client, invited, bob):
    _, token = invited
    response = client.post(
        _accept_url(token), {"username": "bob", "password1": "123", "password2": "124"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "That username is taken" in page
    assert "password fields didn’t match" in page
    response = client.post(
        _accept_url(token), {"username": "dora", "password1": "password", "password2": "password"}
    )
    assert "This password is too common." in response.content.decode()
    assert not get_user_model().objects.filter(username="dora").exists()
    assert Invite.objects.get().accepted_at is None


def test_a_logged_in_user_accepts_with_one_button(client, invited, investigation, carol):
    _, token = invited
    client.force_login(carol)
    page = client.get(_accept_url(token)).content.decode()
    assert "Join the investigation" in page
    assert "Create your account" not in page
    response = client.post(_accept_url(token))
    assert response.url == investigation.get_absolute_url()
    assert Membership.objects.get(user=carol).role == Role.REVIEWER
    response = client.post(_accept_url(token))
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_a_broken_link_says_so(client, db):
    response = client.get(_accept_url("abc:def"))
    assert response.status_code == 410
    assert "not valid" in response.content.decode()


def test_owners_withdraw_an_invite(client, invited, alice, erin):
    invite, _ = invited
    url = reverse("claims:invite-revoke", args=[invite.pk])
    client.force_login(erin)
    assert client.post(url).status_code == 403
    client.force_login(alice)
    response = client.post(url, follow=True)
    assert "withdrawn" in response.content.decode()
    invite.refresh_from_db()
    assert invite.revoked_at is not None
    assert AuditEvent.objects.filter(action="invite.revoke", actor=alice).exists()


def test_an_outsider_cannot_withdraw(client, invited, carol):
    invite, _ = invited
    client.force_login(carol)
    assert client.post(reverse("claims:invite-revoke", args=[invite.pk])).status_code == 404


def test_an_email_that_cannot_be_sent_is_said_plainly(client, settings, investigation, alice):
    # A real SMTP backend aimed at a port where nothing listens.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    client.force_login(alice)
    url = reverse("claims:invite-create", args=[investigation.slug])
    response = client.post(
        url, {"invite-email": "dora@example.org", "invite-role": "viewer"}, follow=True
    )
    assert "the email could not be sent" in response.content.decode()
    assert Invite.objects.get().is_open  # listed, to be withdrawn
