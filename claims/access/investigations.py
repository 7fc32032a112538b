"""An investigation's own life: created by a user (who becomes its owner), retitled,
archived and restored, deleted. Each change is checked against the role table here, so every
door (page, command, admin action) obeys the same rules, and each is audited.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.access import second_factor
from claims.access.roles import Action, member_allows
from claims.models import Investigation, Membership, Role
from claims.review import audit

logger = logging.getLogger(__name__)


class InvestigationRefused(Exception):
    """The change is not allowed; the message says why, in one line for the person."""


def may_create(user):
    """Whether `user` may start an investigation (settings.INVESTIGATION_CREATION)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return settings.INVESTIGATION_CREATION == "everyone" or user.is_staff


def create(*, actor, title, slug, description=""):
    """Create an investigation with `actor` as its owner; return it.

    Raises InvestigationRefused when the installation keeps creation to staff, or when the
    slug is taken (a form checks first; this catches two people choosing it at once).
    """
    if not may_create(actor):
        raise InvestigationRefused("Only staff users can create investigations here.")
    try:
        with transaction.atomic():
            investigation = Investigation.objects.create(
                title=title, slug=slug, description=description, created_by=actor
            )
            Membership.objects.create(investigation=investigation, user=actor, role=Role.OWNER)
            after = {"title": title, "slug": slug, "description": description}
            audit.record(
                actor,
                "investigation.create",
                investigation,
                investigation=investigation,
                after=after,
            )
    except IntegrityError:
        raise InvestigationRefused(f"The address “{slug}” is taken; choose another.") from None
    return investigation


def _require(investigation, actor, action, message):
    membership = Membership.objects.filter(investigation=investigation, user=actor).first()
    if not member_allows(membership, action):
        raise InvestigationRefused(message)
    return membership


def edit(investigation, *, actor, title, description):
    """Change the title and description (editors and owners); one "investigation.edit"
    event with the values that changed. An archived investigation refuses (audit.record)."""
    with transaction.atomic():
        _require(investigation, actor, Action.EDIT_INVESTIGATION, "Your role cannot edit this.")
        fields = {"title": title, "description": description}
        # Compared with the stored row: a bound ModelForm has already set the new values
        # on the instance it was given.
        stored = Investigation.objects.select_for_update().get(pk=investigation.pk)
        before = {name: getattr(stored, name) for name in fields}
        changed = [name for name in fields if before[name] != fields[name]]
        for name in fields:
            setattr(investigation, name, fields[name])
        if not changed:
            return investigation
        investigation.save(update_fields=changed)
        audit.record(
            actor,
            "investigation.edit",
            investigation,
            investigation=investigation,
            before={name: before[name] for name in changed},
            after={name: fields[name] for name in changed},
        )
    return investigation


def set_archived(investigation, *, actor, archived):
    """Archive the investigation (read-only for everyone) or restore it; owners only.

    Archiving an archived investigation (or restoring an open one) changes nothing.
    """
    with transaction.atomic():
        _require(
            investigation,
            actor,
            Action.ARCHIVE_INVESTIGATION,
            "Only an owner can archive or restore an investigation.",
        )
        current = Investigation.objects.select_for_update().get(pk=investigation.pk)
        if current.is_archived == archived:
            investigation.archived_at = current.archived_at
            return investigation
        before = {"archived_at": audit.snapshot_fields(current, ["archived_at"])["archived_at"]}
        investigation.archived_at = timezone.now() if archived else None
        investigation.save(update_fields=["archived_at"])
        after = audit.snapshot_fields(investigation, ["archived_at"])
        action = "investigation.archive" if archived else "investigation.restore"
        audit.record(
            actor, action, investigation, investigation=investigation, before=before, after=after
        )
    return investigation


def set_second_factor_required(investigation, *, actor, required):
    """Require (or stop requiring) every member to have passed a second factor; owners only,
    and only an owner who has one themselves, so nobody locks the team out by mistake."""
    with transaction.atomic():
        _require(
            investigation,
            actor,
            Action.REQUIRE_SECOND_FACTOR,
            "Only an owner can decide whether members need a second factor.",
        )
        if required and not second_factor.has_second_factor(actor):
            raise InvestigationRefused(
                "Set up your own second factor first (on your account page): otherwise this "
                "would lock you out of the investigation."
            )
        current = Investigation.objects.select_for_update().get(pk=investigation.pk)
        investigation.require_second_factor = required
        if current.require_second_factor == required:
            return investigation
        investigation.save(update_fields=["require_second_factor"])
        audit.record(
            actor,
            "investigation.second_factor",
            investigation,
            investigation=investigation,
            before={"require_second_factor": current.require_second_factor},
            after={"require_second_factor": required},
        )
    return investigation


def delete(investigation, *, actor, confirmation):
    """Delete the investigation and everything in it; owners only, with its slug typed as
    `confirmation`.

    Its audit history goes with it (the events belong to the investigation), so the
    deletion is written to the log ("claims.access.investigations"), with the chain head the
    history ended at, for whoever keeps the server's logs.
    """
    with transaction.atomic():
        _require(
            investigation,
            actor,
            Action.DELETE_INVESTIGATION,
            "Only an owner can delete an investigation.",
        )
        if confirmation != investigation.slug:
            raise InvestigationRefused(
                f"Type “{investigation.slug}” exactly to confirm the deletion."
            )
        seq, sha256 = audit.chain_head(investigation)
        slug = investigation.slug
        investigation.delete()  # its kept pages leave the cache too (models.py)
    logger.warning(
        "investigation.delete slug=%s by=%s audit_seq=%s audit_head=%s",
        slug,
        actor.get_username(),
        seq,
        sha256,
    )
