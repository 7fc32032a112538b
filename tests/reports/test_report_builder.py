"""The report as data: options, numbering, pseudonyms, streaming equal to building."""

import pytest

from claims import reports
from claims.demo import DEMO_TEXT_PATH
from claims.pseudonyms import Pseudonyms
from claims.report_formats.json import render_json
from tests.reports.conftest import FIXED_NOW, WITNESS, WITNESS_SPELLINGS

DEMO_TEXT = DEMO_TEXT_PATH.read_text(encoding="utf-8")


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
    assert "id" not in data and "source_id" not in data


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
