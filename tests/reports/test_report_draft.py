"""A downloaded report that holds unverified claims says it is a draft, in every format a
person reads, and carries the counts as data in JSON, inside the digest."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command

from claims.models import Claim, ClaimStatus
from claims.reporting import reports
from claims.reporting.formats import export_report
from claims.reporting.formats.bundle import verify_bundle
from tests.reports.conftest import pdf_text

DRAFT_OPTIONS = reports.ReportOptions()
FINAL_OPTIONS = reports.ReportOptions(verified_only=True)


def _export(investigation, format_name, options):
    return b"".join(export_report(investigation, format_name, options))


def _expected_counts(investigation):
    held = Claim.objects.filter(investigation=investigation).exclude(
        status__in=[ClaimStatus.SUGGESTED, ClaimStatus.DISMISSED]
    )
    return held.count(), held.exclude(status=ClaimStatus.VERIFIED).count()


def test_json_carries_the_draft_counts_and_its_digest_covers_them(report_world):
    investigation = report_world["investigation"]
    total, unverified = _expected_counts(investigation)
    assert 0 < unverified < total  # the world holds both kinds
    document = json.loads(_export(investigation, "json", DRAFT_OPTIONS))
    assert document["draft"] is True
    assert document["claim_count"] == total
    assert document["unverified_claims"] == unverified
    assert reports.digest_document(document) == document["report_sha256"]
    # Saying "final" where the claims say otherwise breaks the digest.
    document["draft"], document["unverified_claims"] = False, 0
    assert reports.digest_document(document) != document["report_sha256"]


def test_a_verified_only_report_is_no_draft(report_world, tmp_path):
    investigation = report_world["investigation"]
    document = json.loads(_export(investigation, "json", FINAL_OPTIONS))
    assert document["draft"] is False
    assert document["unverified_claims"] == 0
    assert document["claim_count"] == sum(len(source["claims"]) for source in document["sources"])
    markdown = _export(investigation, "md", FINAL_OPTIONS).decode()
    html = _export(investigation, "html", FINAL_OPTIONS).decode()
    assert "Draft" not in markdown
    assert "Draft" not in html
    assert "DRAFT" not in pdf_text(_export(investigation, "pdf", FINAL_OPTIONS), tmp_path)


@pytest.mark.parametrize("format_name", ["md", "html"])
def test_text_formats_say_draft_before_the_first_claim(report_world, format_name):
    investigation = report_world["investigation"]
    total, unverified = _expected_counts(investigation)
    text = _export(investigation, format_name, DRAFT_OPTIONS).decode()
    notice = text.find("Draft")
    assert notice != -1
    assert notice < text.find("The crowd grew to about 20,000.")
    assert f"{unverified} of the {total} claims in this report are not verified" in " ".join(
        text.split()
    )


def test_the_pdf_says_draft_on_every_page(report_world, tmp_path):
    investigation = report_world["investigation"]
    total, unverified = _expected_counts(investigation)
    text = pdf_text(_export(investigation, "pdf", DRAFT_OPTIONS), tmp_path)
    pages = text.split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) > 1
    for page in pages:
        assert "DRAFT" in page  # the running mark
    assert "Draft: not every claim is verified" in pages[0]
    assert f"{unverified} of the {total} claims in this report are not verified" in " ".join(
        text.split()
    )


def test_verify_report_counts_the_unverified_claims_and_catches_a_false_final(
    report_world, tmp_path
):
    investigation = report_world["investigation"]
    total, unverified = _expected_counts(investigation)
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(_export(investigation, "bundle", DRAFT_OPTIONS))
    check = verify_bundle(bundle)
    assert check.problems == []
    assert (check.claims_in_report, check.unverified_claims) == (total, unverified)
    out = io.StringIO()
    call_command("verify_report", str(bundle), stdout=out)
    assert f"DRAFT: {unverified} of the {total} claims are not verified" in out.getvalue()
    # A report.json that calls itself final fails, whatever the manifest says of it.
    with zipfile.ZipFile(bundle) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    document = json.loads(members["report.json"])
    document["draft"], document["unverified_claims"] = False, 0
    members["report.json"] = json.dumps(document).encode()
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    problems = verify_bundle(tampered).problems
    assert (
        f"report.json: says 0 of {total} claims are unverified (draft: False), "
        f"its claims show {unverified} of {total}" in problems
    )
