"""Who belongs to an investigation: reading its members, changing their roles, leaving.

One rule holds for every door (page, admin action, command): an investigation always keeps
an owner. The last owner can neither be demoted, nor removed, nor leave.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from claims import rows
from claims.access.roles import Action, member_allows
from claims.models import Membership, Role
from claims.review import audit

LAST_OWNER = "The last owner cannot leave or be demoted; make someone else owner first."


class MembershipRefused(Exception):
    """The change is not allowed; the message says why, in one line for the person."""


_MEMBERSHIP = rows.Columns(Membership, "membership")
_MEMBER = rows.Columns(get_user_model(), "member")
# Only table and column names from _meta are formatted in; values go as parameters.
_MEMBERS_SQL = f"""
SELECT {_MEMBERSHIP.sql}, {_MEMBER.sql}
FROM {_MEMBERSHIP.table} membership
JOIN {_MEMBER.table} member ON member.id = membership.user_id
WHERE membership.investigation_id = %s
"""  # noqa: S608


def members_and_reviewers(investigation):
    """(all members' users, users who may review) of an investigation, in one query.

    Hand-written SQL (claims/rows.py): every claim page reads it (for mentions and the
    assignee list)."""
    memberships = []
    for row in rows.fetch(_MEMBERS_SQL, [investigation.pk]):
        membership = _MEMBERSHIP.build(row)
        rows.cache_related(membership, "user", _MEMBER.build(row, _MEMBERSHIP.width))
        memberships.append(membership)
    memberships.sort(key=lambda m: m.user.get_username().lower())
    reviewers = [m.user for m in memberships if member_allows(m, Action.TAKE_CLAIM)]
    return [m.user for m in memberships], reviewers


def _keep_an_owner(investigation, existing, role):
    """Refuse taking `existing` (a membership, or None) out of the owners when it is the last.

    The owners' rows are locked first (on PostgreSQL), so two owners demoting each other at
    the same moment cannot both succeed and leave none.
    """
    if existing is None or existing.role != Role.OWNER or role == Role.OWNER:
        return
    owners = Membership.objects.select_for_update().filter(
        investigation=investigation, role=Role.OWNER
    )
    if len(list(owners)) <= 1:
        raise MembershipRefused(LAST_OWNER)


def set_role(investigation, *, actor, user, role):
    """Give `user` `role` in the investigation (adding them if need be), or end their
    membership when `role` is None; recorded as one "member.change" audit event.

    Only someone who may manage members may do it, only to a role that exists, and never so
    that the investigation is left without an owner (an owner may demote themselves when
    another owner remains).
    """
    if role is not None and role not in Role.values:
        raise MembershipRefused("Choose a role.")
    with transaction.atomic():
        acting = Membership.objects.filter(investigation=investigation, user=actor).first()
        if not member_allows(acting, Action.MANAGE_MEMBERS):
            raise MembershipRefused("Only an owner can change who belongs to an investigation.")
        existing = Membership.objects.filter(investigation=investigation, user=user).first()
        _keep_an_owner(investigation, existing, role)
        _change(investigation, actor=actor, user=user, existing=existing, role=role)


def leave(investigation, *, user):
    """End `user`'s own membership ("member.change" by themselves); the last owner stays."""
    with transaction.atomic():
        existing = Membership.objects.filter(investigation=investigation, user=user).first()
        if existing is None:
            raise MembershipRefused("You are not a member of this investigation.")
        _keep_an_owner(investigation, existing, None)
        _change(investigation, actor=user, user=user, existing=existing, role=None)


def _change(investigation, *, actor, user, existing, role):
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
