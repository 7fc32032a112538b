"""The numbers page: every figure of each measure across the investigation's sources, drawn
as intervals on one axis and listed in a table, with the verdict and the reason for it.

The overview shows each measure's first figures (by date) and says how many there are; a
measure with more has pages of its own (?measure=detained&page=2). The verdict always
counts every figure (claims.corroboration.overview).
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from claims import charts
from claims.access.permissions import capabilities, get_investigation_for_user
from claims.access.roles import Action
from claims.corroboration import comparison, overview
from claims.forms import NumbersForm
from claims.listing import page_cache
from claims.models import Quantity

# Figures of one measure drawn and listed at once (page 1 of each is kept, see
# corroboration/summaries.py).
FIGURES_PER_PAGE = overview.FIGURES_PER_PAGE
_HEDGES = dict(Quantity.Bound.choices)


@dataclass
class StatementRow:
    statement: comparison.Statement
    standing: str
    value_range: str
    hedge: str
    claim_url: str
    source_url: str


@dataclass
class MeasureSection:
    kind: str
    label: str
    verdict: str
    verdict_words: str
    why: str
    count: int
    page: int
    pages: int
    first: int  # positions of the first and last figures shown, from 1
    last: int
    wide_chart: SafeString
    narrow_chart: SafeString
    rows: list[StatementRow]


@require_GET
def investigation_numbers(request, slug):
    taken = page_cache.ticket(request)  # before the investigation is read: see ticket()
    investigation, membership = get_investigation_for_user(
        request.user, slug, Action.COMPARE_NUMBERS
    )
    form = NumbersForm(request.GET)
    return page_cache.render(
        request,
        taken,
        "claims/numbers.html",
        lambda: numbers_page_context(investigation, membership, form),
        vary_on=[membership.role],
    )


def numbers_page_context(investigation, membership, form):
    """The measures of `investigation` with verdicts, charts and a page of rows each."""
    include_suggestions = form.include_suggestions
    measure = form.measure_kind
    measures = [
        _section(item)
        for item in overview.overview(
            investigation,
            include_suggestions=include_suggestions,
            per_measure=FIGURES_PER_PAGE,
            measure=measure,
            page=form.page_number if measure else 1,
        )
    ]
    return {
        "investigation": investigation,
        "membership": membership,
        "can": capabilities(membership),
        "form": form,
        "include_suggestions": include_suggestions,
        "suggested_query": "&suggested=on" if include_suggestions else "",
        "one_measure": measure,
        "measures": measures,
        "statement_count": sum(measure.count for measure in measures),
    }


def _section(item):
    statements = item.statements
    first = (item.page - 1) * FIGURES_PER_PAGE + 1
    if item.pages > 1:
        last = first + len(statements) - 1
        title = f"{item.label}: figures {first:,}–{last:,} of {item.count:,}"
    else:
        title = f"{item.label}: {item.count} figure{'' if item.count == 1 else 's'} across sources"

    def draw(layout):
        return comparison.chart(
            item.label,
            item.verdict,
            statements,
            layout,
            standings_of=item.standings,
            title=title,
            description=item.why,
        )

    rows = [
        StatementRow(
            statement=statement,
            standing=standing,
            value_range=comparison.value_range(statement),
            hedge=_HEDGES.get(statement.bound, statement.bound),
            claim_url=reverse("claims:claim-detail", args=[statement.claim_id]),
            source_url=reverse("claims:source-detail", args=[statement.source_id]),
        )
        for statement, standing in zip(statements, item.standings, strict=True)
    ]
    return MeasureSection(
        kind=item.kind,
        label=item.label,
        verdict=item.verdict,
        verdict_words=comparison.VERDICT_WORDS[item.verdict],
        why=item.why,
        count=item.count,
        page=item.page,
        pages=item.pages,
        first=first,
        last=first + len(statements) - 1,
        # Both drawn; the stylesheet shows the one that fits the screen (labels above the
        # bars on a phone, beside them on a desktop).
        wide_chart=draw(charts.BESIDE),
        narrow_chart=draw(charts.STACKED),
        rows=rows,
    )
