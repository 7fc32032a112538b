"""The report's "Numbers across sources" section in every format, within the report's rules."""

import json
import re

import jsonschema
import pytest

from claims.reporting import reports
from claims.reporting.formats import csv as report_csv
from claims.reporting.formats import export_report
from claims.reporting.formats.html import render_html, render_pdf
from claims.reporting.formats.json import render_json
from claims.reporting.formats.markdown import render_markdown
from tests.reports.conftest import WITNESS_SPELLINGS, pdf_text
from tests.reports.test_report_signoff import SCHEMA

PRIVATE = reports.ReportOptions(redact_reviewers=True, pseudonymize=True)


def exported(investigation, format_name, options=None):
    return b"".join(export_report(investigation, format_name, options)).decode("utf-8-sig")


def numbers_of(investigation, options=None):
    return json.loads(exported(investigation, "json", options))["numbers"]


def by_kind(measures):
    return {measure["kind"]: measure for measure in measures}


def test_json_carries_each_measure_with_its_figures(report_world):
    investigation = report_world["investigation"]
    document = json.loads(exported(investigation, "json"))
    jsonschema.validate(document, SCHEMA)
    measures = by_kind(document["numbers"])
    assert {"crowd", "detained"} <= set(measures)
    crowd = measures["crowd"]["statements"][0]
    assert crowd["text"] == "around 20,000"
    assert (crowd["low"], crowd["high"], crowd["value"]) == (20000, None, 20000)
    assert crowd["verified"] is True
    assert crowd["date"] == "2022-01-13"
    assert crowd["speaker"] == "Alimshan Isbasarov"
    assert crowd["source"] == "Witness account"
    claims = {c["number"]: c for s in document["sources"] for c in s["claims"]}
    assert claims[crowd["claim"]]["quote"] == crowd["quote"]
    detained = measures["detained"]["statements"][0]
    assert (detained["verified"], detained["approximate"]) == (False, True)
    # Each quantity says what it counts.
    assert {"crowd", "detained"} <= {q["measure"] for c in claims.values() for q in c["quantities"]}


def test_the_schema_refuses_a_figure_without_its_interval(report_world):
    document = json.loads(exported(report_world["investigation"], "json"))
    del document["numbers"][0]["statements"][0]["low"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, SCHEMA)


def test_streamed_and_built_reports_give_the_same_section(report_world):
    investigation = report_world["investigation"]
    built = reports.build_report(investigation)
    assert [m.as_data() for m in built.numbers] == numbers_of(investigation)
    # The digest covers the claims the section is drawn from, not the section again.
    assert json.loads(render_json(built))["report_sha256"] == built.sha256


def test_verified_only_reports_leave_out_other_claims_figures(report_world):
    investigation = report_world["investigation"]
    options = reports.ReportOptions(verified_only=True)
    measures = by_kind(numbers_of(investigation, options))
    assert "detained" not in measures  # "About 10,000 ... arrested" awaits sign-off
    figures = [f for m in measures.values() for f in m["statements"]]
    assert figures
    assert all(f["verified"] for f in figures)
    document = json.loads(exported(investigation, "json", options))
    reported = {c["number"] for s in document["sources"] for c in s["claims"]}
    assert {f["claim"] for f in figures} <= reported
    markdown = exported(investigation, "md", options)
    assert "About 10,000" not in markdown
    _, rows = report_csv.read_tables(exported(investigation, "csv", options))
    assert "About 10,000" not in {row["text"] for row in rows}


@pytest.mark.parametrize("format_name", ["json", "md", "csv", "html"])
def test_pseudonymized_reports_name_no_witness_in_the_section(report_world, format_name):
    text = exported(report_world["investigation"], format_name, PRIVATE)
    marker = {
        "json": '"numbers"',
        "md": "## Numbers across sources",
        "csv": "\r\n\r\n",
        "html": 'id="numbers"',
    }[format_name]
    start = text.index(marker)
    section = text[start:]
    assert "Witness A" in section
    for spelling in WITNESS_SPELLINGS:
        assert spelling not in section


def test_markdown_has_a_table_per_measure(report_world):
    markdown = render_markdown(reports.build_report(report_world["investigation"]))
    section = markdown[markdown.index("## Numbers across sources") :]
    assert "### Crowd size: single figure" in section
    assert (
        "| Figure | Reads as | Compared | Claim | Source | Speaker | Date | Verified |" in section
    )
    assert re.search(
        r"\| “around 20,000” \| 20,000 or more \| — \| \d+ \| 1: Witness account", section
    )
    assert section.index("## Numbers across sources") < section.index("## Verifying")


def test_csv_lists_one_row_per_figure_after_the_claims(report_world):
    investigation = report_world["investigation"]
    claims, figures = report_csv.read_tables(exported(investigation, "csv"))
    assert len(claims) == len(reports.build_report(investigation).claims)
    assert list(figures[0]) == report_csv.NUMBER_COLUMNS
    expected = sum(len(m["statements"]) for m in numbers_of(investigation))
    assert len(figures) == expected
    crowd = next(row for row in figures if row["measure"] == "Crowd size")
    assert (crowd["text"], crowd["low"], crowd["high"], crowd["verified"]) == (
        "around 20,000",
        "20000.0",
        "",
        "True",
    )


def test_html_draws_a_chart_and_a_table_per_measure(report_world):
    html = render_html(reports.build_report(report_world["investigation"]))
    section = html[html.index('id="numbers"') : html.index('id="verification"')]
    assert section.count('role="img"') == section.count('class="report-measure"') >= 2
    assert "<title>Crowd size: 1 figure across sources</title>" in section
    assert "style=" not in section
    assert '<a href="#numbers">Numbers across sources</a>' in html


def test_an_empty_section_says_so(investigation):
    html = render_html(reports.build_report(investigation))
    assert "No claim in this report gives a figure" in html
    assert numbers_of(investigation) == []


def test_pdf_prints_the_section(report_world, tmp_path):
    text = pdf_text(render_pdf(reports.build_report(report_world["investigation"])), tmp_path)
    assert "Numbers across sources" in text
    assert "around 20,000" in text


def test_a_pipe_in_a_source_title_stays_inside_its_markdown_cell(report_world):
    from markdown_it import MarkdownIt

    from claims.models import Source

    Source.objects.filter(title="Witness account").update(title="Witness | account")
    markdown = render_markdown(reports.build_report(report_world["investigation"]))
    section = markdown[markdown.index("## Numbers across sources") :]
    html = MarkdownIt("commonmark").enable("table").render(section)
    rows = [row for row in re.findall(r"<tr>(.*?)</tr>", html, re.S) if "<td" in row]
    assert rows
    header_cells = html.count("<th>Figure</th>") and 8
    for row in rows:
        assert len(re.findall(r"<td", row)) == header_cells
    assert "Witness | account" in html
