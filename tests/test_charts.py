"""claims.charts: SVG built from data, escaped, scaled and readable on a phone."""

import math
import re
import xml.etree.ElementTree as ET

import pytest

from claims import charts
from claims.charts import Element, IntervalRow, LinearScale, interval_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup):
    """The chart as an XML tree: fails on anything that is not well-formed."""
    return ET.fromstring(str(markup))  # noqa: S314 - our own markup, in a test


def chart(*rows, layout=charts.STACKED):
    return interval_chart(list(rows), title="Detained", description="Why.", layout=layout)


def test_text_and_attributes_are_escaped():
    element = Element("text", {"data-x": '"><script>'}, ["<script>alert(1)</script> & co"])
    markup = element.render()
    assert "<script>" not in markup
    assert markup == (
        '<text data-x="&quot;&gt;&lt;script&gt;">'
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</text>"
    )


def test_a_hostile_source_title_stays_text_in_the_chart():
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    markup = chart(IntervalRow(hostile, 5, 5, "single"))
    assert "<script" not in markup
    assert "<img" not in markup
    root = parse(markup)
    label = root.find(f".//{SVG}g[@class='chart-row standing-single']/{SVG}text")
    assert label is not None
    assert label.text is not None
    assert label.text.startswith("<script>alert(")  # shown as written, cut to fit


def test_title_and_description_are_escaped_too():
    markup = interval_chart(
        [IntervalRow("a", 1, 1, "single")], title="</title><script>", description="<b>&"
    )
    root = parse(markup)
    assert root.find(f"{SVG}title").text == "</title><script>"
    assert root.find(f"{SVG}desc").text == "<b>&"


def test_the_svg_is_an_image_with_title_desc_and_a_viewbox_for_390_px():
    root = parse(chart(IntervalRow("9,900", 9900, 9900, "agrees")))
    assert root.get("role") == "img"
    assert [child.tag for child in root][:2] == [f"{SVG}title", f"{SVG}desc"]
    assert root.get("width") == "100%"
    _, _, width, height = map(float, root.get("viewBox").split())
    assert width <= 390  # drawn for a phone: units stay about a CSS pixel
    assert height > 0
    # Labels above bars: the label's baseline is above the bar's centre line.
    label = root.find(f".//{SVG}text")
    point = root.find(f".//{SVG}circle")
    assert float(label.get("y")) < float(point.get("cy"))


def test_the_wide_layout_puts_labels_beside_the_bars():
    root = parse(chart(IntervalRow("9,900", 9900, 9900, "agrees"), layout=charts.BESIDE))
    label = root.find(f".//{SVG}text")
    point = root.find(f".//{SVG}circle")
    assert float(point.get("cx")) > charts.BESIDE.label_width
    assert abs(float(label.get("y")) - float(point.get("cy"))) < charts.FONT_SIZE


def test_no_style_attributes_or_scripts():
    markup = chart(
        IntervalRow("a", 10, 20, "agrees", is_verified=True), IntervalRow("b", 5, None, "differs")
    )
    assert "style=" not in markup
    assert "<script" not in markup
    assert " on" not in re.sub(r">[^<]*<", "><", markup)  # no event handler attributes


def test_an_open_ended_figure_is_a_bar_to_the_axis_end_with_an_arrow():
    root = parse(chart(IntervalRow("at least 238", 238, None, "single")))
    bar = root.find(f".//{SVG}rect[@class='chart-bar']")
    arrow = root.find(f".//{SVG}polygon[@class='chart-open']")
    assert bar is not None
    assert arrow is not None
    tip = max(float(point.split(",")[0]) for point in arrow.get("points").split())
    assert tip == pytest.approx(charts.STACKED.width - charts.MARGIN_X)
    assert float(bar.get("x")) > charts.MARGIN_X  # starts at 238, not at zero


def test_a_single_exact_figure_is_a_point_and_a_range_a_bar():
    root = parse(chart(IntervalRow("9,900", 9900, 9900, "single")))
    assert root.find(f".//{SVG}circle[@class='chart-point']") is not None
    assert root.find(f".//{SVG}rect[@class='chart-bar']") is None
    root = parse(chart(IntervalRow("about 10,000", 9000, 11000, "single")))
    assert root.find(f".//{SVG}rect[@class='chart-bar']") is not None


def test_verified_rows_get_a_ring_and_colours_follow_the_standing():
    root = parse(
        chart(
            IntervalRow("a", 10, 10, "agrees", is_verified=True),
            IntervalRow("b", 90, 90, "differs"),
        )
    )
    assert len(root.findall(f".//{SVG}circle[@class='chart-verified']")) == 1
    points = root.findall(f".//{SVG}circle[@class='chart-point']")
    assert [p.get("fill") for p in points] == [charts.COLOURS["agrees"], charts.COLOURS["differs"]]


@pytest.mark.parametrize(
    ("rows", "last_tick"),
    [
        ([IntervalRow("zero", 0, 0, "single")], "1"),
        ([IntervalRow("huge", 3e9, 3e9, "single")], "3B"),
        ([IntervalRow("a", 5400, 6000, "agrees"), IntervalRow("b", 9900, 9900, "agrees")], "10k"),
    ],
)
def test_zero_and_huge_values_get_a_readable_axis(rows, last_tick):
    root = parse(chart(*rows))
    ticks = [text.text for text in root.findall(f".//{SVG}g[@class='chart-axis']/{SVG}text")]
    assert ticks[0] == "0"
    assert ticks[-1] == last_tick
    shapes = [s for s in root.iter() if s.tag in {f"{SVG}{n}" for n in ("rect", "circle", "text")}]
    for shape in shapes:
        for name in ("x", "cx", "width"):
            if shape.get(name) is not None:
                assert math.isfinite(float(shape.get(name)))
                assert 0 <= float(shape.get(name)) <= charts.STACKED.width


def test_no_rows_still_draws_an_axis():
    root = parse(chart())
    assert root.find(f".//{SVG}g[@class='chart-axis']") is not None


@pytest.mark.parametrize(
    ("high", "ticks"),
    [
        (9900, [0, 5000, 10000]),
        (150, [0, 50, 100, 150]),
        (7, [0, 2, 4, 6, 8]),
        (0, [0, 1]),
        (0.3, [0, 0.1, 0.2, 0.3]),
    ],
)
def test_nice_ticks_are_round_numbers(high, ticks):
    assert charts.nice_ticks(high) == pytest.approx(ticks)


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (250, "250"), (5000, "5k"), (12500, "12.5k"), (3e6, "3M"), (1.2e9, "1.2B")],
)
def test_human_numbers(value, text):
    assert charts.human_number(value) == text


def test_scale_clamps_to_its_range():
    scale = LinearScale(0, 100, 10, 110)
    assert (scale(0), scale(50), scale(100), scale(1000), scale(-5)) == (10, 60, 110, 110, 10)
    assert LinearScale(0, 0, 10, 110)(5) == 10


def test_long_labels_are_shortened_with_an_ellipsis():
    assert charts.shorten("a " * 40, 10) == "a a a a a…"
    assert charts.shorten("short", 10) == "short"
