"""A member's queue: claims assigned to them, verdicts waiting for their sign-off, mentions.

The same three definitions feed the count in the top bar, the counts per investigation and
the queue page, so the number a person sees is the number of rows they will find.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from claims.models import Claim, ClaimStatus, Comment, Membership, Role, Verdict

FINISHED = (ClaimStatus.VERIFIED, ClaimStatus.DISMISSED)
# Not (or no longer) part of the work: left out of an investigation's progress.
NOT_WORKED = (ClaimStatus.SUGGESTED, ClaimStatus.DISMISSED)
SIGNING_ROLES = (Role.REVIEWER, Role.EDITOR, Role.OWNER)


def assigned_claims(user):
    return Claim.objects.filter(assignee=user, investigation__memberships__user=user).exclude(
        status__in=FINISHED
    )


def awaiting_sign_off(user):
    """Proposed verdicts by someone else, in investigations where the user may sign off."""
    return Verdict.objects.filter(
        status=Verdict.Status.PROPOSED,
        claim__investigation__memberships__user=user,
        claim__investigation__memberships__role__in=SIGNING_ROLES,
    ).exclude(proposed_by=user)


def unread_mentions(user):
    """Comments mentioning the user on claims still being worked, newer than their last read."""
    read_at = Membership.objects.filter(
        investigation=OuterRef("claim__investigation"), user=user
    ).values("mentions_read_at")[:1]
    return (
        Comment.objects.filter(mentions=user, claim__investigation__memberships__user=user)
        .exclude(claim__status__in=FINISHED)
        .alias(read_at=Subquery(read_at))
        .filter(Q(read_at__isnull=True) | Q(created_at__gt=F("read_at")))
    )


def _count_per_investigation(queryset, path):
    counted = (
        queryset.filter(**{path: OuterRef("investigation")})
        .order_by()
        .values(path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def memberships_with_counts(user):
    """The user's memberships, investigation loaded, each with assigned, awaiting, mentions.

    One query, however many investigations: each count is a correlated subquery.
    """
    awaiting = _count_per_investigation(
        Verdict.objects.filter(status=Verdict.Status.PROPOSED).exclude(proposed_by=user),
        "claim__investigation",
    )
    return (
        Membership.objects.filter(user=user)
        .select_related("investigation")
        .only("role", "mentions_read_at", "investigation__slug", "investigation__title")
        .annotate(
            assigned=_count_per_investigation(assigned_claims(user), "investigation"),
            awaiting=Case(
                When(role__in=SIGNING_ROLES, then=awaiting),
                default=Value(0),
                output_field=IntegerField(),
            ),
            mentions=_count_per_investigation(unread_mentions(user), "claim__investigation"),
        )
        .order_by("investigation__title")
    )


@dataclass
class Queue:
    assigned: list
    awaiting: list
    mentions: list
    per_investigation: list  # memberships with counts

    @property
    def total(self):
        return len(self.assigned) + len(self.awaiting) + len(self.mentions)


def queue_for(user, memberships):
    """Everything waiting for `user`, oldest and most urgent first."""
    assigned = (
        assigned_claims(user)
        .select_related("investigation", "source")
        .defer("source__text")
        .order_by("-priority", "updated_at", "pk")
    )
    awaiting = (
        awaiting_sign_off(user)
        .select_related("claim__investigation", "proposed_by")
        .order_by("proposed_at", "pk")
    )
    mentions = (
        unread_mentions(user)
        .select_related("claim__investigation", "author")
        .order_by("-created_at", "-pk")
    )
    return Queue(list(assigned), list(awaiting), list(mentions), memberships)


def mark_mentions_read(user, investigation_id=None):
    """Take the user's current mentions out of their queue (in one investigation, or all)."""
    memberships = Membership.objects.filter(user=user)
    if investigation_id is not None:
        memberships = memberships.filter(investigation_id=investigation_id)
    with transaction.atomic():
        return memberships.update(mentions_read_at=timezone.now())
