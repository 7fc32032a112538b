"""Investigation pages: the list of a user's investigations, one overview, its members."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims.access.permissions import Action, capabilities, get_investigation_for_user
from claims.listing import counting, page_cache, queues
from claims.listing.counting import CappedPaginator
from claims.models import (
    AuditEvent,
    Claim,
    ClaimStatus,
    Investigation,
    Membership,
    Role,
    VerdictRating,
)
from claims.review import audit
from claims.review.history import describe_all
from claims.views.parameters import whole_number

RECENT_EVENTS = 10
SOURCES_PER_PAGE = 25
SOURCE_COUNT_CAP = 10_000
EVENTS_PER_PAGE = 50


@require_GET
def investigation_list(request):
    investigations = (
        Investigation.objects.for_user(request.user)
        .annotate(
            source_count=Count("sources", distinct=True),
            claim_count=Count(
                "claims", filter=~Q(claims__status=ClaimStatus.SUGGESTED), distinct=True
            ),
        )
        .order_by("title")
    )
    roles = dict(
        Membership.objects.filter(user=request.user).values_list("investigation_id", "role")
    )
    rows = [
        (investigation, Role(roles[investigation.pk]).label) for investigation in investigations
    ]
    return render(request, "claims/investigation_list.html", {"rows": rows})


@require_GET
def investigation_detail(request, slug):
    investigation, membership = get_investigation_for_user(request.user, slug)
    return page_cache.render(
        request,
        "claims/investigation_detail.html",
        lambda: _detail_context(request, investigation, membership),
        vary_on=[membership.role],
    )


def _detail_context(request, investigation, membership):
    recent = list(
        AuditEvent.objects.filter(investigation=investigation)
        .select_related("actor")
        .order_by("-created_at", "-pk")[:RECENT_EVENTS]
    )
    # The newest event names the state the counts describe (see counting.py).
    latest = recent[0] if recent else None
    status_counts = counting.status_counts_since(investigation, latest)
    by_status = [
        (status, status_counts[status.value])
        for status in ClaimStatus
        if status_counts.get(status.value)
    ]
    worked = sum(n for status, n in status_counts.items() if status not in queues.NOT_WORKED)
    verified = status_counts.get(ClaimStatus.VERIFIED.value, 0)
    verdict_counts = counting.verdict_counts_since(investigation, latest)
    by_verdict = [
        (rating, verdict_counts[rating.value])
        for rating in VerdictRating
        if verdict_counts.get(rating.value)
    ]
    # A page of sources, each counted on its own (a subquery per source shown): counting
    # with a join grouped every claim of the investigation before the page was cut.
    claims = Claim.objects.filter(source=OuterRef("pk"))
    sources = (
        investigation.sources.only("title", "author", "kind", "investigation")
        .annotate(
            claim_count=counting.subquery_count(claims.exclude(status__in=queues.NOT_WORKED)),
            suggestion_count=counting.subquery_count(claims.filter(status=ClaimStatus.SUGGESTED)),
        )
        .order_by("created_at", "pk")
    )
    source_page = CappedPaginator(sources, SOURCES_PER_PAGE, cap=SOURCE_COUNT_CAP).get_page(
        request.GET.get("sources")
    )
    return {
        "investigation": investigation,
        "membership": membership,
        "can": capabilities(membership),
        "sources": source_page.object_list,
        "source_page": source_page,
        "by_status": by_status,
        "by_verdict": by_verdict,
        "total_claims": worked,
        "verified_claims": verified,
        "remaining_claims": worked - verified,
        "progress": round(100 * verified / worked) if worked else 0,
        "recent": describe_all(recent),
    }


@require_GET
def activity(request, slug):
    """Every recorded change in an investigation, newest first, a page at a time."""
    investigation, membership = get_investigation_for_user(request.user, slug)
    events = (
        AuditEvent.objects.filter(investigation=investigation)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "investigation": investigation,
        "membership": membership,
        "page": page,
        "entries": describe_all(page.object_list),
    }
    return render(request, "claims/activity.html", context)


@require_http_methods(["GET", "POST"])
def member_list(request, slug):
    """Owners add people by username and change or remove their roles."""
    investigation, membership = get_investigation_for_user(
        request.user, slug, Action.MANAGE_MEMBERS
    )
    error = ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        role = request.POST.get("role", "")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            error = f"There is no user called “{username}”."
        elif role not in Role.values and role != "remove":
            error = "Choose a role."
        elif user == request.user:
            error = "You cannot change your own role; ask another owner."
        else:
            with transaction.atomic():
                existing = Membership.objects.filter(investigation=investigation, user=user).first()
                before = {"role": existing.role} if existing else {}
                if role == "remove":
                    if existing:
                        existing.delete()
                    after = {}
                else:
                    Membership.objects.update_or_create(
                        investigation=investigation, user=user, defaults={"role": role}
                    )
                    after = {"role": role}
                audit.record(
                    request.user,
                    "member.change",
                    user,
                    investigation=investigation,
                    before=before,
                    after=after,
                )
            messages.success(request, f"Membership of {username} updated.")
            return redirect("claims:member-list", slug=investigation.slug)
    members = investigation.memberships.select_related("user").order_by("user__username")
    context = {
        "investigation": investigation,
        "membership": membership,
        "members": members,
        "roles": Role.choices,
        "error": error,
        "form_username": request.POST.get("username", ""),
    }
    return render(request, "claims/member_list.html", context)


@require_GET
def queue(request):
    """The work waiting for this user: assignments, verdicts to sign off, mentions."""
    memberships = list(queues.memberships_with_counts(request.user))
    context = {
        "queue": queues.queue_for(request.user, memberships),
        # The top bar counts from the same rows; no second query for it.
        "nav_memberships": memberships,
        "nav_investigations": [m.investigation for m in memberships],
        "nav_queue_count": queues.badge_label(memberships),
    }
    return render(request, "claims/queue.html", context)


@require_POST
def mentions_read(request):
    """Take the user's mentions out of their queue (one investigation's, or all)."""
    queues.mark_mentions_read(request.user, whole_number(request.POST.get("investigation")))
    messages.success(request, "Mentions marked as read.")
    return redirect("claims:queue")
