"""Every format says the same thing as the report it renders, and escapes what users wrote."""

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings

from claims.models import VerdictRating
from claims.reporting import reports
from claims.reporting.formats import csv as report_csv
from claims.reporting.formats import export_report
from claims.reporting.formats.annotations import render_annotations
from claims.reporting.formats.claimreview import RATING_VALUES, render_claimreview
from claims.reporting.formats.html import render_html, render_pdf
from claims.reporting.formats.json import SCHEMA_FILE, render_json
from tests.reports.conftest import HOSTILE_RATIONALE, HOSTILE_STATEMENT, pdf_text

SCHEMA = json.loads((Path(settings.BASE_DIR) / SCHEMA_FILE).read_text(encoding="utf-8"))


@pytest.fixture
def report(report_world):
    return reports.build_report(report_world["investigation"])


def _validate(document):
    jsonschema.validate(
        document, SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.mark.parametrize(
    "options",
    [
        reports.ReportOptions(),
        reports.ReportOptions(verified_only=True, include_excerpts=False),
        reports.ReportOptions(redact_reviewers=True, pseudonymize=True, title="T", publisher="P"),
    ],
)
def test_json_follows_the_schema(report_world, options):
    chunks = export_report(report_world["investigation"], "json", options)
    document = json.loads(b"".join(chunks))
    _validate(document)
    assert document["report_sha256"] == reports.digest_document(document)


def test_each_claim_in_json_is_the_claim_whole(report):
    # The JSON writes each claim as the line the digest hashed, which leaves some fields
    # out: a claim must have none of them, or it would lose them in the JSON.
    document = json.loads(render_json(report))
    written = [claim for source in document["sources"] for claim in source["claims"]]
    assert written == [reports.claim_fields(claim) for claim in report.claims]
    assert all(reports._NOT_DIGESTED.isdisjoint(claim) for claim in written)


def test_schema_refuses_a_report_with_a_missing_quote(report):
    document = json.loads(render_json(report))
    del document["sources"][0]["claims"][0]["quote"]
    with pytest.raises(jsonschema.ValidationError):
        _validate(document)


def test_csv_parses_back_to_the_same_claims(report_world):
    report = reports.build_report(report_world["investigation"])
    data = b"".join(export_report(report_world["investigation"], "csv")).decode("utf-8-sig")
    rows, _ = report_csv.read_tables(data)
    assert list(rows[0]) == report_csv.COLUMNS
    assert len(rows) == len(report.claims)
    for row, claim in zip(rows, report.claims, strict=True):
        assert int(row["claim"]) == claim.number
        assert row["quote"] == report_csv.defuse(claim.quote)
        assert row["statement"] == report_csv.defuse(claim.statement)
        assert row["verdict"] == (claim.verdict.rating_label if claim.verdict else "")
        assert int(row["evidence_count"]) == len(claim.evidence)
        assert row["evidence_urls"].split() == [item.url for item in claim.evidence]
        assert (int(row["start"]), int(row["end"])) == (claim.start, claim.end)


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\tx", "\r=1"])
def test_csv_defuses_formulas(cell):
    assert report_csv.defuse(cell) == "'" + cell


def test_csv_of_hostile_statement_starts_with_apostrophe(report):
    rows = list(csv.reader(io.StringIO(report_csv.render_csv(report).lstrip("\ufeff"))))
    claim_rows = rows[1 : rows.index([])]
    statements = [row[report_csv.COLUMNS.index("statement")] for row in claim_rows]
    assert "'" + HOSTILE_STATEMENT in statements
    assert "'-1+1" in statements
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_html_escapes_user_text(report):
    html = render_html(report)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html


def test_html_is_standalone_with_toc_and_sections(report):
    html = render_html(report)
    assert "<style>" in html
    assert "<link" not in html
    assert 'href="#source-1"' in html
    assert 'id="source-1"' in html
    assert 'id="claim-6"' in html
    assert report.sha256 in html


def test_pdf_text_contains_every_claim_and_verdict(report, tmp_path):
    text = pdf_text(render_pdf(report), tmp_path)
    # Lines wrap anywhere, so compare with all white space removed.
    flat = "".join(text.split())
    for claim in report.claims:
        assert f"CLAIM{claim.number}" in flat.upper()
        assert "".join(claim.quote.split()) in flat
        if claim.verdict:
            assert "Verdict:" + "".join(claim.verdict.rating_label.split()) in flat
    assert "Page1of" in flat


def test_claimreview_has_every_required_property(report):
    reviews = json.loads(render_claimreview(report))
    signed_off = [c for c in report.claims if c.verdict and c.verdict.is_signed_off]
    assert len(reviews) == len(signed_off) == 3
    for review, claim in zip(reviews, signed_off, strict=True):
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        # No publication address given: no url at all (never a made-up or private one).
        assert "url" not in review
        # The claim as checked, whole: a cut one is a different claim.
        assert review["claimReviewed"] == " ".join((claim.statement or claim.quote).split())
        assert review["datePublished"] == claim.verdict.signed_off_at[:10]
        assert review["author"]["name"]
        rating = review["reviewRating"]
        assert rating["alternateName"] == claim.verdict.rating_label
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["author"]["name"]
        assert item["appearance"]["headline"]
    assert reviews[0]["itemReviewed"]["datePublished"] == "2022-01-13"


def test_every_verdict_has_a_rating_value():
    assert set(RATING_VALUES) == set(VerdictRating)


def test_claimreview_links_each_review_to_its_claim_at_the_publication_address(report_world):
    options = reports.ReportOptions(publication_url="https://news.example/almaty#top")
    report = reports.build_report(report_world["investigation"], options)
    reviews = json.loads(render_claimreview(report))
    signed_off = [c for c in report.claims if c.verdict and c.verdict.is_signed_off]
    assert [review["url"] for review in reviews] == [
        f"https://news.example/almaty#claim-{claim.number}" for claim in signed_off
    ]


def test_a_long_claim_is_reviewed_whole(report_world):
    from claims.models import Claim

    long_statement = "The river rose " + "and rose again " * 12 + "before the dam held."
    assert len(long_statement) > 150
    signed = reports.build_report(report_world["investigation"])
    first = next(c for c in signed.claims if c.verdict and c.verdict.is_signed_off)
    Claim.objects.filter(
        investigation=report_world["investigation"], start=first.start, end=first.end
    ).update(statement=long_statement)
    reviews = json.loads(render_claimreview(reports.build_report(report_world["investigation"])))
    assert long_statement in {review["claimReviewed"] for review in reviews}
    assert not any(review["claimReviewed"].endswith("…") for review in reviews)


def test_annotation_selectors_find_exactly_their_quote(report):
    collection = json.loads(render_annotations(report))
    texts = {f"urn:sha256:{source.sha256}": source.text for source in report.sources}
    items = collection["first"]["items"]
    assert collection["total"] == len(items) == len(report.claims)
    for item, claim in zip(items, report.claims, strict=True):
        text = texts[item["target"]["source"]]
        quote, position = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector"
        assert position["type"] == "TextPositionSelector"
        assert text[position["start"] : position["end"]] == quote["exact"] == claim.quote
        found = text.find(quote["prefix"] + quote["exact"] + quote["suffix"])
        assert found + len(quote["prefix"]) == position["start"]
        assert text.count(quote["prefix"] + quote["exact"] + quote["suffix"]) == 1
    assessing = [body for item in items for body in item["body"] if body["purpose"] == "assessing"]
    assert "Misleading" in {body["value"] for body in assessing}


def test_hostile_rationale_stays_text_in_json_formats(report):
    reviews = json.loads(render_claimreview(report))
    assert HOSTILE_RATIONALE in {r["reviewRating"]["ratingExplanation"] for r in reviews}
