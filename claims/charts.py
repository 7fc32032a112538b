"""Charts as server-rendered SVG: a small element builder, scales, axis ticks, one chart kind.

Pages and reports draw figures without a client chart library, so the strict Content Security
Policy holds: the markup carries no `style` attribute and no script, only SVG presentation
attributes (fill, stroke) and class names that static/css may refine. Every text and attribute
value passes through `Element`, which escapes it; nothing is pasted together from user text.

- `Element`: one SVG element with attributes and children; `render()` gives escaped markup.
- `LinearScale`, `nice_ticks()`, `human_number()`: the parts any chart needs (issue 18's
  status-over-time and verdict bars will reuse them).
- `interval_chart()`: one measure's figures as horizontal intervals on one axis, one row per
  statement, label above its bar so the chart reads at 390 px as well as on a desktop.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SVG_NAMESPACE = "http://www.w3.org/2000/svg"

# Text sizes in chart units. A chart's viewBox is as wide as the screen it is drawn for (see
# Layout) and the SVG scales to its container, so a unit stays close to a CSS pixel.
FONT_SIZE = 13
TICK_FONT_SIZE = 11
# Colours with at least 4.5:1 contrast on white; each always travels with a word in the
# row's label ("agrees", "differs"), never alone.
COLOURS = {
    "agrees": "#1f5fbf",
    "differs": "#a4262c",
    "single": "#4a5263",
    "axis": "#5f6878",
    "grid": "#d9dde4",
    "text": "#1d2330",
}


@dataclass
class Element:
    """One SVG element: `tag`, attributes and children (Elements or plain text).

    Attribute names are ours (never user input); values and text are escaped on render.
    None-valued attributes are left out, so optional ones can be passed as None.
    """

    tag: str
    attributes: dict[str, object] = field(default_factory=dict)
    children: list["Element | str"] = field(default_factory=list)

    def add(self, child: "Element | str") -> "Element | str":
        self.children.append(child)
        return child

    def render(self) -> str:
        attributes = "".join(
            f' {name}="{escape(_attribute_text(value))}"'
            for name, value in self.attributes.items()
            if value is not None
        )
        if not self.children:
            return f"<{self.tag}{attributes}/>"
        inner = "".join(
            child.render() if isinstance(child, Element) else str(escape(child))
            for child in self.children
        )
        return f"<{self.tag}{attributes}>{inner}</{self.tag}>"


def _attribute_text(value: object) -> str:
    if isinstance(value, float):
        # Two decimals are finer than any screen; trailing zeros only cost bytes.
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def svg(*, width: float, height: float, title: str, description: str, css_class: str) -> Element:
    """The root <svg>: a viewBox that scales, role="img", and its <title> and <desc> first.

    The id-less title/desc pair is what screen readers announce for role="img"; the table
    beside each chart carries the same data row by row.
    """
    root = Element(
        "svg",
        {
            "xmlns": SVG_NAMESPACE,
            "viewBox": f"0 0 {_attribute_text(float(width))} {_attribute_text(float(height))}",
            "width": "100%",
            "preserveAspectRatio": "xMinYMin meet",
            "role": "img",
            "class": css_class,
            "font-family": "system-ui, sans-serif",
        },
    )
    root.add(Element("title", children=[title]))
    root.add(Element("desc", children=[description]))
    return root


def to_markup(root: Element) -> SafeString:
    """The rendered chart, marked safe for templates: every piece of it was escaped."""
    return mark_safe(root.render())  # noqa: S308 - built by Element, which escapes


@dataclass(frozen=True)
class LinearScale:
    """Maps numbers in [domain_low, domain_high] onto [range_low, range_high]."""

    domain_low: float
    domain_high: float
    range_low: float
    range_high: float

    def __call__(self, value: float) -> float:
        span = self.domain_high - self.domain_low
        if span <= 0:
            return self.range_low
        share = (value - self.domain_low) / span
        share = min(max(share, 0.0), 1.0)  # a figure past the axis ends at its edge
        return self.range_low + share * (self.range_high - self.range_low)


def nice_step(span: float, count: int) -> float:
    """A step of 1, 2 or 5 times a power of ten giving about `count` intervals over `span`."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def nice_ticks(high: float, count: int = 4) -> list[float]:
    """Tick values from 0 to a round number at or above `high`: [0, 5000, 10000, 15000].

    `high` of zero or less gives [0, 1] so an axis of zeros still has a length.
    """
    if not high > 0 or not math.isfinite(high):
        return [0.0, 1.0]
    step = nice_step(high, count)
    last = math.ceil(high / step - 1e-9) * step
    ticks = []
    n = 0
    while n * step <= last + step / 2:
        ticks.append(round(n * step, 10))
        n += 1
    return ticks


def human_number(value: float) -> str:
    """A short axis label: 0, 250, 5k, 12.5k, 3M, 1.2B; below 1 as a decimal."""
    magnitude = abs(value)
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if magnitude >= size:
            return _trim(value / size) + suffix
    return _trim(value)


def figure(value: float) -> str:
    """A figure as people write it: 9,900; 12.5; 0."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _trim(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".rstrip("0").rstrip(".")


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis, for labels that must fit a row."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------------------------------
# Intervals of one measure


@dataclass(frozen=True)
class IntervalRow:
    """One statement as the chart draws it.

    `high` None: open-ended ("at least 238"), drawn to the axis end with an arrow. `low` equal
    to `high`: an exact figure, drawn as a point. `standing` is "agrees", "differs" or
    "single" and picks the colour; the label says it in words too.
    """

    label: str
    low: float
    high: float | None
    standing: str
    is_verified: bool = False


@dataclass(frozen=True)
class Layout:
    """Where an interval chart puts its labels: above each bar (narrow) or beside it (wide).

    Both are drawn at one unit per CSS pixel of their intended width, so 13-unit text reads
    at about 13 px: `stacked` for phones (about 340 px), `beside` for desktops and print.
    """

    name: str
    width: int
    row_height: int
    label_width: int  # 0: the label sits above the bar, across the whole width
    label_limit: int  # characters of a label that fit at FONT_SIZE


STACKED = Layout("stacked", width=340, row_height=40, label_width=0, label_limit=50)
BESIDE = Layout("beside", width=760, row_height=28, label_width=330, label_limit=50)
MARGIN_X = 8
AXIS_HEIGHT = 26
BAR_HEIGHT = 10
POINT_RADIUS = 6


def interval_chart(
    rows: Sequence[IntervalRow], *, title: str, description: str, layout: Layout = STACKED
) -> SafeString:
    """One measure's statements as intervals on a shared axis from zero; SVG markup.

    One row per statement: its label above the bar (STACKED, for phones) or to its left
    (BESIDE). A range is a bar from low to high, an exact figure a point, an open-ended one a
    bar to the axis end with an arrowhead; a verified claim's row gets a ring and says so in
    its label. The axis ticks read as 0, 5k, 10k.
    """
    finite = [value for row in rows for value in (row.low, row.high) if value is not None]
    top = max(finite, default=0.0)
    if any(row.high is None for row in rows):
        top = max(top * 1.25, 1.0)  # room for the arrow beyond the last figure
    ticks = nice_ticks(top)
    plot_left = layout.label_width + MARGIN_X
    scale = LinearScale(0.0, ticks[-1], plot_left, layout.width - MARGIN_X)
    plot_height = layout.row_height * max(len(rows), 1)
    height = plot_height + AXIS_HEIGHT
    root = svg(
        width=layout.width,
        height=height,
        title=title,
        description=description,
        css_class=f"chart interval-chart chart-{layout.name}",
    )
    grid = Element("g", {"class": "chart-grid", "stroke": COLOURS["grid"]})
    root.add(grid)
    for tick in ticks:
        x = scale(tick)
        grid.add(Element("line", {"x1": x, "x2": x, "y1": 0.0, "y2": float(plot_height)}))
    for index, row in enumerate(rows):
        root.add(_interval_row(row, index * layout.row_height, scale, layout))
    root.add(_axis(ticks, scale, plot_height))
    return to_markup(root)


def _interval_row(row: IntervalRow, top: float, scale: LinearScale, layout: Layout) -> Element:
    colour = COLOURS.get(row.standing, COLOURS["single"])
    group = Element("g", {"class": f"chart-row standing-{row.standing}"})
    if layout.label_width:
        middle = top + layout.row_height / 2
        label_y = middle + FONT_SIZE / 3
    else:
        middle = top + 27
        label_y = top + 14
    group.add(
        Element(
            "text",
            {"x": float(MARGIN_X), "y": label_y, "font-size": FONT_SIZE, "fill": COLOURS["text"]},
            [shorten(row.label, layout.label_limit)],
        )
    )
    start = scale(row.low)
    if row.high is None:
        end = scale.range_high
        group.add(_bar(start, end - 6, middle, colour))
        # Arrowhead at the axis end: "and more".
        points = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in ((end - 8, middle - 7), (end, middle), (end - 8, middle + 7))
        )
        group.add(Element("polygon", {"points": points, "fill": colour, "class": "chart-open"}))
        marker_x = start
    elif row.high == row.low:
        point = {
            "cx": start,
            "cy": middle,
            "r": POINT_RADIUS,
            "fill": colour,
            "class": "chart-point",
        }
        group.add(Element("circle", point))
        marker_x = start
    else:
        end = scale(row.high)
        group.add(_bar(start, max(end, start + 2), middle, colour))
        marker_x = (start + end) / 2
    if row.is_verified:
        group.add(
            Element(
                "circle",
                {
                    "cx": marker_x,
                    "cy": middle,
                    "r": POINT_RADIUS + 3,
                    "fill": "none",
                    "stroke": COLOURS["text"],
                    "stroke-width": 2,
                    "class": "chart-verified",
                },
            )
        )
    return group


def _bar(start: float, end: float, middle: float, colour: str) -> Element:
    return Element(
        "rect",
        {
            "x": start,
            "y": middle - BAR_HEIGHT / 2,
            "width": max(end - start, 2.0),
            "height": float(BAR_HEIGHT),
            "rx": 2,
            "fill": colour,
            "class": "chart-bar",
        },
    )


def _axis(ticks: Iterable[float], scale: LinearScale, plot_height: float) -> Element:
    axis = Element("g", {"class": "chart-axis", "fill": COLOURS["axis"]})
    axis.add(
        Element(
            "line",
            {
                "x1": scale.range_low,
                "x2": scale.range_high,
                "y1": plot_height,
                "y2": plot_height,
                "stroke": COLOURS["axis"],
            },
        )
    )
    ticks = list(ticks)
    for index, tick in enumerate(ticks):
        anchor = "start" if index == 0 else "end" if index == len(ticks) - 1 else "middle"
        axis.add(
            Element(
                "text",
                {
                    "x": scale(tick),
                    "y": plot_height + 18,
                    "font-size": TICK_FONT_SIZE,
                    "text-anchor": anchor,
                },
                [human_number(tick)],
            )
        )
    return axis


# ---------------------------------------------------------------------------------------
# Counts: one bar per category, and counts over time


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    colour: str


def bar_chart(bars: Sequence[Bar], *, title: str, description: str, width: int = 340) -> SafeString:
    """Horizontal bars from zero, each labelled with its name above and its count at its end.

    The labels carry everything the colours do, so the chart reads without telling colours
    apart; the page lists the same counts as text beside it.
    """
    row_height = 38
    plot_height = row_height * max(len(bars), 1)
    top = nice_ticks(max((bar.value for bar in bars), default=0))[-1]
    scale = LinearScale(0.0, top, MARGIN_X, width - 48)
    root = svg(
        width=width,
        height=plot_height,
        title=title,
        description=description,
        css_class="chart bar-chart",
    )
    for index, bar in enumerate(bars):
        y = index * row_height
        group = Element("g", {"class": "chart-row"})
        group.add(
            Element(
                "text",
                {
                    "x": float(MARGIN_X),
                    "y": y + 13.0,
                    "font-size": FONT_SIZE,
                    "fill": COLOURS["text"],
                },
                [shorten(bar.label, 40)],
            )
        )
        end = scale(bar.value)
        group.add(_bar(MARGIN_X, end, y + 26.0, bar.colour))
        group.add(
            Element(
                "text",
                {
                    "x": max(end, MARGIN_X + 2.0) + 6,
                    "y": y + 30.0,
                    "font-size": TICK_FONT_SIZE,
                    "fill": COLOURS["text"],
                },
                [figure(bar.value)],
            )
        )
        root.add(group)
    return to_markup(root)


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int]
    colour: str


def timeline_chart(
    dates: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    width: int = 760,
) -> SafeString:
    """Lines of counts over `dates` (already formatted), each named at its right end.

    The line ends are labelled with the series' name and last count (nudged apart when two
    would overlap), so the lines are told apart by words, not only colour.
    """
    # The line-end labels take a fixed share of a narrow chart, at most 170 units of a wide one.
    height, label_room, axis_room = 220, min(170, round(width * 0.4)), AXIS_HEIGHT
    plot_right = width - label_room
    top = nice_ticks(max((max(s.values, default=0) for s in series), default=0))[-1]
    x = LinearScale(0.0, max(len(dates) - 1, 1), 40.0, plot_right)
    y = LinearScale(0.0, top, float(height), 8.0)
    root = svg(
        width=width,
        height=height + axis_room,
        title=title,
        description=description,
        css_class="chart timeline-chart",
    )
    grid = Element("g", {"class": "chart-grid", "stroke": COLOURS["grid"]})
    root.add(grid)
    for tick in nice_ticks(top):
        grid.add(Element("line", {"x1": 40.0, "x2": plot_right, "y1": y(tick), "y2": y(tick)}))
        grid.add(
            Element(
                "text",
                {
                    "x": 34.0,
                    "y": y(tick) + 4,
                    "font-size": TICK_FONT_SIZE,
                    "text-anchor": "end",
                    "fill": COLOURS["axis"],
                    "stroke": "none",
                },
                [human_number(tick)],
            )
        )
    label_ys: list[float] = []
    for line in series:
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(line.values))
        root.add(
            Element(
                "polyline",
                {
                    "points": points,
                    "fill": "none",
                    "stroke": line.colour,
                    "stroke-width": 2.5,
                    "class": "chart-line",
                },
            )
        )
        if len(line.values) == 1:
            # One day of history: a line needs two points, so the day is drawn as a dot.
            dot = {"cx": x(0), "cy": y(line.values[0]), "r": 4, "fill": line.colour}
            root.add(Element("circle", dot))
        last = line.values[-1] if line.values else 0
        label_y = y(last) + 4
        while any(abs(label_y - taken) < FONT_SIZE for taken in label_ys):
            label_y += FONT_SIZE
        label_ys.append(label_y)
        root.add(
            Element(
                "text",
                {"x": plot_right + 6, "y": label_y, "font-size": FONT_SIZE, "fill": line.colour},
                [f"{shorten(line.label, 18)} {figure(last)}"],
            )
        )
    axis = Element("g", {"class": "chart-axis", "fill": COLOURS["axis"]})
    root.add(axis)
    for index in sorted({0, len(dates) // 2, len(dates) - 1}):
        if 0 <= index < len(dates):
            anchor = "start" if index == 0 else "end" if index == len(dates) - 1 else "middle"
            axis.add(
                Element(
                    "text",
                    {
                        "x": x(index),
                        "y": height + 18.0,
                        "font-size": TICK_FONT_SIZE,
                        "text-anchor": anchor,
                    },
                    [dates[index]],
                )
            )
    return to_markup(root)
