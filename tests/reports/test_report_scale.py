"""Exports read claims in chunks: the number of queries does not grow with the claims."""

import json

import pytest

from claims import reports
from claims.report_formats import export_report
from tests.reports.bulk import make_many_claims


def _queries_to_export(investigation, format_name, django_assert_max_num_queries, budget):
    with django_assert_max_num_queries(budget) as captured:
        data = b"".join(export_report(investigation, format_name))
    return len(captured.captured_queries), data


@pytest.mark.parametrize("format_name", ["csv", "json", "md"])
def test_query_count_is_flat_from_10_to_2000_claims(
    investigation, bob, rita, format_name, django_assert_max_num_queries
):
    make_many_claims(investigation, 10, proposer=bob, signer=rita)
    small, _ = _queries_to_export(investigation, format_name, django_assert_max_num_queries, 12)
    investigation.sources.all().delete()
    make_many_claims(investigation, 2000, proposer=bob, signer=rita)
    large, data = _queries_to_export(investigation, format_name, django_assert_max_num_queries, 12)
    assert large == small
    if format_name == "json":
        document = json.loads(data)
        assert len(document["sources"][0]["claims"]) == 2000
        assert len(document["sources"][0]["claims"][-1]["evidence"]) == 3


def test_streamed_report_holds_one_chunk_at_a_time(investigation, bob, rita, monkeypatch):
    monkeypatch.setattr(reports, "CHUNK_SIZE", 50)
    make_many_claims(investigation, 120, evidence_per_claim=1, proposer=bob, signer=rita)
    report = reports.stream_report(investigation)
    claims = report.sources[0].claims
    assert not isinstance(claims, list)
    assert sum(1 for _ in claims) == 120


def test_query_count_is_flat_from_one_source_to_many(
    investigation, bob, rita, django_assert_max_num_queries
):
    make_many_claims(investigation, 5, proposer=bob, signer=rita)
    with django_assert_max_num_queries(12) as one:
        reports.build_report(investigation)
    for _ in range(5):
        make_many_claims(investigation, 5, proposer=bob, signer=rita)
    with django_assert_max_num_queries(12) as six:
        report = reports.build_report(investigation)
    assert len(six.captured_queries) == len(one.captured_queries)
    assert [len(source.claims) for source in report.sources] == [5] * 6
    assert [claim.number for claim in report.claims] == list(range(1, 31))
