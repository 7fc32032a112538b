"""What the numbers page shows of each measure, worked out from every figure of it: count,
verdict, the figures the verdict's reason cites, the extremes that judge each shown figure,
and which figures a page shows. Only quantity ids and numbers: the statements themselves are
read afterwards, for the shown and cited ids alone (overview.py).

compare() builds a full Statement per figure, which is right for a command or a report but
not for a page: a large investigation holds tens of thousands of figures per measure. Here
one lean query reads a few columns per figure, no model instances. A MeasurePlan is small
and plain, so summaries.py keeps page 1 of each under the figures generation and the page
does not redo this on every load.
"""

from dataclasses import asdict, dataclass, field
from datetime import date

from django.db.models import Subquery

from claims.corroboration import comparison
from claims.models import Claim, ClaimStatus, Quantity

_INFINITY = float("inf")


@dataclass(slots=True)
class Figure:
    """What the verdict needs of one figure; `high` None means open-ended."""

    quantity_id: int
    low: float
    high: float | None
    date: date | None
    sort_key: tuple


@dataclass
class MeasurePlan:
    """One measure's answer over all its figures, and the ids of one page of them."""

    kind: str
    count: int
    verdict: str
    page: int
    pages: int
    shown: list[int] = field(default_factory=list)  # in comparison order
    cited: list[int] = field(default_factory=list)  # comparison.cited(), in its order
    # comparison.extremes() as [quantity id, high (None: open-ended)] and [quantity id, low].
    highs: list[list] = field(default_factory=list)
    lows: list[list] = field(default_factory=list)

    def as_data(self):
        return asdict(self)

    @classmethod
    def from_data(cls, data):
        return cls(**data)

    def high_pairs(self):
        """`highs` for comparison.standings_by_extremes (open ends as math.inf)."""
        return [(pk, _INFINITY if high is None else high) for pk, high in self.highs]

    def low_pairs(self):
        return [(pk, low) for pk, low in self.lows]


def measure_plans(investigation, *, include_suggestions, per_measure, measure=None, page=1):
    """list[MeasurePlan]: each known measure of `investigation` (or only `measure`) in the
    order of Quantity.Measure, with page `page` (from 1, clamped) of `per_measure` figures.

    Which figures count is compare()'s rule: dismissed claims never, suggested ones only with
    `include_suggestions`, "other" numbers never. One query, whatever the number of figures.
    """
    by_measure = _figures_by_measure(_figure_rows(investigation, include_suggestions, measure))
    plans = []
    for kind in Quantity.Measure.values:
        figures = by_measure.get(kind)
        if figures:
            plans.append(_plan(kind, figures, per_measure, page))
    return plans


def _plan(kind, figures, per_measure, page):
    figures.sort(key=lambda figure: figure.sort_key)
    verdict = comparison.verdict(figures)
    pages = max(1, -(-len(figures) // per_measure))
    number = min(max(page, 1), pages)
    shown = figures[(number - 1) * per_measure : number * per_measure]
    highs, lows = comparison.extremes(figures)
    return MeasurePlan(
        kind=kind,
        count=len(figures),
        verdict=verdict,
        page=number,
        pages=pages,
        shown=[figure.quantity_id for figure in shown],
        cited=[figure.quantity_id for figure in comparison.cited(verdict, figures)],
        highs=[[figure.quantity_id, figure.high] for figure in highs],
        lows=[[figure.quantity_id, figure.low] for figure in lows],
    )


def _figures_by_measure(rows):
    by_measure: dict[str, list[Figure]] = {}
    seen_ranges = set()
    for row in rows:
        pk, claim_id, kind, text, value, low, high, bound, published_on, stated_on = row[:10]
        source_id, start = row[10:]
        # Both ends of "100 to 300" are stored, each holding the whole range: one figure.
        if low is not None and high is not None:
            key = (claim_id, kind, low, high)
            if key in seen_ranges:
                continue
            seen_ranges.add(key)
        start_of, end_of = comparison.interval(text, value, low, high, bound)
        # compare()'s order: the date the text states, else the source's; undated last; then
        # the source's date (undated last, as PostgreSQL sorts them), source, place in it.
        when = stated_on or published_on
        sort_key = (
            when is None,
            when or date.min,
            published_on is None,
            published_on or date.min,
            source_id,
            start,
            pk,
        )
        by_measure.setdefault(kind, []).append(
            Figure(pk, start_of, None if end_of == _INFINITY else end_of, when, sort_key)
        )
    return by_measure


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
        "stated_on",
        "claim__source_id",
        "start",
    )
