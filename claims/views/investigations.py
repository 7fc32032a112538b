"""Investigation pages: the list of a user's investigations, one overview, its members."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import OuterRef
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from claims import audit
from claims.counting import CappedPaginator, status_counts_since, subquery_count
from claims.models import (
    AuditEvent,
    Claim,
    ClaimStatus,
    Investigation,
    Membership,
    Role,
    Source,
    Verdict,
)
from claims.permissions import Action, capabilities, get_investigation_for_user

SOURCES_PER_PAGE = 25


@require_GET
def investigation_list(request):
    # Subqueries, not Count() over two joins: joining sources and claims multiplies them
    # (2,500 sources x 100,000 claims) before DISTINCT can undo it.
    investigations = (
        Investigation.objects.for_user(request.user)
        .annotate(
            source_count=subquery_count(Source.objects.filter(investigation=OuterRef("pk"))),
            claim_count=subquery_count(
                Claim.objects.filter(investigation=OuterRef("pk")).exclude(
                    status=ClaimStatus.SUGGESTED
                )
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
    recent = list(
        AuditEvent.objects.filter(investigation=investigation)
        .select_related("actor", "claim")
        .order_by("-created_at", "-pk")[:10]
    )
    status_counts = status_counts_since(investigation, recent[0] if recent else None)
    by_status = [
        (status, status_counts.get(status.value, 0))
        for status in ClaimStatus
        if status_counts.get(status.value, 0)
    ]
    total = sum(
        n for status, n in status_counts.items() if status not in ("suggested", "dismissed")
    )
    verified = status_counts.get(ClaimStatus.VERIFIED.value, 0)
    # Counted per source shown (subqueries), a page of sources at a time: an investigation
    # can hold thousands of sources, and grouping all their claims costs a full scan.
    claims_of_source = Claim.objects.filter(source=OuterRef("pk"))
    sources = investigation.sources.annotate(
        claim_count=subquery_count(claims_of_source.exclude(status__in=["suggested", "dismissed"])),
        suggestion_count=subquery_count(claims_of_source.filter(status="suggested")),
    ).order_by("created_at", "pk")
    source_page = CappedPaginator(sources, SOURCES_PER_PAGE).get_page(request.GET.get("sources"))
    context = {
        "investigation": investigation,
        "membership": membership,
        "can": capabilities(membership),
        "sources": source_page.object_list,
        "source_page": source_page,
        "by_status": by_status,
        "total_claims": total,
        "verified_claims": verified,
        "progress": round(100 * verified / total) if total else 0,
        "recent": recent,
    }
    return render(request, "claims/investigation_detail.html", context)


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
    """The work waiting for this user: verdicts to sign off, claims assigned to them."""
    reviewer_roles = [Role.REVIEWER, Role.EDITOR, Role.OWNER]
    awaiting = (
        Verdict.objects.filter(
            status=Verdict.Status.PROPOSED,
            claim__investigation__memberships__user=request.user,
            claim__investigation__memberships__role__in=reviewer_roles,
        )
        .exclude(proposed_by=request.user)
        .select_related("claim__investigation", "proposed_by")
        .order_by("proposed_at")
    )
    assigned = (
        Claim.objects.for_user(request.user)
        .filter(assignee=request.user)
        .exclude(status__in=[ClaimStatus.VERIFIED, ClaimStatus.DISMISSED])
        .select_related("investigation")
        .order_by("-priority", "updated_at")
    )
    return render(request, "claims/queue.html", {"awaiting": awaiting, "assigned": assigned})
