"""An investigation's overview page: progress, its sources a page at a time, activity."""

from django.db.models import OuterRef
from django.views.decorators.http import require_GET

from claims.access.permissions import capabilities, get_investigation_for_user
from claims.forms import PageForm
from claims.listing import counting, page_cache, queues
from claims.listing.counting import CappedPaginator
from claims.models import AuditEvent, Claim, ClaimStatus, VerdictRating
from claims.review.history import describe_all

RECENT_EVENTS = 10
SOURCES_PER_PAGE = 25
SOURCE_COUNT_CAP = 10_000


@require_GET
def investigation_detail(request, slug):
    taken = page_cache.ticket(request)  # before the investigation is read: see ticket()
    investigation, membership = get_investigation_for_user(request.user, slug)
    return page_cache.render(
        request,
        taken,
        "claims/investigation_detail.html",
        lambda: investigation_page_context(request, investigation, membership),
        vary_on=[membership.role],
    )


def investigation_page_context(request, investigation, membership):
    """Everything the investigation overview shows: progress, a page of sources, activity."""
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
        PageForm(request.GET, key="sources").number
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
