"""The numbers page's data: every measure's verdict over all its figures, and a bounded page
of those figures in full.

compare() builds a full Statement per figure, which is right for a command or a report but
not for a page that must cost the same at 1,000 claims as at 100,000: a large investigation
holds tens of thousands of figures per measure. Here the verdict is reached from one lean
query (a few columns per figure, no model instances), and only the figures shown, a page of
each measure plus the ones the verdict's reason cites, are read whole, in a second query.
Both are index lookups: the investigation's claims, then each one's quantities.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Subquery

from claims.corroboration import comparison
from claims.models import Claim, ClaimStatus, Quantity

_LABELS = dict(Quantity.Measure.choices)


@dataclass(slots=True)
class Figure:
    """What the verdict needs of one figure; `high` None means open-ended."""

    quantity_id: int
    low: float
    high: float | None
    date: date | None
    sort_key: tuple


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


def overview(investigation, *, include_suggestions=False, per_measure=50, measure=None, page=1):
    """list[MeasureOverview]: each known measure of `investigation` (or only `measure`) with
    its verdict over all figures and page `page` (from 1, clamped) of `per_measure` figures.

    Which figures count is compare()'s rule: dismissed claims never, suggested ones only with
    `include_suggestions`, "other" numbers never. Two queries, whatever the number of figures.
    """
    rows = _figure_rows(investigation, include_suggestions, measure)
    by_measure: dict[str, list[Figure]] = {}
    seen_ranges = set()
    for pk, claim_id, kind, text, value, low, high, bound, published_on, source_id, start in rows:
        # Both ends of "100 to 300" are stored, each holding the whole range: one figure.
        if low is not None and high is not None:
            key = (claim_id, kind, low, high)
            if key in seen_ranges:
                continue
            seen_ranges.add(key)
        start_of, end_of = comparison.interval(text, value, low, high, bound)
        sort_key = (published_on is None, published_on or date.min, source_id, start, pk)
        by_measure.setdefault(kind, []).append(
            Figure(pk, start_of, None if end_of == float("inf") else end_of, published_on, sort_key)
        )
    planned = []
    wanted: set[int] = set()
    for kind in Quantity.Measure.values:
        figures = by_measure.get(kind)
        if not figures:
            continue
        figures.sort(key=lambda figure: figure.sort_key)
        verdict = comparison.verdict(figures)
        pages = max(1, -(-len(figures) // per_measure))
        number = min(max(page, 1), pages)
        shown = figures[(number - 1) * per_measure : number * per_measure]
        cited = comparison.cited(verdict, figures)
        wanted.update(figure.quantity_id for figure in [*shown, *cited])
        planned.append((kind, figures, verdict, shown, number, pages))
    details = _statements(wanted)
    result = []
    for kind, figures, verdict, shown, number, pages in planned:
        result.append(
            MeasureOverview(
                kind=kind,
                label=_LABELS[kind],
                verdict=verdict,
                why=comparison.explain(verdict, figures, details),
                count=len(figures),
                statements=[details[figure.quantity_id] for figure in shown],
                standings=comparison.standings(shown, figures),
                page=number,
                pages=pages,
            )
        )
    return result


def _figure_rows(investigation, include_suggestions, measure):
    left_out = [ClaimStatus.DISMISSED]
    if not include_suggestions:
        left_out.append(ClaimStatus.SUGGESTED)
    # The claims as a subquery, not a join condition: joined, PostgreSQL read every quantity
    # of the database (80 ms for a 1,000-claim investigation beside a 100,000-claim one);
    # as a subquery it walks the investigation's claims and each one's quantities by index.
    claims = Claim.objects.filter(investigation=investigation).exclude(status__in=left_out)
    quantities = Quantity.objects.filter(claim_id__in=Subquery(claims.values("pk"))).exclude(
        measure=Quantity.Measure.OTHER
    )
    if measure:
        quantities = quantities.filter(measure=measure)
    # Sorted here, not by the database: ORDER BY over a join of every figure would sort
    # them all before the first row came back, for the same result.
    return quantities.order_by().values_list(
        "pk",
        "claim_id",
        "measure",
        "text",
        "value",
        "low",
        "high",
        "bound",
        "claim__source__published_on",
        "claim__source_id",
        "start",
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
