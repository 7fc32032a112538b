"""The numbers page's data: every measure's verdict over all its figures, and a bounded page
of those figures in full.

The page must cost the same at 1,000 claims as at 100,000, where a measure holds tens of
thousands of figures. What depends on all of them (count, verdict, what the reason cites,
each shown figure's standing, which figures page 1 shows) is a MeasurePlan (plans.py), kept
for page 1 by summaries.py: one query reads it when fresh. Then the figures shown and cited
are read whole by id, in a second query. Later pages of one measure are rarer and worked
out live from its figures (one lean query, plans.py). Either way the answer is the same:
the kept plan is the live one, stored.
"""

from dataclasses import dataclass, field

from claims.corroboration import comparison, plans, summaries
from claims.models import Quantity

_LABELS = dict(Quantity.Measure.choices)
# Figures of one measure shown at once: a chart of 50 rows is already long on a phone.
FIGURES_PER_PAGE = summaries.FIGURES_PER_PAGE


@dataclass
class MeasureOverview:
    kind: str
    label: str
    verdict: str
    why: str
    count: int
    # The figures shown, in date order, each with its standing ("agrees", "differs", "single").
    statements: list[comparison.Statement] = field(default_factory=list)
    standings: list[str] = field(default_factory=list)
    page: int = 1
    pages: int = 1


def overview(
    investigation,
    *,
    include_suggestions=False,
    per_measure=FIGURES_PER_PAGE,
    measure=None,
    page=1,
    live=False,
):
    """list[MeasureOverview]: each known measure of `investigation` (or only `measure`) with
    its verdict over all figures and page `page` (from 1, clamped) of `per_measure` figures.

    Which figures count is compare()'s rule: dismissed claims never, suggested ones only with
    `include_suggestions`, "other" numbers never. Page 1 comes from the kept summary (two
    queries when it is fresh; recomputed and kept again when not), other pages, or `live`,
    from every figure (two queries).
    """
    if page <= 1 and not live:
        found = summaries.first_pages(investigation, include_suggestions, per_measure)
        if measure:
            found = [plan for plan in found if plan.kind == measure]
    else:
        found = plans.measure_plans(
            investigation,
            include_suggestions=include_suggestions,
            per_measure=per_measure,
            measure=measure,
            page=page,
        )
    details = _statements({pk for plan in found for pk in [*plan.shown, *plan.cited]})
    if any(pk not in details for plan in found for pk in [*plan.shown, *plan.cited]):
        # A figure deleted between the two queries (a writer committed in between): the
        # plan is stale already, so answer from the figures as they are now.
        found = plans.measure_plans(
            investigation,
            include_suggestions=include_suggestions,
            per_measure=per_measure,
            measure=measure,
            page=page,
        )
        details = _statements({pk for plan in found for pk in [*plan.shown, *plan.cited]})
    return [_overview(plan, details) for plan in found]


def _overview(plan, details):
    statements = [details[pk] for pk in plan.shown]
    highs, lows = plan.high_pairs(), plan.low_pairs()
    shared = (lows[0][1], highs[0][1]) if plan.count > 1 else None
    return MeasureOverview(
        kind=plan.kind,
        label=_LABELS[plan.kind],
        verdict=plan.verdict,
        why=comparison.explain_by_extremes(
            plan.verdict,
            plan.count,
            shared=shared,
            named=[details[pk] for pk in plan.cited],
        ),
        count=plan.count,
        statements=statements,
        standings=comparison.standings_by_extremes(statements, highs, lows),
        page=plan.page,
        pages=plan.pages,
    )


def _statements(quantity_ids):
    """{quantity id: Statement} for the figures shown or cited: one query."""
    if not quantity_ids:
        return {}
    quantities = (
        Quantity.objects.filter(pk__in=quantity_ids)
        .select_related("claim__source")
        .defer("claim__source__text")
    )
    return {quantity.pk: comparison.statement_of(quantity) for quantity in quantities}
