"""The report as data: options, numbering, pseudonyms, streaming equal to building."""

import json
from dataclasses import asdict

import pytest

from claims.devdata.demo import DEMO_TEXT_PATH
from claims.evidence import citations
from claims.models import Snapshot, Verdict
from claims.reporting import reports
from claims.reporting.formats.csv import iter_csv
from claims.reporting.formats.json import render_json
from claims.reporting.pseudonyms import Pseudonyms
from tests.factories import make_claim, make_source
from tests.reports.conftest import FIXED_NOW, WITNESS, WITNESS_SPELLINGS, archive, sign_off

DEMO_TEXT = DEMO_TEXT_PATH.read_text(encoding="utf-8")


def render_csv(report):
    return "".join(iter_csv(report))


def test_every_spelling_of_the_witness_becomes_one_stand_in():
    pseudonyms = Pseudonyms([(WITNESS, DEMO_TEXT)])
    published = pseudonyms.publish(DEMO_TEXT)
    assert pseudonyms.labels == ["Witness A"]
    for spelling in WITNESS_SPELLINGS:
        assert spelling not in published.text
    # "Alimshan Isabarow" is one mention of one person, not "Witness A Witness A".
    assert "Witness A Witness A" not in published.text
    assert "The connection keeps dropping. Witness A looks tired" in published.text


def test_a_common_word_that_is_also_a_name_is_left_alone():
    pseudonyms = Pseudonyms([("Rose Hill", "Rose Hill said the river rose.")])
    assert pseudonyms("Rose Hill said the river rose.") == "Witness A said the river rose."


def test_two_witnesses_get_two_letters():
    pseudonyms = Pseudonyms([("Ann Varga", ""), ("Tomas Reyes", ""), ("Ann Varga", "")])
    assert pseudonyms("Varga met Reyes and Tomas") == "Witness A met Witness B and Witness B"


@pytest.mark.parametrize("quote", ["Izbasarov insists", "he can only speak", "Alimshan"])
def test_offsets_follow_the_published_text(quote):
    published = Pseudonyms([(WITNESS, DEMO_TEXT)]).publish(DEMO_TEXT)
    start = DEMO_TEXT.index(quote)
    new_start = published.position(start)
    new_end = published.position(start + len(quote), is_end=True)
    expected = Pseudonyms([(WITNESS, DEMO_TEXT)])(quote)
    assert published.text[new_start:new_end] == expected


def test_a_span_that_cuts_a_name_covers_the_whole_stand_in():
    published = Pseudonyms([(WITNESS, DEMO_TEXT)]).publish(DEMO_TEXT)
    start = DEMO_TEXT.index("Izbasarov insists") + 3
    new_start, new_end = published.position(start), published.position(start + 2, is_end=True)
    assert published.text[new_start:new_end] == "Witness A"


def test_claims_are_numbered_in_text_order_without_database_ids(report_world):
    report = reports.build_report(report_world["investigation"])
    assert [claim.number for claim in report.claims] == list(range(1, 7))
    assert [source.number for source in report.sources] == [1, 2]
    data = reports.claim_fields(report.claims[0])
    assert "id" not in data
    assert "source_id" not in data


def test_verified_only_keeps_signed_off_claims(report_world):
    report = reports.build_report(
        report_world["investigation"], reports.ReportOptions(verified_only=True)
    )
    assert len(report.claims) == 3
    assert all(claim.verdict.is_signed_off for claim in report.claims)


def test_excerpts_can_be_left_out(report_world):
    options = reports.ReportOptions(include_excerpts=False)
    report = reports.build_report(report_world["investigation"], options)
    assert all(not item.excerpt for claim in report.claims for item in claim.evidence)


def test_redacted_reviewers_are_numbered_so_four_eyes_stays_visible(report_world):
    options = reports.ReportOptions(redact_reviewers=True)
    report = reports.build_report(report_world["investigation"], options)
    verdicts = [claim.verdict for claim in report.claims if claim.verdict]
    names = {v.proposed_by for v in verdicts} | {v.signed_off_by for v in verdicts}
    assert names - {None} == {"Reviewer 1", "Reviewer 2"}
    assert all(v.proposed_by != v.signed_off_by for v in verdicts)


def test_pseudonymized_quotes_sit_at_their_offsets(report_world):
    options = reports.ReportOptions(pseudonymize=True)
    report = reports.build_report(report_world["investigation"], options)
    for source in report.sources:
        for claim in source.claims:
            assert source.text[claim.start : claim.end] == claim.quote
            assert source.text[: claim.start].endswith(claim.prefix)
            for quantity in claim.quantities:
                assert source.text[quantity.start : quantity.end] == quantity.text
    assert report.sources[0].sha256 != report_world["testimony"].text_sha256


def test_claims_are_grouped_by_verdict_in_scale_order(report_world):
    report = reports.build_report(report_world["investigation"])
    groups = [label for label, _ in report.sources[0].verdict_groups()]
    assert groups == ["True", "Mostly true", "Verdict awaiting sign-off", "No verdict yet"]


def test_streamed_json_is_the_same_document_as_built_json(report_world):
    investigation = report_world["investigation"]
    built = render_json(reports.build_report(investigation, now=FIXED_NOW))
    streamed = render_json(reports.stream_report(investigation, now=FIXED_NOW))
    assert streamed == built


def test_streamed_reports_read_each_text_when_its_claims_come_up(investigation, bob):
    """Sources streamed without their texts give the same documents as sources read whole:
    lengths counted by the database, a source with no claims passed over on the way."""
    texts = [
        "Первый свидетель: 300 человек 🙂 собрались у акимата. Второе предложение.",
        "A source nobody marked a claim in.",
        "The third said 20,000 people marched, e\u0301tudiants among them.",
    ]
    for number, text in enumerate(texts, 1):
        source = make_source(investigation, text=text, title=f"Source {number}")
        if number != 2:
            make_claim(source, quote=text.split(".")[0], actor=bob)
    streamed = reports.stream_report(investigation, now=FIXED_NOW)
    assert [source.text for source in streamed.sources] == [None, None, None]
    assert [source.length for source in streamed.sources] == [len(text) for text in texts]
    assert render_json(streamed) == render_json(reports.build_report(investigation, now=FIXED_NOW))
    csv_streamed = render_csv(reports.stream_report(investigation, now=FIXED_NOW))
    assert csv_streamed == render_csv(reports.build_report(investigation, now=FIXED_NOW))
    assert "🙂" in csv_streamed
    assert "20,000" in csv_streamed


def test_digest_ignores_the_time_of_writing(report_world):
    investigation = report_world["investigation"]
    first = reports.build_report(investigation, now=FIXED_NOW)
    later = reports.build_report(investigation)
    assert first.generated_at != later.generated_at
    assert first.sha256 == later.sha256


def test_preview_limit_reads_only_the_first_claims(report_world):
    report = reports.build_report(report_world["investigation"], claim_limit=2)
    assert len(report.claims) == 2
    assert reports.count_claims(report_world["investigation"]) == 6


def test_each_citation_shows_the_newest_finished_archive_once(report_world, bob):
    stormed, crowd = report_world["claims"][1], report_world["claims"][0]
    wire = stormed.citations.get(evidence__url="https://example.org/wire")
    newer = archive(wire, body=b"<html><body>Archived again</body></html>")
    # Newest of all, but failed: a failed capture holds no copy of the page.
    Snapshot.objects.create(evidence=wire.evidence, status=Snapshot.Status.FAILED)
    # The same page cited by a second claim: one Evidence row, two citations.
    citations.cite_evidence(
        crowd, actor=bob, stance="context", url="https://example.org/wire", title="Wire report"
    )
    report = reports.build_report(report_world["investigation"])
    by_quote = {claim.quote: claim for claim in report.claims}
    stormed_items = by_quote[stormed.quote].evidence
    crowd_items = by_quote[crowd.quote].evidence
    assert [item.url for item in stormed_items] == [
        "https://example.org/wire",
        "https://example.org/video",
    ]
    assert [item.url for item in crowd_items] == ["https://example.org/wire"]
    for item in (stormed_items[0], crowd_items[0]):
        assert item.archive_sha256 == newer.sha256
        assert item.archived_at == newer.fetched_at.isoformat()
    assert stormed_items[1].archive_sha256 == ""
    assert stormed_items[1].archived_at is None


def test_a_superseded_verdict_gives_way_to_the_current_one(report_world, bob, rita):
    arrests = report_world["claims"][2]
    # Proposing again supersedes bob's pending verdict; the older row is still in the table.
    sign_off(arrests, rita, bob, rating="false", rationale="The ministry counted 900.")
    assert arrests.verdicts.filter(status=Verdict.Status.SUPERSEDED).exists()
    report = reports.build_report(report_world["investigation"])
    claim = next(claim for claim in report.claims if claim.quote == arrests.quote)
    assert (claim.verdict.rating, claim.verdict.status) == ("false", Verdict.Status.SIGNED_OFF)
    assert claim.verdict.proposed_by == "Ottilie Marchetti"
    assert claim.verdict.signed_off_by == "Bartholomew Quenneville"


def test_claim_fields_are_what_asdict_gives(report_world):
    options = reports.ReportOptions(pseudonymize=True, redact_reviewers=True)
    for claim in reports.build_report(report_world["investigation"], options).claims:
        # Compared as JSON text, so the order of keys counts at every level. An evidence item
        # that is no uploaded file leaves `file` out, so reports without files hash as before.
        expected = asdict(claim)
        for item in expected["evidence"]:
            if item["file"] is None:
                del item["file"]
        assert json.dumps(reports.claim_fields(claim)) == json.dumps(expected)


class _Rows(list):
    """Stands in for a queryset: iterator() over fixed rows."""

    def iterator(self, chunk_size):
        return iter(self)


def test_rows_of_a_claim_missing_from_the_claim_query_do_not_hold_up_later_claims():
    # Rows start with (source id, start, claim id); keys are (source number, start, claim
    # id). Source 7 is number 1 and source 3 number 2. Claim 9 was added or moved between
    # the two queries: only this stream has it.
    rows = reports._RowsByClaim(
        _Rows(
            [
                (7, 10, 1, "a"),
                (7, 15, 9, "stray"),
                (7, 20, 2, "b"),
                (7, 20, 2, "c"),
                (3, 5, 3, "d"),
            ]
        ),
        {7: 1, 3: 2},
    )
    assert rows.pop((1, 10, 1)) == [("a",)]
    assert rows.pop((1, 20, 2)) == [("b",), ("c",)]
    assert rows.pop((1, 30, 4)) == []
    assert rows.pop((2, 5, 3)) == [("d",)]
    assert rows.pop((2, 9, 5)) == []
