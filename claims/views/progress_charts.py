"""The investigation page's charts: claims by status over time and the verdicts given.

Loaded after the page by their own request (the history reads every claim event of the
investigation in one grouped query) and kept, like the page, until the data changes.
"""

from django.views.decorators.http import require_GET

from claims import charts
from claims.access.permissions import get_investigation_for_user
from claims.listing import counting, page_cache, progress
from claims.models import AuditEvent, ClaimStatus, VerdictRating
from claims.views.fragments import page_or_fragment

TEMPLATE = "claims/investigation_charts.html"

# Colours with at least 4.5:1 contrast on white; every line and bar is also named in words.
STATUS_COLOURS = {
    ClaimStatus.OPEN: "#1f5fbf",
    ClaimStatus.IN_REVIEW: "#7a4d00",
    ClaimStatus.VERDICT_PROPOSED: "#6b3fa0",
    ClaimStatus.VERIFIED: "#1d6b3a",
    ClaimStatus.DISPUTED: "#a4262c",
    ClaimStatus.REOPENED: "#0f6b75",
    ClaimStatus.SIGN_OFF_VOID: "#8a1c4a",
}
RATING_COLOURS = {
    VerdictRating.TRUE: "#1d6b3a",
    VerdictRating.MOSTLY_TRUE: "#2e7d4f",
    VerdictRating.MIXED: "#8a5a00",
    VerdictRating.MOSTLY_FALSE: "#a4262c",
    VerdictRating.FALSE: "#8a1c1c",
    VerdictRating.MISLEADING: "#8a1c4a",
    VerdictRating.UNVERIFIABLE: "#4a5263",
}


@require_GET
def progress_charts(request, slug):
    taken = page_cache.ticket(request)
    investigation, _membership = get_investigation_for_user(request.user, slug)
    # The section alone for the investigation page; a page of its own without JavaScript.
    template = page_or_fragment(request, TEMPLATE, "charts")
    return page_cache.render(request, taken, template, lambda: progress_context(investigation))


def progress_context(investigation):
    latest = AuditEvent.objects.filter(investigation=investigation).order_by("-pk").first()
    history = progress.status_history(
        investigation, counting.status_counts_since(investigation, latest)
    )
    drawn = [
        (status, history.counts[status.value])
        for status in ClaimStatus
        if status.value in history.counts and any(history.counts[status.value])
    ]
    labels = [f"{day.day} {day:%b}" for day in history.dates]
    weekly = len(history.dates) > 1 and (history.dates[1] - history.dates[0]).days > 1
    lines = [
        charts.Series(status.label, values, STATUS_COLOURS[status]) for status, values in drawn
    ]
    description = (
        f"How many claims stood in each status at the end of each "
        f"{'week' if weekly else 'day'}, from {labels[0]} to {labels[-1]}. "
        "The table below gives the same numbers."
    )
    # Drawn at a desktop's width and at a phone's, so the text reads at about 13 px on both;
    # the stylesheet shows the one that fits (as on the numbers page).
    timeline, timeline_narrow = (
        charts.timeline_chart(
            labels, lines, title="Claims by status over time", description=description, width=width
        )
        for width in (760, 340)
    )
    verdicts = counting.verdict_counts_since(investigation, latest)
    bars = [
        charts.Bar(rating.label, verdicts[rating.value], RATING_COLOURS[rating])
        for rating in VerdictRating
        if verdicts.get(rating.value)
    ]
    return {
        "investigation": investigation,
        "has_claims": bool(drawn),
        "timeline": timeline,
        "timeline_narrow": timeline_narrow,
        "table_rows": [
            (day, [values[index] for _, values in drawn]) for index, day in enumerate(history.dates)
        ][-14:],
        "table_statuses": [status for status, _ in drawn],
        "verdict_chart": charts.bar_chart(
            bars,
            title="Current verdicts by rating",
            description="One bar per rating with its number of current verdicts; the same "
            "counts are listed beside the chart.",
        )
        if bars
        else None,
    }
