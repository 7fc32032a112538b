"""Each signed-off verdict's SHA-256 travels in every format, and verify_report recomputes it."""

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import ClaimEvidence, Verdict
from claims.reporting import reports
from claims.reporting.formats import csv as report_csv
from claims.reporting.formats import export_report
from claims.reporting.formats.annotations import render_annotations
from claims.reporting.formats.bundle import (
    MANIFEST,
    REPORT_JSON,
    canonical_manifest,
    sha256_bytes,
    verify_bundle,
)
from claims.reporting.formats.claimreview import render_claimreview
from claims.reporting.formats.html import render_html, render_pdf
from claims.reporting.formats.json import SCHEMA_FILE, render_json
from claims.reporting.formats.markdown import render_markdown
from claims.review import signoff
from tests.reports.conftest import pdf_text

SCHEMA = json.loads((Path(settings.BASE_DIR) / SCHEMA_FILE).read_text(encoding="utf-8"))

PRIVATE = reports.ReportOptions(redact_reviewers=True, pseudonymize=True)


def _signed_verdicts(world):
    """{claim statement: its signed-off Verdict} of the report world."""
    verdicts = Verdict.objects.filter(
        claim__investigation=world["investigation"], status=Verdict.Status.SIGNED_OFF
    ).select_related("claim")
    return {verdict.claim.statement: verdict for verdict in verdicts}


def _claim(report, statement_start):
    return next(c for c in report.claims if c.statement.startswith(statement_start))


def test_each_signed_off_claim_carries_the_recorded_digest(report_world):
    report = reports.build_report(report_world["investigation"])
    signed = _signed_verdicts(report_world)
    assert len(signed) == 3
    for claim in report.claims:
        verdict = signed.get(claim.statement)
        if verdict is None:
            assert claim.signoff is None
            continue
        assert claim.signoff.sha256 == verdict.signed_sha256
        assert claim.signoff.signed_at == claim.verdict.signed_off_at
        assert signoff.content_sha256(claim.signoff.content) == verdict.signed_sha256
        assert claim.signoff.content["rationale"] == claim.verdict.rationale


def test_a_sign_off_without_a_recorded_digest_has_no_signoff(report_world):
    Verdict.objects.filter(claim__investigation=report_world["investigation"]).update(
        signed_sha256="", signed_content={}
    )
    report = reports.build_report(report_world["investigation"])
    assert [claim.signoff for claim in report.claims] == [None] * len(report.claims)


def test_the_signoff_is_part_of_the_report_digest(report_world):
    document = json.loads(render_json(reports.build_report(report_world["investigation"])))
    claim = next(c for s in document["sources"] for c in s["claims"] if c["signoff"])
    before = reports.digest_document(document)
    claim["signoff"]["sha256"] = "0" * 64
    assert reports.digest_document(document) != before


def test_without_excerpts_the_signoff_gives_excerpt_hashes_and_still_recomputes(report_world):
    options = reports.ReportOptions(include_excerpts=False)
    report = reports.build_report(report_world["investigation"], options)
    stormed = _claim(report, "The akimat was stormed")
    citations = stormed.signoff.content["citations"]
    assert {item.excerpt for item in stormed.evidence} == {""}
    assert all("excerpt" not in item and "excerpt_sha256" in item for item in citations)
    assert signoff.sha256_text("Footage shows the building burning.") in {
        item["excerpt_sha256"] for item in citations
    }
    assert signoff.content_sha256(stormed.signoff.content) == stormed.signoff.sha256


def test_pseudonymized_report_withholds_signoffs_that_name_the_witness(report_world, tmp_path):
    report = reports.build_report(report_world["investigation"], PRIVATE)
    # The crowd's rationale and a citation of the storming name the witness; putting a
    # guessed name back into the published texts would confirm it against their digests.
    for statement in ("The crowd grew", "The akimat was stormed"):
        withheld = _claim(report, statement).signoff
        assert (withheld.sha256, withheld.content, withheld.withheld) == (
            None,
            None,
            "pseudonymized",
        )
    peaceful = _claim(report, "=HYPERLINK").signoff
    assert peaceful.withheld is None
    assert signoff.content_sha256(peaceful.content) == peaceful.sha256
    signed = _signed_verdicts(report_world)
    hidden = [v.signed_sha256 for s, v in signed.items() if not s.startswith("=HYPERLINK")]
    bundle = b"".join(export_report(report_world["investigation"], "bundle", PRIVATE))
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            text = pdf_text(data, tmp_path) if name.endswith(".pdf") else data.decode()
            assert not any(sha256 in "".join(text.split()) for sha256 in hidden), name


def test_a_retracted_citation_is_not_in_the_report(report_world, bob):
    stormed = report_world["claims"][1]
    citation = stormed.citations.get(evidence__title="Geolocated video")
    ClaimEvidence.objects.filter(pk=citation.pk).update(
        retracted_at=datetime(2026, 10, 3, tzinfo=UTC), retracted_by=bob
    )
    report = reports.build_report(report_world["investigation"])
    assert [item.title for item in _claim(report, "The akimat").evidence] == [
        "Wire report on the akimat"
    ]


def _validate(document):
    jsonschema.validate(
        document, SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.mark.parametrize(
    "options", [reports.ReportOptions(), reports.ReportOptions(include_excerpts=False), PRIVATE]
)
def test_json_1_3_declares_signoffs(report_world, options):
    document = json.loads(b"".join(export_report(report_world["investigation"], "json", options)))
    assert SCHEMA_FILE == "schemas/report-1.5.schema.json"
    assert document["schema_version"] == "1.5"
    assert sum(1 for s in document["sources"] for c in s["claims"] if c["signoff"]) == 3
    _validate(document)
    signed = [c["signoff"] for s in document["sources"] for c in s["claims"] if c["signoff"]]
    del next(record for record in signed if record["content"])["content"]["citations"]
    with pytest.raises(jsonschema.ValidationError):
        _validate(document)


def test_json_1_2_allows_an_audit_chain_head(report):
    document = json.loads(render_json(report))
    document["audit_chain_head"] = {"seq": 41, "sha256": "ab" * 32}
    _validate(document)
    document["audit_chain_head"] = {"seq": "41", "sha256": "ab" * 32}
    with pytest.raises(jsonschema.ValidationError):
        _validate(document)


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_older_schemas_stay_for_older_reports(version):
    path = Path(settings.BASE_DIR) / f"schemas/report-{version}.schema.json"
    older = json.loads(path.read_text())
    assert older["properties"]["schema_version"] == {"const": version}


@pytest.fixture
def report(report_world):
    return reports.build_report(report_world["investigation"])


def _signed_claims(report):
    return [claim for claim in report.claims if claim.signoff]


def test_html_and_markdown_show_each_signoff_digest(report):
    html, markdown = render_html(report), render_markdown(report)
    for claim in _signed_claims(report):
        assert f'<code class="report-hash">{claim.signoff.sha256}</code>' in html
        assert f"- Sign-off SHA-256: `{claim.signoff.sha256}`\n" in markdown
    assert markdown.count("Sign-off SHA-256") == 3


def test_pdf_shows_each_signoff_digest(report, tmp_path):
    flat = "".join(pdf_text(render_pdf(report), tmp_path).split())
    for claim in _signed_claims(report):
        assert f"Sign-offSHA-256{claim.signoff.sha256}" in flat


def test_csv_appends_a_signoff_column(report):
    rows, _ = report_csv.read_tables(report_csv.render_csv(report))
    # Appended after the evidence columns; later additions (independent_corroboration)
    # come after it, so existing columns never move.
    at = report_csv.COLUMNS.index("signoff_sha256")
    assert report_csv.COLUMNS[at - 2 : at] == ["evidence_count", "evidence_urls"]
    assert report_csv.COLUMNS[-2:] == ["independent_corroboration", "evidence_files"]
    assert [row["signoff_sha256"] for row in rows] == [
        claim.signoff.sha256 if claim.signoff else "" for claim in report.claims
    ]


def test_claimreview_identifies_each_review_by_its_signoff_digest(report):
    reviews = json.loads(render_claimreview(report))
    assert [review["identifier"] for review in reviews] == [
        {
            "@type": "PropertyValue",
            "propertyID": "signoff-sha256",
            "name": "SHA-256 of the signed-off verdict",
            "value": claim.signoff.sha256,
        }
        for claim in _signed_claims(report)
    ]


def test_annotations_state_who_signed_off_when_with_the_digest(report):
    items = json.loads(render_annotations(report))["first"]["items"]
    for item, claim in zip(items, report.claims, strict=True):
        bodies = [body for body in item["body"] if body["purpose"] == "moderating"]
        if claim.signoff is None:
            assert bodies == []
            continue
        verdict = claim.verdict
        assert bodies == [
            {
                "type": "TextualBody",
                "purpose": "moderating",
                "value": (
                    f"Signed off by {verdict.signed_off_by} on {verdict.signed_off_at[:10]}; "
                    f"sign-off SHA-256 {claim.signoff.sha256}"
                ),
                "format": "text/plain",
            }
        ]


# --- verify_report -----------------------------------------------------------------------


@pytest.fixture
def bundle(report_world, tmp_path):
    path = tmp_path / "bundle.zip"
    path.write_bytes(b"".join(export_report(report_world["investigation"], "bundle")))
    return path


def _members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _edit_report(path, tmp_path, change):
    """A copy of the bundle with report.json changed, every other hash made to agree.

    The report digest, the manifest's list and its report_sha256 are recomputed, so only
    the sign-off check can tell.
    """
    members = _members(path)
    document = json.loads(members[REPORT_JSON])
    claims = [claim for source in document["sources"] for claim in source["claims"]]
    number = change([claim for claim in claims if claim["signoff"]])
    document.pop("report_sha256")
    document["report_sha256"] = reports.digest_document(document)
    members[REPORT_JSON] = json.dumps(document, ensure_ascii=False, indent=2).encode()
    manifest = json.loads(members[MANIFEST])
    manifest["files"][REPORT_JSON] = sha256_bytes(members[REPORT_JSON])
    manifest["report_sha256"] = document["report_sha256"]
    members[MANIFEST] = canonical_manifest(manifest).encode()
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return tampered, number


def test_a_whole_bundle_recomputes_every_signoff(bundle, capsys):
    check = verify_bundle(bundle)
    assert check.problems == []
    assert (check.recomputed_signoffs, check.mismatched_signoffs) == (3, 0)
    call_command("verify_report", str(bundle))
    assert "Sign-offs: 3 recomputed, 0 mismatched." in capsys.readouterr().out


def test_a_pseudonymized_bundle_counts_withheld_signoffs(report_world, tmp_path, capsys):
    path = tmp_path / "private.zip"
    path.write_bytes(b"".join(export_report(report_world["investigation"], "bundle", PRIVATE)))
    call_command("verify_report", str(path))
    out = capsys.readouterr().out
    assert "Sign-offs: 1 recomputed, 0 mismatched, 2 not recomputable (pseudonymized)." in out


def test_an_edited_rationale_fails_naming_the_claim(bundle, tmp_path, capsys):
    def edit(claims):
        claims[0]["verdict"]["rationale"] = "Three sources agree."
        return claims[0]["number"]

    tampered, number = _edit_report(bundle, tmp_path, edit)
    assert verify_bundle(tampered).problems == [
        f"claim {number}: the rationale is not the one signed off"
    ]
    with pytest.raises(CommandError, match="1 problem: the bundle FAILS"):
        call_command("verify_report", str(tampered))
    captured = capsys.readouterr()
    assert f"PROBLEM claim {number}: the rationale is not the one signed off" in captured.err
    assert "Sign-offs: 3 recomputed, 1 mismatched." in captured.out


def test_an_edited_citation_stance_fails_naming_the_claim(bundle, tmp_path):
    def edit(claims):
        cited = next(claim for claim in claims if claim["evidence"])
        cited["evidence"][0]["stance"] = "refutes"
        return cited["number"]

    tampered, number = _edit_report(bundle, tmp_path, edit)
    assert verify_bundle(tampered).problems == [
        f"claim {number}: the evidence is not what was signed off"
    ]


def test_edited_signed_content_no_longer_matches_its_digest(bundle, tmp_path):
    def edit(claims):
        # Changed in the sign-off record and in what the claim shows, consistently: only the
        # recorded digest can tell.
        claims[0]["signoff"]["content"]["rationale"] = "Three sources agree."
        claims[0]["verdict"]["rationale"] = "Three sources agree."
        return claims[0]["number"]

    tampered, number = _edit_report(bundle, tmp_path, edit)
    check = verify_bundle(tampered)
    assert check.problems == [f"claim {number}: sign-off SHA-256 does not match its content"]
    assert (check.recomputed_signoffs, check.mismatched_signoffs) == (3, 1)


def test_a_malformed_signoff_is_one_problem(bundle, tmp_path):
    def edit(claims):
        claims[0]["signoff"]["content"] = {"rating": "true"}
        return claims[0]["number"]

    tampered, number = _edit_report(bundle, tmp_path, edit)
    assert verify_bundle(tampered).problems == [f"claim {number}: sign-off content cannot be read"]
