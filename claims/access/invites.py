"""Invitations by email: an owner invites an address with a role; the link lets its holder
join, creating an account first if they have none.

The link carries the invite's id signed with a timestamp (django.core.signing, salted for
this use only), so a changed link fails its signature and an old one its age; the Invite row
makes it single-use (taken by one conditional UPDATE, so two tabs cannot both use it) and
lets an owner withdraw it.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from claims.access.roles import Action, member_allows
from claims.models import Invite, Membership, Role
from claims.review import audit

SALT = "claims.invite"


class InviteRefused(Exception):
    """An invitation cannot be made or used; the message says why, in one line."""


def max_age():
    return timedelta(days=settings.INVITE_MAX_AGE_DAYS)


def token_for(invite):
    """The signed, timestamped token of an invite's link."""
    return signing.dumps({"invite": invite.pk}, salt=SALT)


def create(investigation, *, actor, email, role):
    """Record an invitation of `email` with `role` ("invite.create") and return (invite,
    token). Owners only; the role must exist."""
    if role not in Role.values:
        raise InviteRefused("Choose a role.")
    with transaction.atomic():
        acting = Membership.objects.filter(investigation=investigation, user=actor).first()
        if not member_allows(acting, Action.INVITE_MEMBER):
            raise InviteRefused("Only an owner can invite people to an investigation.")
        now = timezone.now()
        invite = Invite.objects.create(
            investigation=investigation,
            email=email,
            role=role,
            invited_by=actor,
            created_at=now,
            expires_at=now + max_age(),
        )
        after = {"email": email, "role": role, "expires_at": invite.expires_at.isoformat()}
        audit.record(actor, "invite.create", invite, investigation=investigation, after=after)
    return invite, token_for(invite)


def send(invite, link):
    """Email the invitation with its `link` (an absolute URL) through Django's mail API."""
    context = {
        "invite": invite,
        "link": link,
        "inviter": invite.invited_by.get_username() if invite.invited_by else "An owner",
        "days": settings.INVITE_MAX_AGE_DAYS,
    }
    subject = f"Invitation to “{invite.investigation.title}” on Factcheck Workbench"
    body = render_to_string("claims/email/invite.txt", context)
    send_mail(subject, body, None, [invite.email])


def read(token, *, lock=False):
    """The open invite a token names; raises InviteRefused saying why it cannot be used."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise InviteRefused("This invitation has expired; ask the owner for a new one.") from None
    except signing.BadSignature:
        raise InviteRefused(
            "This invitation link is not valid; check that it was copied whole."
        ) from None
    invites = Invite.objects.select_related("investigation", "invited_by")
    if lock:
        invites = invites.select_for_update(of=("self",))
    pk = payload.get("invite") if isinstance(payload, dict) else None
    invite = invites.filter(pk=pk).first() if isinstance(pk, int) else None
    if invite is None:
        raise InviteRefused("This invitation no longer exists.")
    if invite.accepted_at is not None:
        raise InviteRefused("This invitation has already been used.")
    if invite.revoked_at is not None:
        raise InviteRefused("This invitation was withdrawn by an owner.")
    if invite.expires_at <= timezone.now():
        raise InviteRefused("This invitation has expired; ask the owner for a new one.")
    if invite.investigation.is_archived:
        raise InviteRefused("The investigation is archived and takes no new members now.")
    return invite


def accept(token, *, user):
    """Use the invitation for `user`: they join with the invited role (a member already keeps
    their role); the invite is used up. Returns the investigation.

    Raises InviteRefused when the token is not (or no longer) usable.
    """
    with transaction.atomic():
        invite = read(token, lock=True)
        taken = Invite.objects.filter(
            pk=invite.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(accepted_at=timezone.now(), accepted_by=user)
        if taken != 1:
            raise InviteRefused("This invitation has already been used.")
        investigation = invite.investigation
        membership, created = Membership.objects.get_or_create(
            investigation=investigation, user=user, defaults={"role": invite.role}
        )
        after = {"email": invite.email, "user": user.get_username(), "role": membership.role}
        audit.record(user, "invite.accept", invite, investigation=investigation, after=after)
        if created:
            audit.record(
                user,
                "member.change",
                user,
                investigation=investigation,
                after={"role": membership.role},
            )
    return investigation


def sign_up_and_accept(token, *, username, password):
    """Create an account (with the invited address as its email) and accept the invitation
    with it, together or not at all. The caller has validated username and password."""
    with transaction.atomic():
        invite = read(token)
        user = get_user_model().objects.create_user(
            username=username, email=invite.email, password=password
        )
        investigation = accept(token, user=user)
    return user, investigation


def revoke(invite, *, actor):
    """Withdraw an open invitation ("invite.revoke"); owners only."""
    with transaction.atomic():
        acting = Membership.objects.filter(investigation=invite.investigation, user=actor).first()
        if not member_allows(acting, Action.INVITE_MEMBER):
            raise InviteRefused("Only an owner can withdraw an invitation.")
        withdrawn = Invite.objects.filter(
            pk=invite.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        if withdrawn != 1:
            raise InviteRefused("This invitation was already used or withdrawn.")
        audit.record(
            actor,
            "invite.revoke",
            invite,
            investigation=invite.investigation,
            before={"email": invite.email, "role": invite.role},
        )


def pending(investigation):
    """Open invitations not yet expired, newest first."""
    return Invite.objects.filter(
        investigation=investigation,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("-created_at")
