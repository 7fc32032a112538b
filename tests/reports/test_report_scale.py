"""Exports read claims in chunks: the number of queries does not grow with the claims (on
SQLite it grows with pages of claims)."""

import json

import pytest
from django.db import connection

from claims.reporting import reports
from claims.reporting.formats import export_report
from tests.factories import make_bulk_claims


def _queries_to_export(investigation, format_name, django_assert_max_num_queries, budget):
    with django_assert_max_num_queries(budget) as captured:
        data = b"".join(export_report(investigation, format_name))
    return len(captured.captured_queries), data


def _page_queries(claims):
    """At most how many more queries an export of `claims` claims makes than one of a few.

    None on PostgreSQL, which streams them through four cursors; on SQLite, which reads them
    a page at a time (see stream_reads), four per further page of CHUNK_SIZE claims.
    """
    if connection.vendor != "sqlite":
        return 0
    return 4 * (claims // reports.CHUNK_SIZE)


@pytest.mark.parametrize("format_name", ["csv", "json", "md"])
def test_query_count_grows_with_pages_not_claims_from_10_to_2000(
    investigation, bob, rita, format_name, django_assert_max_num_queries
):
    make_bulk_claims(investigation, 10, proposer=bob, signer=rita)
    small, _ = _queries_to_export(investigation, format_name, django_assert_max_num_queries, 12)
    investigation.sources.all().delete()
    make_bulk_claims(investigation, 2000, proposer=bob, signer=rita)
    budget = 12 + _page_queries(2000)
    large, data = _queries_to_export(
        investigation, format_name, django_assert_max_num_queries, budget
    )
    if connection.vendor == "sqlite":
        assert small < large <= small + _page_queries(2000)
    else:
        assert large == small
    if format_name == "json":
        document = json.loads(data)
        assert len(document["sources"][0]["claims"]) == 2000
        assert len(document["sources"][0]["claims"][-1]["evidence"]) == 3


def test_streamed_report_holds_one_chunk_at_a_time(investigation, bob, rita, monkeypatch):
    monkeypatch.setattr(reports, "CHUNK_SIZE", 50)
    make_bulk_claims(investigation, 120, evidence_per_claim=1, proposer=bob, signer=rita)
    report = reports.stream_report(investigation)
    claims = report.sources[0].claims
    assert not isinstance(claims, list)
    assert sum(1 for _ in claims) == 120


def test_query_count_is_flat_from_one_source_to_many(
    investigation, bob, rita, django_assert_max_num_queries
):
    make_bulk_claims(investigation, 5, proposer=bob, signer=rita)
    with django_assert_max_num_queries(12) as one:
        reports.build_report(investigation)
    for _ in range(5):
        make_bulk_claims(investigation, 5, proposer=bob, signer=rita)
    with django_assert_max_num_queries(12) as six:
        report = reports.build_report(investigation)
    assert len(six.captured_queries) == len(one.captured_queries)
    assert [len(source.claims) for source in report.sources] == [5] * 6
    assert [claim.number for claim in report.claims] == list(range(1, 31))


def test_paged_streams_read_every_claim_once_in_report_order(
    investigation, bob, rita, monkeypatch, django_assert_max_num_queries
):
    """Small sources share a page, a large one takes several, and no claim is lost or read
    twice at the joins between pages (on SQLite; PostgreSQL takes its one stream)."""
    monkeypatch.setattr(reports, "CHUNK_SIZE", 7)
    for count in (3, 2, 30, 1, 4):
        make_bulk_claims(investigation, count, evidence_per_claim=2, proposer=bob, signer=rita)
    streamed = reports.stream_report(investigation)
    built = reports.build_report(investigation)
    read = [
        (source.number, claim.number, claim.quote, len(claim.evidence), claim.verdict)
        for source in streamed.sources
        for claim in source.claims
    ]
    expected = [
        (source.number, claim.number, claim.quote, len(claim.evidence), claim.verdict)
        for source in built.sources
        for claim in source.claims
    ]
    assert read == expected
    assert len(read) == 40
