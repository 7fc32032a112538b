"""Numbers lined up across sources: every figure for one measure, side by side, with a verdict.

`compare(investigation)` groups an investigation's quantities by what they count (crowd,
detained, killed, ...; "other" is left out: those numbers count nothing comparable), turns each
into an interval and says whether the figures for a measure agree, rose over time or differ.
Every statement is listed, including the ones that disagree: the point is to see them.
"""

import heapq
import math
import re
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from django.db.models import F

from claims import charts, rows
from claims.models import Attribution, Claim, ClaimStatus, Quantity, Source

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
        # Undated sources last on every database (SQLite sorts NULL first by default).
        .order_by(
            F("claim__source__published_on").asc(nulls_last=True),
            "claim__source_id",
            "start",
            "pk",
        )
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


def statement_of(quantity):
    """The Statement of one Quantity (with its claim and source loaded)."""
    return _statement(quantity)


def _statement(quantity):
    claim = quantity.claim
    source = claim.source
    return _statement_of_values(
        {name: getattr(quantity, name) for name in _STATEMENT_QUANTITY},
        {name: getattr(claim, name) for name in _STATEMENT_CLAIM},
        {name: getattr(source, name) for name in _STATEMENT_SOURCE},
    )


# What a Statement is made of: the attnames it reads of a quantity, its claim and its source.
_STATEMENT_QUANTITY = (
    "id", "text", "value", "low", "high", "bound", "approximate", "place", "stated_on"
)  # fmt: skip
_STATEMENT_CLAIM = ("id", "attribution", "speaker", "quote", "status")
_STATEMENT_SOURCE = ("id", "title", "published_on")
_ATTRIBUTIONS = dict(Attribution.choices)


def _statement_of_values(quantity, claim, source):
    """The Statement of a quantity, its claim and its source, each given as {attname: value}
    (a figure the claim page only lists is never built as model instances)."""
    low, high = interval(
        quantity["text"], quantity["value"], quantity["low"], quantity["high"], quantity["bound"]
    )
    return Statement(
        quantity_id=quantity["id"],
        claim_id=claim["id"],
        source=source["title"],
        source_id=source["id"],
        date=quantity["stated_on"] or source["published_on"],
        attribution=_ATTRIBUTIONS.get(claim["attribution"], claim["attribution"]),
        speaker=claim["speaker"],
        quote=claim["quote"],
        text=quantity["text"],
        value=quantity["value"],
        low=low,
        high=None if high == math.inf else high,
        approximate=quantity["approximate"],
        bound=quantity["bound"],
        status=claim["status"],
        is_verified=claim["status"] == ClaimStatus.VERIFIED,
        is_suggested=claim["status"] == ClaimStatus.SUGGESTED,
        place=quantity["place"],
        date_stated=quantity["stated_on"] is not None,
    )


def _statement_order(statement):
    # A stable sort: figures of one date keep the query's order (source, place in it).
    return statement.date is None, statement.date or date.min


@dataclass
class FiguresElsewhere:
    """One number of a claim next to the same measure's figures in the investigation's other
    claims; `others` holds (statement, agrees) pairs, agrees when the intervals overlap."""

    quantity: Quantity
    label: str
    others: list[tuple[Statement, bool]]
    # More figures of the investigation count the same than the claim page shows: the whole
    # comparison is on the numbers page.
    more: bool = False


# The figures from other claims that the claim page lines up with a claim's numbers, at most:
# an investigation of 100,000 claims can hold tens of thousands of figures of one measure,
# and the page listed every one (about 4 s with 53,000). The newest are shown.
FIGURES_SHOWN = 20


def claim_figures(claim):
    """For the claim page: (the claim's quantities, list[FiguresElsewhere]).

    Each of the claim's numbers that counts a known measure comes with the same measure's
    figures in the investigation's other claims. One query for both: the claim page has a
    fixed query budget. Suggested and dismissed claims are left out, as in compare().

    The query (_FIGURES_SQL) is a UNION ALL of the claim's own quantities and the others, not
    one WHERE with an OR: an OR across the joined claim rows leaves PostgreSQL no index to
    use, so it read every quantity and every claim of the database (about 50 ms at 100,000
    claims). Each half alone is an index lookup: by claim, and by investigation and known
    measure (the partial index quantity_figures_newest; most numbers count "other", which is
    never compared).
    """
    own, others = _figure_rows(claim)
    others.sort(key=_by_date_and_place)
    more = len(others) > FIGURES_SHOWN
    if more:  # the one read past the limit only says there are more: drop the oldest
        others.remove(min(others, key=lambda values: values[0]["id"]))
    by_measure: dict[str, list[Statement]] = {}
    for values in others:
        by_measure.setdefault(values[0]["measure"], []).append(_statement_of_values(*values))
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
        figures.append(FiguresElsewhere(quantity, quantity.get_measure_display(), pairs, more=more))
    return own, figures


_QUANTITY = rows.Columns(Quantity, "quantity")
_CLAIM = rows.Columns(
    Claim, "claim", ["status", "speaker", "attribution", "quote", "investigation", "source"]
)
_SOURCE = rows.Columns(Source, "source", ["title", "published_on"])
_FIGURE_SELECT = f"""
SELECT {_QUANTITY.sql}, {_CLAIM.sql}, {_SOURCE.sql}
FROM {_QUANTITY.table} quantity
JOIN {_CLAIM.table} claim ON claim.id = quantity.claim_id
JOIN {_SOURCE.table} source ON source.id = claim.source_id
"""  # noqa: S608
# The newest figures of one measure elsewhere in the investigation, if the claim counts that
# measure: a walk down the index quantity_figures_newest (investigation, measure, id) that
# stops after FIGURES_SHOWN + 1 rows, however old the investigation and however large.
_NEWEST_OF_MEASURE = f"""
SELECT newest.id FROM (
    SELECT other.id FROM {_QUANTITY.table} other
    JOIN {_CLAIM.table} other_claim ON other_claim.id = other.claim_id
    WHERE other.investigation_id = %s AND other.measure = '{{measure}}'
    AND EXISTS (
        SELECT 1 FROM {_QUANTITY.table} own WHERE own.claim_id = %s AND own.measure = '{{measure}}'
    )
    AND other.claim_id <> %s
    AND other_claim.status NOT IN ('{ClaimStatus.DISMISSED}', '{ClaimStatus.SUGGESTED}')
    ORDER BY other.id DESC
    LIMIT {FIGURES_SHOWN + 1}
) newest
"""  # noqa: S608
_COMPARED = [measure for measure in Quantity.Measure if measure != Quantity.Measure.OTHER]
# The claim's own numbers, then the newest figures elsewhere of the measures they count. One
# part per known measure, each an index walk (a part whose measure the claim does not count
# stops at its EXISTS), rather than one walk for all measures, which the database could only
# make down the primary key, filtering every investigation's numbers on the way (100 ms for
# an investigation older than 100,000 others' numbers). A UNION ALL, not one WHERE with an
# OR, which would leave the database no index to use. Only table and column names from _meta
# and the measures' own names are formatted in; values go as parameters.
_FIGURES_SQL = f"""
{_FIGURE_SELECT} WHERE quantity.claim_id = %s
UNION ALL
{_FIGURE_SELECT} WHERE quantity.id IN (
    SELECT compared.id FROM (
        {" UNION ALL ".join(_NEWEST_OF_MEASURE.format(measure=m.value) for m in _COMPARED)}
    ) compared
    ORDER BY compared.id DESC
    LIMIT {FIGURES_SHOWN + 1}
)
"""  # noqa: S608


def _figure_rows(claim):
    """(the claim's quantities, each with its claim and source; the newest FIGURES_SHOWN + 1
    figures of the same measures in its investigation's other counted claims, each as
    ({attname: value} of the quantity, of its claim, of its source)). Hand-written SQL
    (claims/rows.py): as a queryset this read took four times the CPU to build that it took
    to run, on every claim page. The other figures are only listed, as Statements: building
    them as model instances was most of the page's 90 instances."""
    own, others = [], []
    params = [claim.pk, *[claim.investigation_id, claim.pk, claim.pk] * len(_COMPARED)]
    for row in rows.fetch(_FIGURES_SQL, params):
        values = _QUANTITY.values(row)
        if values["claim_id"] != claim.pk:
            others.append(
                (
                    values,
                    _CLAIM.values(row, _QUANTITY.width),
                    _SOURCE.values(row, _QUANTITY.width + _CLAIM.width),
                )
            )
            continue
        (quantity, figure_claim, source), _ = rows.split(row, (_QUANTITY, _CLAIM, _SOURCE))
        rows.cache_related(figure_claim, "source", source)
        rows.cache_related(quantity, "claim", figure_claim)
        own.append(quantity)
    return own, others


def _by_date_and_place(values):
    """Oldest figure first (stated date, else its source's), undated last; then by source and
    place in it. `values` as _figure_rows gives another claim's figure."""
    quantity, claim, source = values
    when = quantity["stated_on"] or source["published_on"]
    return when is None, when or date.min, claim["source_id"], quantity["start"], quantity["id"]


def overlaps(one, other):
    """Whether two statements' intervals share at least one figure."""
    return one.low <= _high(other) and other.low <= _high(one)


def standings(statements, among=None):
    """Per statement of `statements`, in order: "single" when its measure has one figure,
    "agrees" when it overlaps every other figure of `among` (default: `statements`), else
    "differs" (it misses at least one).

    Linear: a figure overlaps all others when its low is at most the lowest high among the
    others and its high at least the highest low among them, and "the others" differ from
    "all" only for the one figure holding that extreme; so the two lowest highs and the two
    highest lows are all it takes.
    """
    among = statements if among is None else among
    if len(among) < 2:
        return ["single"] * len(statements)
    highs, lows = extremes(among)
    return standings_by_extremes(
        statements,
        [(figure, _high(figure)) for figure in highs],
        [(figure, figure.low) for figure in lows],
        holds=lambda statement, figure: statement is figure,
    )


def extremes(among):
    """(the two figures of `among` with the lowest highs, the two with the highest lows): all
    that standings() needs to know of the figures not shown."""
    # nsmallest and nlargest pick what sorted(...)[:2] would, ties included, in linear time.
    highs = heapq.nsmallest(2, among, key=_high)
    lows = heapq.nlargest(2, among, key=lambda figure: figure.low)
    return highs, lows


def standings_by_extremes(statements, highs, lows, holds=None):
    """standings() from extremes() kept as [(marker, high)] and [(marker, low)] (two each,
    math.inf for an open end); `holds(statement, marker)` says whether the statement is the
    figure a marker stands for (default: markers are quantity ids). Fewer than two figures
    in all is "single"."""
    if len(highs) < 2:
        return ["single"] * len(statements)
    if holds is None:

        def holds(statement, marker):
            return statement.quantity_id == marker

    result = []
    for statement in statements:
        lowest_high = highs[1][1] if holds(statement, highs[0][0]) else highs[0][1]
        highest_low = lows[1][1] if holds(statement, lows[0][0]) else lows[0][1]
        agrees = statement.low <= lowest_high and highest_low <= _high(statement)
        result.append("agrees" if agrees else "differs")
    return result


def cited(verdict_name, statements):
    """The statements explain() names for this verdict: none for single and agree, the first
    and last for rose, for differ the two furthest apart (the figure whose low is highest and
    the one whose high is lowest: the widest gap between two figures that do not overlap)."""
    if verdict_name == Verdict.ROSE:
        return [statements[0], statements[-1]]
    if verdict_name == Verdict.DIFFER:
        lower = min(statements, key=_high)
        higher = max(statements, key=lambda statement: statement.low)
        return [lower, higher]
    return []


def explain(verdict_name, statements, details=None):
    """Why a measure got its verdict, in one sentence of plain text.

    - single: "One figure only: nothing to compare it with yet."
    - agree: "Every figure overlaps 9,900–11,000."
    - rose: "Rose over time: from nearly 6,000 (wire, 9 Jan 2022) to 9,900 (ministry, ...)."
    - differ: "nearly 6,000 (wire, 9 Jan 2022) is below 9,900 (ministry, 12 Jan 2022)."

    `statements` are the measure's statements in date order, each with low and high (None for
    open-ended) and quantity_id. The ones cited() picks also need text, source, speaker and
    date, unless `details` ({quantity_id: statement}) supplies them. Linear in the number of
    statements.
    """
    if verdict_name == Verdict.SINGLE or len(statements) < 2:
        return explain_by_extremes(verdict_name, len(statements))
    if verdict_name == Verdict.AGREE:
        low = max(s.low for s in statements)
        high = min(_high(s) for s in statements)
        return explain_by_extremes(verdict_name, len(statements), shared=(low, high))
    details = details or {}
    named = [details.get(s.quantity_id, s) for s in cited(verdict_name, statements)]
    return explain_by_extremes(verdict_name, len(statements), named=named)


def explain_by_extremes(verdict_name, count, *, shared=None, named=()):
    """explain() from what it reads of all the figures, kept: their `count`; for agree the
    `shared` (highest low, lowest high); for rose and differ the two statements cited()
    picks, in its order."""
    if verdict_name == Verdict.SINGLE or count < 2:
        return "One figure only: nothing to compare it with yet."
    if verdict_name == Verdict.AGREE:
        low, high = shared
        span = "at least " + _number(low) if high == math.inf else _span(low, high)
        return f"Every figure overlaps {span}."
    first, second = named
    if verdict_name == Verdict.ROSE:
        return f"Rose over time: from {_cited(first)} to {_cited(second)}."
    return f"{_cited(first)} is below {_cited(second)}."


def _cited(statement):
    when = f", {statement.date.day} {statement.date:%b %Y}" if statement.date else ""
    return f"{statement.text} ({_who(statement)}{when})"


def _who(statement):
    """Who gave a figure, briefly: the speaker when the claim names one, else the source."""
    return statement.speaker or charts.shorten(statement.source, 40)


def _number(value):
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


def _span(low, high):
    return _number(low) if low == high else f"{_number(low)}–{_number(high)}"


def value_range(statement):
    """The interval as text: "9,900", "5,400–6,000", "238 or more"."""
    if statement.high is None:
        return f"{_number(statement.low)} or more"
    return _span(statement.low, statement.high)


def chart(
    label,
    verdict_name,
    statements,
    layout=charts.STACKED,
    *,
    standings_of=None,
    title="",
    description="",
):
    """The SVG interval chart of one measure (claims.charts), rows in the statements' order.

    Each row's label leads with the figure as written and says in words whether it agrees,
    then its date and who gave it; verified claims say so and get a ring. `standings_of`:
    the rows' standings when they were judged among more figures than are drawn; then give
    `title` and `description` (explain() of all of them) too.
    """
    marks = standings(statements) if standings_of is None else standings_of
    rows = []
    for statement, standing in zip(statements, marks, strict=True):
        parts = [statement.text]
        if standing != "single":
            parts.append(standing)
        if statement.is_verified:
            parts.append("✓ verified")
        if statement.date:
            parts.append(f"{statement.date.day} {statement.date:%b %Y}")
        parts.append(_who(statement))
        rows.append(
            charts.IntervalRow(
                label=" · ".join(parts),
                low=statement.low,
                high=statement.high,
                standing=standing,
                is_verified=statement.is_verified,
            )
        )
    count = len(statements)
    return charts.interval_chart(
        rows,
        title=title or f"{label}: {count} figure{'' if count == 1 else 's'} across sources",
        description=description or explain(verdict_name, statements),
        layout=layout,
    )


VERDICT_WORDS = {
    Verdict.SINGLE: "single figure",
    Verdict.AGREE: "agree",
    Verdict.ROSE: "rose over time",
    Verdict.DIFFER: "differ",
}
