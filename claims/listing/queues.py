"""A member's queue: claims assigned to them, verdicts waiting for their sign-off, mentions.

The same three definitions feed the count in the top bar, the counts per investigation and
the queue page, so the number a person sees is the number of rows they will find.
"""

import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from claims import rows
from claims.access.roles import Action, roles_allowed
from claims.listing.counting import CappedCount, capped_label
from claims.models import Claim, ClaimStatus, Comment, Investigation, Membership, Verdict

FINISHED = (ClaimStatus.VERIFIED, ClaimStatus.DISMISSED)
# Not (or no longer) part of the work: left out of an investigation's progress.
NOT_WORKED = (ClaimStatus.SUGGESTED, ClaimStatus.DISMISSED)
SIGNING_ROLES = roles_allowed(Action.SIGN_OFF_VERDICT)
# The claim statuses a proposed verdict can stand on: the workflow leaves "verdict proposed"
# and "changed since sign-off" only by a sign-off or a send-back, which close the proposal,
# and reaches them only by proposing. Counting walks just these claims of an investigation.
AWAITING_STATUSES = (ClaimStatus.VERDICT_PROPOSED, ClaimStatus.SIGN_OFF_VOID)


def assigned_claims(user):
    return Claim.objects.filter(assignee=user, investigation__memberships__user=user).exclude(
        status__in=FINISHED
    )


def awaiting_sign_off(user):
    """Proposed verdicts by someone else, in investigations where the user may sign off.

    Verdicts put up again after a change voided their sign-off are among them (their
    `resubmission_of` is set), except for the person whose change voided it.
    """
    return (
        Verdict.objects.filter(
            status=Verdict.Status.PROPOSED,
            claim__status__in=AWAITING_STATUSES,
            claim__investigation__memberships__user=user,
            claim__investigation__memberships__role__in=SIGNING_ROLES,
        )
        .exclude(proposed_by=user)
        .exclude(resubmission_of__voided_by=user)
    )


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


# The top bar's badge and the queue page's counts stop at this many ("99+"): a desk with
# thousands of open assignments learns nothing more from the exact figure, and counting it
# on every page would read all those rows on every page.
BADGE_CAP = 99


def _count_per_investigation(queryset, path):
    """Capped count of `queryset`'s rows in the outer membership's investigation."""
    return CappedCount(queryset.filter(**{path: OuterRef("investigation")}), BADGE_CAP)


def _memberships_with_counts_query(user):
    """The user's memberships with assigned, awaiting and mentions, as a values queryset.

    One query, however many investigations: each count is a correlated subquery that stops
    after BADGE_CAP + 1 rows, so a count above BADGE_CAP means "more" (see badge_label).
    """
    # Counted as claims, which is the same number: a claim has at most one proposed verdict
    # (constraint one_current_verdict_per_claim). Walking the investigation's claims and
    # probing each for its verdict stops after BADGE_CAP + 1 finds; a join of verdicts to
    # claims (EXISTS included, which PostgreSQL turns into one) read every proposed verdict
    # of every investigation (80 ms at 100,000 claims, 8 ms this way). The scalar subquery
    # cannot be turned into a join.
    proposed_by_other = (
        Verdict.objects.filter(claim=OuterRef("pk"), status=Verdict.Status.PROPOSED)
        .exclude(proposed_by=user)
        .exclude(resubmission_of__voided_by=user)
        .order_by()
        .values("pk")[:1]
    )
    # Only claims waiting for a sign-off are probed, through the (investigation, status)
    # index: walking all of an investigation's claims probed about 3,900 at 100,000 claims to
    # find 99 (5 ms per page, the top bar's largest part).
    awaiting = _count_per_investigation(
        Claim.objects.filter(status__in=AWAITING_STATUSES)
        .alias(proposal=Subquery(proposed_by_other))
        .filter(proposal__isnull=False),
        "investigation",
    )
    return (
        Membership.objects.filter(user=user)
        .annotate(
            assigned=_count_per_investigation(assigned_claims(user), "investigation"),
            awaiting=Case(
                When(role__in=SIGNING_ROLES, then=awaiting),
                default=Value(0),
                output_field=IntegerField(),
            ),
            mentions=_count_per_investigation(unread_mentions(user), "claim__investigation"),
        )
        .order_by("investigation__title", "investigation_id")
        .values_list(*MembershipCounts.COLUMNS)
    )


@dataclass(frozen=True)
class MembershipCounts:
    """One of the user's investigations, their role in it and the three capped counts."""

    COLUMNS = (
        "investigation_id",
        "investigation__slug",
        "investigation__title",
        "role",
        "assigned",
        "awaiting",
        "mentions",
    )

    investigation: Investigation  # slug and title loaded, the rest deferred
    role: str
    assigned: int
    awaiting: int
    mentions: int

    @property
    def investigation_id(self):
        return self.investigation.pk


# Stands for the user in the query compiled once below; no user has a negative id.
_ANY_USER_ID = -7_301_949


@functools.cache
def _compiled_counts_query(vendor, cap):
    """(SQL, parameters) of the counts query for a stand-in user, built once per process.

    Building and compiling the query (three capped counts, each a subquery over joins) costs
    about 4 ms of CPU, more than running it, on every page that shows the top bar; only the
    user's id differs from one request to the next. The cap is part of the key because it
    is written into the SQL (LIMIT); so is the database vendor, whose SQL differs.
    """
    stand_in = get_user_model()(pk=_ANY_USER_ID)
    sql, params = _memberships_with_counts_query(stand_in).query.sql_with_params()
    if _ANY_USER_ID not in params:
        raise RuntimeError("the queue counts query no longer takes the user as a parameter")
    return sql, tuple(params)


def memberships_with_counts(user):
    """[MembershipCounts] of `user`'s investigations, by title, in one query."""
    sql, params = _compiled_counts_query(connection.vendor, BADGE_CAP)
    params = [user.pk if value == _ANY_USER_ID else value for value in params]
    database = connection.alias
    # Prepared on PostgreSQL, like the claim page's reads: every page's top bar runs it.
    return [
        MembershipCounts(
            investigation=Investigation.from_db(
                database, ["id", "slug", "title"], (pk, slug, title)
            ),
            role=role,
            assigned=assigned,
            awaiting=awaiting,
            mentions=mentions,
        )
        for pk, slug, title, role, assigned, awaiting, mentions in rows.fetch(sql, params)
    ]


def badge_label(memberships):
    """The number on the queue badge: the sum of the capped counts, or "99+" beyond the cap.

    Exact whenever it is shown as a number: each count is exact up to BADGE_CAP, so a sum at
    or below BADGE_CAP is made of exact counts, and one capped count alone passes the cap.
    """
    total = sum(m.assigned + m.awaiting + m.mentions for m in memberships)
    return capped_label(total, BADGE_CAP)


@dataclass
class Queue:
    """Each list holds at most BADGE_CAP rows; `labels` gives each list's count as shown."""

    assigned: list
    awaiting: list
    mentions: list
    per_investigation: list  # memberships with counts
    labels: dict  # "assigned", "awaiting", "mentions" -> "7" or "99+"

    @property
    def total(self):
        return len(self.assigned) + len(self.awaiting) + len(self.mentions)


def _first_rows(queryset):
    """(at most BADGE_CAP rows, their count as shown), reading one row more to know."""
    rows = list(queryset[: BADGE_CAP + 1])
    return rows[:BADGE_CAP], capped_label(len(rows), BADGE_CAP)


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
        .select_related("claim__investigation", "proposed_by", "resubmission_of")
        .order_by("proposed_at", "pk")
    )
    mentions = (
        unread_mentions(user)
        .select_related("claim__investigation", "author")
        .order_by("-created_at", "-pk")
    )
    # A page of thousands of rows helps nobody; past the cap the claim list's filters
    # ("assigned to me") take over, and the page says so.
    (assigned, assigned_label), (awaiting, awaiting_label), (mentions, mentions_label) = (
        _first_rows(assigned),
        _first_rows(awaiting),
        _first_rows(mentions),
    )
    labels = {"assigned": assigned_label, "awaiting": awaiting_label, "mentions": mentions_label}
    return Queue(assigned, awaiting, mentions, memberships, labels)


def mark_mentions_read(user, investigation_id=None):
    """Take the user's current mentions out of their queue (in one investigation, or all)."""
    memberships = Membership.objects.filter(user=user)
    if investigation_id is not None:
        memberships = memberships.filter(investigation_id=investigation_id)
    with transaction.atomic():
        return memberships.update(mentions_read_at=timezone.now())
