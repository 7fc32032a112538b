"""The numbers page: every figure of each measure across the investigation's sources, drawn
as intervals on one axis and listed in a table, with the verdict and the reason for it."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from claims import charts
from claims.access.permissions import capabilities, get_investigation_for_user
from claims.access.roles import Action
from claims.corroboration import comparison
from claims.forms import NumbersForm
from claims.listing import page_cache
from claims.models import Quantity

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
    """The measures of `investigation` with their verdicts, charts and rows (one query)."""
    include_suggestions = form.include_suggestions
    measures = [
        _section(measure)
        for measure in comparison.compare(investigation, include_suggestions=include_suggestions)
    ]
    return {
        "investigation": investigation,
        "membership": membership,
        "can": capabilities(membership),
        "form": form,
        "include_suggestions": include_suggestions,
        "measures": measures,
        "statement_count": sum(len(measure.rows) for measure in measures),
    }


def _section(measure):
    statements = measure.statements
    why = comparison.explain(measure.verdict, statements)
    rows = [
        StatementRow(
            statement=statement,
            standing=standing,
            value_range=comparison.value_range(statement),
            hedge=_HEDGES.get(statement.bound, statement.bound),
            claim_url=reverse("claims:claim-detail", args=[statement.claim_id]),
            source_url=reverse("claims:source-detail", args=[statement.source_id]),
        )
        for statement, standing in zip(statements, comparison.standings(statements), strict=True)
    ]
    return MeasureSection(
        kind=measure.kind,
        label=measure.label,
        verdict=measure.verdict,
        verdict_words=comparison.VERDICT_WORDS[measure.verdict],
        why=why,
        # Both drawn; the stylesheet shows the one that fits the screen (labels above the
        # bars on a phone, beside them on a desktop).
        wide_chart=comparison.chart(measure.label, measure.verdict, statements, charts.BESIDE),
        narrow_chart=comparison.chart(measure.label, measure.verdict, statements, charts.STACKED),
        rows=rows,
    )
