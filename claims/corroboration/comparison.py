"""Numbers lined up across sources: every figure for one measure, side by side, with a verdict.

`compare(investigation)` groups an investigation's quantities by what they count (crowd,
detained, killed, ...; "other" is left out: those numbers count nothing comparable), turns each
into an interval and says whether the figures for a measure agree, rose over time or differ.
Every statement is listed, including the ones that disagree: the point is to see them.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from django.db.models import Exists, OuterRef

from claims.models import ClaimStatus, Quantity

# Hedges that put the true figure just below the number ("nearly 6,000" is not 6,100).
_JUST_BELOW = re.compile(r"^(?:nearly|almost|just\s+under|not\s+quite|close\s+to)\b", re.I)
# Hedges that put it just above ("just over 200").
_JUST_ABOVE = re.compile(r"^(?:just\s+over|just\s+above|a\s+little\s+over)\b", re.I)
# Vague plurals: "hundreds" means fewer than a thousand, or the speaker would say "thousands".
_VAGUE_PLURAL = re.compile(r"^(?:tens\s+of\s+)?(?:dozens|hundreds|thousands|millions)\b", re.I)
_HEDGE_SHARE = 0.1  # "about 10,000" is read as 10,000 ± 10%


class Verdict:
    SINGLE = "single"  # one statement: nothing to compare
    AGREE = "agree"  # every interval overlaps every other
    ROSE = "rose"  # they differ, and by date no figure falls below an earlier one
    DIFFER = "differ"


@dataclass
class Statement:
    """One figure as one source gives it. `high` None means no upper limit ("at least")."""

    quantity_id: int
    claim_id: int
    source: str
    source_id: int
    date: date | None
    attribution: str
    speaker: str
    quote: str
    text: str
    value: float
    low: float
    high: float | None
    approximate: bool
    bound: str
    status: str
    is_verified: bool
    is_suggested: bool
    # Where the figure's sentence says it holds ("" when it names no place), and whether
    # `date` is the date the text states (True) or the source's date standing in (False).
    place: str = ""
    date_stated: bool = False


@dataclass
class MeasureComparison:
    kind: str
    label: str
    verdict: str
    statements: list[Statement] = field(default_factory=list)


def interval(text, value, low, high, bound):
    """(low, high) the words allow for a figure; high is math.inf when open-ended.

    - a range ("100 to 300") is its two ends;
    - "at least 238", "more than 40", "if not more" -> [238, inf); "hundreds" -> [100, 1,000);
    - "up to 300", "fewer than 300" -> [0, 300];
    - "nearly 6,000", "almost" -> [5,400, 6,000]: below the number, by up to 10%;
    - "just over 200" -> [200, 220];
    - "about 10,000", "around", "some" -> [9,000, 11,000];
    - an exact figure is itself.
    """
    text = text.strip()
    if low is not None and high is not None:
        return low, high
    if bound == Quantity.Bound.LOWER:
        start = low if low is not None else value
        if _VAGUE_PLURAL.match(text):
            return start, start * 10
        return start, math.inf
    if bound == Quantity.Bound.UPPER:
        return 0, high if high is not None else value
    if bound == Quantity.Bound.APPROXIMATE:
        if _JUST_BELOW.match(text):
            return value * (1 - _HEDGE_SHARE), value
        if _JUST_ABOVE.match(text):
            return value, value * (1 + _HEDGE_SHARE)
        return value * (1 - _HEDGE_SHARE), value * (1 + _HEDGE_SHARE)
    return value, value


def verdict(statements):
    """SINGLE, AGREE, ROSE or DIFFER for the statements of one measure (see Verdict)."""
    if len(statements) == 1:
        return Verdict.SINGLE
    if max(s.low for s in statements) <= min(_high(s) for s in statements):
        return Verdict.AGREE
    if any(s.date is None for s in statements):
        return Verdict.DIFFER
    in_time = sorted(statements, key=lambda s: (s.date, s.quantity_id))
    steps = list(pairwise(in_time))
    # Never lower than the one before (intervals still touch or lie above), higher at least
    # once, and the higher figure came on a later day: a rising count.
    fell = any(_high(later) < earlier.low for earlier, later in steps)
    rose = any(later.low > _high(earlier) and later.date > earlier.date for earlier, later in steps)
    return Verdict.ROSE if rose and not fell else Verdict.DIFFER


def _high(statement):
    return math.inf if statement.high is None else statement.high


def compare(investigation, *, include_suggestions=False):
    """Every comparable figure of `investigation`, grouped by measure; list[MeasureComparison].

    Dismissed claims are left out (they were judged not to be claims); suggested claims only
    with `include_suggestions`. Statements within a measure are in date order: the date the
    text states for the figure, else its source's date; undated ones last.
    """
    quantities = (
        Quantity.objects.filter(claim__investigation=investigation)
        .exclude(measure=Quantity.Measure.OTHER)
        .exclude(claim__status=ClaimStatus.DISMISSED)
        .select_related("claim__source")
        .defer("claim__source__text")
        .order_by("claim__source__published_on", "claim__source_id", "start", "pk")
    )
    if not include_suggestions:
        quantities = quantities.exclude(claim__status=ClaimStatus.SUGGESTED)
    by_measure: dict[str, list[Statement]] = {}
    seen_ranges = set()
    for quantity in quantities:
        # Both ends of "100 to 300" are stored, each holding the whole range: one statement.
        if quantity.low is not None and quantity.high is not None:
            key = (quantity.claim_id, quantity.measure, quantity.low, quantity.high)
            if key in seen_ranges:
                continue
            seen_ranges.add(key)
        by_measure.setdefault(quantity.measure, []).append(_statement(quantity))
    for in_measure in by_measure.values():
        in_measure.sort(key=_statement_order)
    comparisons = []
    for measure in Quantity.Measure:
        statements = by_measure.get(measure.value)
        if statements:
            comparisons.append(
                MeasureComparison(measure.value, measure.label, verdict(statements), statements)
            )
    return comparisons


# What a figure and its Statement read: the quantity, and of its claim and source only what a
# statement shows. The whole claim and source rows, twice over in a UNION, made the claim
# page's figures query its costliest to compile (about 3 ms of CPU per page).
_FIGURE_COLUMNS = (
    *(field.name for field in Quantity._meta.concrete_fields),
    "claim__status",
    "claim__speaker",
    "claim__attribution",
    "claim__quote",
    "claim__investigation",
    "claim__source",
    "claim__source__title",
    "claim__source__published_on",
)


def _statement(quantity):
    claim = quantity.claim
    source = claim.source
    low, high = interval(quantity.text, quantity.value, quantity.low, quantity.high, quantity.bound)
    return Statement(
        quantity_id=quantity.pk,
        claim_id=claim.pk,
        source=source.title,
        source_id=source.pk,
        date=_date_of(quantity),
        attribution=claim.get_attribution_display(),
        speaker=claim.speaker,
        quote=claim.quote,
        text=quantity.text,
        value=quantity.value,
        low=low,
        high=None if high == math.inf else high,
        approximate=quantity.approximate,
        bound=quantity.bound,
        status=claim.status,
        is_verified=claim.status == ClaimStatus.VERIFIED,
        is_suggested=claim.status == ClaimStatus.SUGGESTED,
        place=quantity.place,
        date_stated=quantity.stated_on is not None,
    )


def _date_of(quantity):
    """The date the text states for the figure, else its source's date (None if neither)."""
    return quantity.stated_on or quantity.claim.source.published_on


def _statement_order(statement):
    # A stable sort: figures of one date keep the query's order (source, place in it).
    return statement.date is None, statement.date or date.min


def _by_date_and_place(quantity):
    """Oldest figure first (stated date, else its source's), undated last; then by source and
    place in it."""
    when = _date_of(quantity)
    return (
        when is None,
        when or date.min,
        quantity.claim.source_id,
        quantity.start,
        quantity.pk,
    )


@dataclass
class FiguresElsewhere:
    """One number of a claim next to the same measure's figures in the investigation's other
    claims; `others` holds (statement, agrees) pairs, agrees when the intervals overlap."""

    quantity: Quantity
    label: str
    others: list[tuple[Statement, bool]]


def claim_figures(claim):
    """For the claim page: (the claim's quantities, list[FiguresElsewhere]).

    Each of the claim's numbers that counts a known measure comes with the same measure's
    figures in the investigation's other claims. One query for both: the claim page has a
    fixed query budget. Suggested and dismissed claims are left out, as in compare().

    The query is a UNION ALL of the claim's own quantities and the others, not one WHERE with
    an OR: an OR across the joined claim rows leaves PostgreSQL no index to use, so it read
    every quantity and every claim of the database (about 50 ms at 100,000 claims). Each half
    alone is an index lookup: by claim, and by known measure (the partial index
    quantity_known_measure; most numbers count "other", which is never compared).
    """
    rows = Quantity.objects.select_related("claim__source").only(*_FIGURE_COLUMNS)
    # A compound query takes no ORDER BY in its parts; the rows are sorted below.
    own_rows = rows.filter(claim=claim).order_by()
    same_measure = Quantity.objects.filter(claim=claim, measure=OuterRef("measure"))
    elsewhere = (
        rows.filter(Exists(same_measure), claim__investigation_id=claim.investigation_id)
        .exclude(measure=Quantity.Measure.OTHER)
        .exclude(claim=claim)
        .exclude(claim__status__in=[ClaimStatus.DISMISSED, ClaimStatus.SUGGESTED])
        .order_by()
    )
    own: list[Quantity] = []
    by_measure: dict[str, list[Statement]] = {}
    for row in sorted(own_rows.union(elsewhere, all=True), key=_by_date_and_place):
        if row.claim_id == claim.pk:
            own.append(row)
        else:
            by_measure.setdefault(row.measure, []).append(_statement(row))
    own.sort(key=lambda q: (q.start, q.pk))
    figures = []
    for quantity in own:
        statements = by_measure.get(quantity.measure)
        if quantity.measure == Quantity.Measure.OTHER or not statements:
            continue
        low, high = interval(
            quantity.text, quantity.value, quantity.low, quantity.high, quantity.bound
        )
        pairs = [(s, s.low <= high and low <= _high(s)) for s in statements]
        figures.append(FiguresElsewhere(quantity, quantity.get_measure_display(), pairs))
    return own, figures
