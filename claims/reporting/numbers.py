"""The report's "Numbers across sources" section: the figures of the report's own claims,
lined up per measure as the numbers page lines them up (claims.corroboration.comparison).

It is drawn from the Report, never from the database: a claim the report leaves out (not
verified, suggested, dismissed) cannot appear, and every text is the one the report publishes
(pseudonymized speakers, quotes and figures). Claims and sources are cited by their report
numbers. A streamed report feeds a `NumbersCollector` claim by claim as it writes them and
prints the section at the end; a built one hands over all its claims at once.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.utils.safestring import SafeString

from claims import charts
from claims.corroboration import comparison
from claims.models import ClaimStatus, Quantity

_MEASURE_LABELS = dict(Quantity.Measure.choices)
# Rows a report's chart draws at most: past a page of A4 a chart stops being a picture. The
# table under it lists every figure.
CHART_ROWS = 60
_MEASURE_ORDER = {value: index for index, value in enumerate(Quantity.Measure.values)}


@dataclass
class ReportFigure:
    """One figure of one reported claim, as an interval (`high` None: no upper limit)."""

    claim: int  # the claim's report number
    source_number: int
    source: str
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
    is_verified: bool
    # The order the figure came in, for comparison.verdict()'s tie-break between same days.
    quantity_id: int = field(repr=False, default=0)

    @property
    def value_range(self):
        return comparison.value_range(self)

    def as_data(self):
        """The figure as the JSON section gives it."""
        return {
            "claim": self.claim,
            "source_number": self.source_number,
            "source": self.source,
            "date": self.date.isoformat() if self.date else None,
            "attribution": self.attribution,
            "speaker": self.speaker,
            "quote": self.quote,
            "text": self.text,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "approximate": self.approximate,
            "bound": self.bound,
            "verified": self.is_verified,
        }


@dataclass
class ReportMeasure:
    kind: str
    label: str
    verdict: str
    why: str
    figures: list[ReportFigure]

    @property
    def verdict_words(self):
        return comparison.VERDICT_WORDS[self.verdict]

    @property
    def standings(self):
        return comparison.standings(self.figures)

    @property
    def rows(self):
        """(figure, standing) pairs, for the tables of HTML and PDF."""
        return list(zip(self.figures, self.standings, strict=True))

    @cached_property
    def chart(self) -> SafeString:
        """The interval chart, labels beside the bars (pages and A4 are wide enough): the
        first CHART_ROWS figures by date, each judged among all of them."""
        drawn = self.figures[:CHART_ROWS]
        count = len(self.figures)
        title = f"{self.label}: {count} figure{'' if count == 1 else 's'} across sources"
        if count > len(drawn):
            title = f"{self.label}: the first {len(drawn)} of {count} figures, oldest first"
        return comparison.chart(
            self.label,
            self.verdict,
            drawn,
            charts.BESIDE,
            standings_of=self.standings[: len(drawn)],
            title=title,
            description=self.why,
        )

    def as_data(self):
        return {
            "kind": self.kind,
            "label": self.label,
            "verdict": self.verdict,
            "why": self.why,
            "statements": [figure.as_data() for figure in self.figures],
        }


class NumbersCollector:
    """Gathers the figures of reported claims one claim at a time; `measures()` at the end.

    Keeps only numbers of a known measure ("other" counts nothing comparable), so memory
    grows with the figures worth comparing, not with the report.
    """

    def __init__(self):
        self._figures: dict[str, list[ReportFigure]] = {}
        self._ranges: set[tuple] = set()
        self._count = 0

    def add(self, source, claim):
        """Take the figures of `claim`, a ReportClaim of ReportSource `source`."""
        published_on = date.fromisoformat(source.published_on) if source.published_on else None
        for quantity in claim.quantities:
            if quantity.measure in ("", Quantity.Measure.OTHER):
                continue
            # Both ends of "100 to 300" are stored, each holding the whole range: one figure.
            if quantity.low is not None and quantity.high is not None:
                key = (claim.number, quantity.measure, quantity.low, quantity.high)
                if key in self._ranges:
                    continue
                self._ranges.add(key)
            low, high = comparison.interval(
                quantity.text, quantity.value, quantity.low, quantity.high, quantity.bound
            )
            self._count += 1
            self._figures.setdefault(quantity.measure, []).append(
                ReportFigure(
                    claim=claim.number,
                    source_number=source.number,
                    source=source.title,
                    date=published_on,
                    attribution=claim.attribution_label,
                    speaker=claim.speaker,
                    quote=claim.quote,
                    text=quantity.text,
                    value=quantity.value,
                    low=low,
                    high=None if high == float("inf") else high,
                    approximate=quantity.approximate,
                    bound=quantity.bound,
                    is_verified=claim.status == ClaimStatus.VERIFIED,
                    quantity_id=self._count,
                )
            )

    def measures(self):
        """list[ReportMeasure] in the order of Quantity.Measure; figures oldest first
        (undated last), then in report order."""
        measures = []
        for kind in sorted(self._figures, key=lambda kind: _MEASURE_ORDER.get(kind, 99)):
            figures = sorted(
                self._figures[kind],
                key=lambda f: (f.date is None, f.date or date.min, f.source_number, f.claim),
            )
            verdict = comparison.verdict(figures)
            measures.append(
                ReportMeasure(
                    kind=kind,
                    label=_MEASURE_LABELS.get(kind, kind),
                    verdict=verdict,
                    why=comparison.explain(verdict, figures),
                    figures=figures,
                )
            )
        return measures


def numbers_section(sources):
    """The section of a built report, from its sources (with their claims in lists)."""
    collector = NumbersCollector()
    for source in sources:
        for claim in source.claims:
            collector.add(source, claim)
    return collector.measures()
