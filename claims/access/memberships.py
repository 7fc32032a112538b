"""Who belongs to an investigation: reading its members and changing their roles."""

from django.db import transaction

from claims.access.roles import Action, member_allows
from claims.models import Membership
from claims.review import audit


def members_and_reviewers(investigation):
    """(all members' users, users who may review) of an investigation, in one query."""
    found = Membership.objects.filter(investigation=investigation).select_related("user")
    memberships = sorted(found, key=lambda m: m.user.get_username().lower())
    reviewers = [m.user for m in memberships if member_allows(m, Action.TAKE_CLAIM)]
    return [m.user for m in memberships], reviewers


def set_role(investigation, *, actor, user, role):
    """Give `user` `role` in the investigation (adding them if need be), or end their
    membership when `role` is None; recorded as one "member.change" audit event."""
    with transaction.atomic():
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
