"""How many claims stood in each status, day by day: the investigation page's chart.

The audit trail records every move of a claim with its status before and after; a claim
marked by hand starts open. Counting from the first event forward would miss claims that
came in without events (an import, generated data), so the history is anchored at today's
counts and walked backwards: the count of a status at the end of a day is today's count
minus what moved into it after that day plus what moved out of it. One grouped query over
the investigation's claim events, whatever their number.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, CharField, Count, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from claims.listing.queues import NOT_WORKED
from claims.models import AuditEvent, ClaimStatus

# Days drawn at most: a longer investigation is drawn a week a point.
MAX_DAYS = 90


@dataclass(frozen=True)
class StatusHistory:
    """`counts[status][i]`: claims in `status` at the end of `dates[i]` (worked statuses)."""

    dates: list[date]
    counts: dict[str, list[int]]


def status_history(investigation, current_counts, *, today=None):
    """The history of the worked statuses up to `today`, from `current_counts` (now)."""
    today = today or timezone.localdate()
    moves: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, into, out_of, number in _moves(investigation):
        if into:
            moves[day][into] += number
        if out_of:
            moves[day][out_of] -= number
    first = min(moves, default=today)
    first = min(first, today)
    days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    statuses = [status.value for status in ClaimStatus if status not in NOT_WORKED]
    level = {status: current_counts.get(status, 0) for status in statuses}
    counts: dict[str, list[int]] = {status: [] for status in statuses}
    for day in reversed(days):
        for status in statuses:
            counts[status].append(level[status])
        for status, change in moves.get(day, {}).items():
            if status in level:
                level[status] -= change
    for status in statuses:
        counts[status].reverse()
    if len(days) > MAX_DAYS:
        # The last day of each week, counted back from today so today is always drawn.
        keep = sorted(range(len(days) - 1, -1, -7))
        days = [days[i] for i in keep]
        counts = {status: [values[i] for i in keep] for status, values in counts.items()}
    return StatusHistory(days, counts)


def _moves(investigation):
    """(day, status moved into, status moved out of, how many) for the claim events."""
    into = Coalesce(
        KeyTextTransform("status", "after"),
        Case(When(action="claim.mark", then=Value(ClaimStatus.OPEN.value))),
        Value(""),
        output_field=CharField(),
    )
    out_of = Coalesce(KeyTextTransform("status", "before"), Value(""), output_field=CharField())
    return (
        AuditEvent.objects.filter(investigation=investigation, claim__isnull=False)
        .annotate(day=TruncDate("created_at"), into=into, out_of=out_of)
        .exclude(into="", out_of="")
        .values_list("day", "into", "out_of")
        .annotate(number=Count("pk"))
        .order_by()
    )
