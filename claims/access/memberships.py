"""Who belongs to an investigation: reading its members and changing their roles."""

from django.db import transaction

from claims.access.roles import Action, member_allows
from claims.models import Membership, Role
from claims.review import audit


class MembershipRefused(Exception):
    """The change is not allowed; the message says why, in one line for the person."""


def members_and_reviewers(investigation):
    """(all members' users, users who may review) of an investigation, in one query."""
    found = Membership.objects.filter(investigation=investigation).select_related("user")
    memberships = sorted(found, key=lambda m: m.user.get_username().lower())
    reviewers = [m.user for m in memberships if member_allows(m, Action.TAKE_CLAIM)]
    return [m.user for m in memberships], reviewers


def set_role(investigation, *, actor, user, role):
    """Give `user` `role` in the investigation (adding them if need be), or end their
    membership when `role` is None; recorded as one "member.change" audit event.

    The rules hold for every door (page, admin action, command): only someone who may manage
    members, never on themselves, and only to a role that exists.
    """
    if role is not None and role not in Role.values:
        raise MembershipRefused("Choose a role.")
    if user == actor:
        raise MembershipRefused("You cannot change your own role; ask another owner.")
    with transaction.atomic():
        acting = Membership.objects.filter(investigation=investigation, user=actor).first()
        if not member_allows(acting, Action.MANAGE_MEMBERS):
            raise MembershipRefused("Only an owner can change who belongs to an investigation.")
        existing = Membership.objects.filter(investigation=investigation, user=user).first()
        before = {"role": existing.role} if existing else {}
        if role is None:
            if existing:
                existing.delete()
            after = {}
        else:
            Membership.objects.update_or_create(
                investigation=investigation, user=user, defaults={"role": role}
            )
            after = {"role": role}
        audit.record(
            actor, "member.change", user, investigation=investigation, before=before, after=after
        )
