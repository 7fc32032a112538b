"""Reports state the audit chain head they were made from, and can append each claim's history."""

import json
import re
import zipfile
from pathlib import Path

import jsonschema
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from claims.models import Membership
from claims.reporting import report_files, reports
from claims.reporting.formats import export_report
from claims.reporting.formats.bundle import MANIFEST, canonical_manifest, verify_bundle
from claims.reporting.formats.html import render_html
from claims.reporting.formats.json import SCHEMA_FILE
from claims.review import audit, mentions, workflow
from tests.factories import make_user
from tests.reports.conftest import FIXED_NOW, pdf_text

APPENDIX = reports.ReportOptions(audit_appendix=True)


def _head(investigation):
    seq, sha256 = audit.chain_head(investigation)
    return {"seq": seq, "sha256": sha256}


def _json(investigation):
    return json.loads(b"".join(export_report(investigation, "json", now=FIXED_NOW)))


def _html(investigation, options=APPENDIX):
    return b"".join(export_report(investigation, "html", options, now=FIXED_NOW)).decode()


def _appendix_section(html):
    return html[html.index('id="audit-appendix"') :]


def _member(user):
    return Membership.objects.get(user=user)


def test_json_states_the_chain_head_and_follows_the_schema(report_world):
    investigation = report_world["investigation"]
    document = _json(investigation)
    assert document["audit_chain_head"] == _head(investigation)
    assert document["audit_chain_head"]["seq"] == investigation.audit_events.count()
    schema = json.loads((Path(settings.BASE_DIR) / SCHEMA_FILE).read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    assert document["report_sha256"] == reports.digest_document(document)


def test_the_head_is_part_of_the_digest(report_world, bob):
    investigation = report_world["investigation"]
    first = reports.build_report(investigation)
    assert reports.build_report(investigation).sha256 == first.sha256
    # A change the report does not print (a comment) is still a new history.
    mentions.add_comment(report_world["claims"][0], author=bob, body="Seen.")
    later = reports.build_report(investigation)
    assert reports.claim_fields(later.claims[0]) == reports.claim_fields(first.claims[0])
    assert later.audit_chain_head["seq"] == first.audit_chain_head["seq"] + 1
    assert later.sha256 != first.sha256


def test_the_cover_shows_the_head_in_html_and_pdf(report_world, tmp_path):
    investigation = report_world["investigation"]
    head = _head(investigation)
    html = _html(investigation, reports.ReportOptions())
    cover = html[html.index('class="report-cover"') : html.index('class="report-toc"')]
    assert "Audit history" in cover
    assert head["sha256"] in cover
    assert 'id="audit-appendix"' not in html
    pdf = pdf_text(b"".join(export_report(investigation, "pdf")), tmp_path)
    assert head["sha256"] in "".join(pdf.split())


def test_the_bundle_manifest_carries_the_head_and_is_checked_against_the_json(
    report_world, tmp_path
):
    investigation = report_world["investigation"]
    path = tmp_path / "bundle.zip"
    path.write_bytes(b"".join(export_report(investigation, "bundle")))
    with zipfile.ZipFile(path) as bundle:
        members = {name: bundle.read(name) for name in bundle.namelist()}
    manifest = json.loads(members[MANIFEST])
    assert manifest["audit_chain_head"] == _head(investigation)
    assert verify_bundle(path).problems == []

    manifest["audit_chain_head"]["seq"] += 1
    members[MANIFEST] = canonical_manifest(manifest).encode()
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as bundle:
        for name, data in members.items():
            bundle.writestr(name, data)
    assert verify_bundle(tampered).problems == [
        "manifest.json: audit_chain_head does not match report.json"
    ]


def test_the_appendix_lists_each_claims_history_in_report_order(report_world):
    investigation = report_world["investigation"]
    report = reports.build_report(investigation, APPENDIX)
    appendix = report.audit_appendix
    assert (appendix.head_seq, appendix.head_sha256) == audit.chain_head(investigation)
    assert [claim.number for claim in appendix.claims] == [c.number for c in report.claims]
    stormed = next(c for c in appendix.claims if c.statement.startswith("The akimat"))
    lines = [(entry.actor, entry.verb) for entry in stormed.entries]
    assert lines == [
        ("Bartholomew Quenneville", "marked a claim"),
        ("Bartholomew Quenneville", "cited evidence"),
        ("Bartholomew Quenneville", "cited evidence"),
        ("Bartholomew Quenneville", "moved the claim (propose verdict)"),
        ("Bartholomew Quenneville", "proposed a verdict"),
        ("Ottilie Marchetti", "moved the claim (sign off)"),
        ("Ottilie Marchetti", "signed off the verdict"),
    ]
    seqs = [entry.seq for entry in stormed.entries]
    assert seqs == sorted(seqs)
    assert reports.build_report(investigation).audit_appendix is None


def test_the_html_appendix_starts_with_the_head_and_links_each_claim(report_world):
    investigation = report_world["investigation"]
    section = _appendix_section(_html(investigation))
    intro = section[: section.index('class="report-audit-claim"')]
    assert audit.chain_head(investigation)[1] in intro
    assert '<a href="#claim-1">Claim 1</a>' in section
    assert "signed off the verdict" in section
    assert '<li><a href="#audit-appendix">Audit appendix</a></li>' in _html(investigation)


def test_retractions_are_struck_through_voids_marked_unknown_actions_named(report_world, bob):
    investigation = report_world["investigation"]
    stormed = report_world["claims"][1]
    citation = stormed.citations.get(evidence__url="https://example.org/video")
    verdict = stormed.verdicts.get()
    # The events verdict workflow records for these (their own changes are not needed here).
    audit.record(
        bob,
        "citation.retract",
        citation,
        investigation=investigation,
        claim=stormed,
        after={"reason": "The video is from 2019."},
    )
    audit.record(
        bob,
        "verdict.void",
        verdict,
        investigation=investigation,
        claim=stormed,
        before={"status": "signed_off"},
        after={"status": "voided", "reason": "Evidence retracted."},
    )
    audit.record(bob, "claim.frobnicate", stormed, investigation=investigation, claim=stormed)
    section = _appendix_section(_html(investigation))
    retraction = section[section.index('class="report-audit-retraction"') :]
    assert retraction.index(f"<del>{citation}</del>") < retraction.index("</li>")
    assert "The video is from 2019." in retraction
    void = section[section.index('class="report-audit-void"') :]
    assert "sign-off voided" in void[: void.index("</li>")]
    assert "claim frobnicate" in section


def test_the_appendix_uses_the_claims_stand_ins_and_redacts_names_in_values(
    report_world, alice, bob, rita
):
    investigation = report_world["investigation"]
    named = report_world["claims"][3]
    workflow.assign(named, actor=alice, membership=_member(alice), assignee=rita)
    mentions.add_comment(named, author=bob, body="@rita, can you check this? cc @alice")
    options = reports.ReportOptions(redact_reviewers=True, audit_appendix=True)
    report = reports.build_report(investigation, options)
    stormed = next(c for c in report.claims if c.statement.startswith("The akimat"))
    entries = {
        entry.verb: entry
        for claim in report.audit_appendix.claims
        if claim.number == stormed.number
        for entry in claim.entries
    }
    assert entries["proposed a verdict"].actor == stormed.verdict.proposed_by
    assert entries["signed off the verdict"].actor == stormed.verdict.signed_off_by
    history = next(
        c for c in report.audit_appendix.claims if c.statement == "Isabarow was exhausted."
    )
    assign, comment = history.entries[-2:]
    rita_label = stormed.verdict.signed_off_by
    assert [(c.before, c.after) for c in assign.changes] == [("—", rita_label)]
    assert comment.changes[0].after.startswith(f"@{rita_label}, can you check this? cc @Reviewer")
    html = render_html(report)
    for name in ("bob", "rita", "alice", "Quenneville", "Marchetti"):
        assert not re.search(rf"\b{name}\b", html), name
    # The appendix changes no stand-in of the claims, so not the digest either.
    without = reports.ReportOptions(redact_reviewers=True)
    assert reports.build_report(investigation, without).sha256 == report.sha256


def test_the_appendix_pseudonymizes_witnesses_and_their_offsets(report_world):
    options = reports.ReportOptions(pseudonymize=True, audit_appendix=True)
    report = reports.build_report(report_world["investigation"], options)
    section = _appendix_section(render_html(report))
    assert "Witness A" in section
    assert not re.search(r"Isabarow|Izbasarov|Alimshan", section)
    # Offsets as the published text has them, like the claim's own: the stored ones would
    # tell how long the hidden name is.
    named = next(claim for claim in report.claims if claim.quote.startswith("Witness A"))
    marked = next(c for c in report.audit_appendix.claims if c.number == named.number).entries[0]
    changes = {change.field: change.after for change in marked.changes}
    assert changes == {"Quote": named.quote, "Start": str(named.start), "End": str(named.end)}


def test_an_event_of_a_deleted_account_keeps_the_name_recorded(report_world):
    investigation = report_world["investigation"]
    claim = report_world["claims"][2]
    temp = make_user("temp-editor")
    audit.record(temp, "claim.frobnicate", claim, investigation=investigation, claim=claim)
    temp.delete()
    entries = [
        entry
        for appendix_claim in reports.build_report(investigation, APPENDIX).audit_appendix.claims
        for entry in appendix_claim.entries
        if entry.verb == "claim frobnicate"
    ]
    assert [entry.actor for entry in entries] == ["temp-editor"]
    assert audit.verify(investigation).is_intact


def test_the_appendix_is_one_more_query_however_long_the_history(
    report_world, bob, django_assert_max_num_queries
):
    investigation = report_world["investigation"]
    counts = []
    for _ in range(2):
        with django_assert_max_num_queries(20) as plain:
            reports.build_report(investigation)
        with django_assert_max_num_queries(20) as appended:
            reports.build_report(investigation, APPENDIX)
        counts.append((len(plain.captured_queries), len(appended.captured_queries)))
        for claim in report_world["claims"]:
            for n in range(5):
                mentions.add_comment(claim, author=bob, body=f"Note {n}")
    assert counts[0] == counts[1]
    assert counts[0][1] == counts[0][0] + 1


def test_the_report_page_offers_the_appendix_and_keeps_it_in_links(client, victor, report_world):
    client.force_login(victor)
    page = reverse("claims:report", args=["flood-2026"])
    body = client.get(page).content.decode()
    assert 'name="audit_appendix"' in body
    assert "Audit appendix" in body
    assert 'id="audit-appendix"' not in body
    body = client.get(page, {"audit_appendix": "on"}).content.decode()
    assert 'id="audit-appendix"' in body
    download = reverse("claims:report-download", args=["flood-2026", "pdf"])
    assert f"{download}?audit_appendix=on" in body


def test_export_report_command_appends_the_history(report_world, tmp_path, capsys):
    out = tmp_path / "report.pdf"
    call_command(
        "export_report",
        "--investigation",
        "flood-2026",
        "--format",
        "pdf",
        "--out",
        str(out),
        "--audit-appendix",
    )
    text = pdf_text(out.read_bytes(), tmp_path)
    assert "Audit appendix" in text
    assert "signed off the verdict" in text


def test_a_pdf_prepared_in_the_background_keeps_the_option(report_world, tmp_path):
    report_file = report_files.request_report_file(
        report_world["investigation"], "pdf", APPENDIX, query="audit_appendix=on"
    )
    report_files.build_report_file(report_file)
    assert "Audit appendix" in pdf_text(report_file.file.read(), tmp_path)
