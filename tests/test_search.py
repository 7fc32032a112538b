"""Claim search and filters; the same queries must give the same claims on SQLite and PostgreSQL.

The suite runs on both databases (make test), so every case here is checked on each.
"""

import pytest
from django.db import connection

from claims.evidence.citations import cite_evidence
from claims.listing import search
from claims.models import Claim, Membership
from claims.review import mentions, reviews, workflow
from tests.factories import make_claim


def member(user):
    return Membership.objects.get(user=user)


@pytest.fixture
def claims(source, bob, erin):
    homes = make_claim(source, "about 1,200 homes were flooded in Marrow", actor=bob)
    river = make_claim(source, "The river rose by 3.2 metres overnight", actor=bob)
    deaths = make_claim(source, "at least 14 people had died", actor=bob)
    dam = make_claim(source, "Is the dam safe?", actor=bob)
    Claim.objects.filter(pk=deaths.pk).update(statement="Fourteen deaths in the Vessa floods")
    cite_evidence(homes, actor=bob, stance="supports", url="https://e.org/a", title="Insurer tally")
    mentions.add_comment(river, author=bob, body="Gauge readings from the hydrology_office")
    workflow.assign(dam, actor=erin, membership=member(erin), assignee=bob)
    return {"homes": homes, "river": river, "deaths": deaths, "dam": dam}


def found(user, **filters):
    queryset = search.filter_claims(Claim.objects.all(), user=user, filters=filters)
    return {claim.quote for claim in queryset}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("flooded", {"homes"}),  # a word of the quote
        ("flood", {"homes", "deaths"}),  # word starts: "flooded", "floods"
        ("FLOOD", {"homes", "deaths"}),  # case does not matter
        ("fourteen", {"deaths"}),  # the statement as checked
        ("insurer", {"homes"}),  # an evidence title
        ("tally homes", {"homes"}),  # every word, across quote and evidence
        ("gauge", {"river"}),  # a comment
        ("office", {"river"}),  # underscore separates words on both databases
        ("lood", set()),  # not the middle of a word
        ("river homes", set()),  # all words must match one claim
        ("3", {"river"}),
        ("  ", {"homes", "river", "deaths", "dam"}),  # no words: no search
    ],
)
def test_search_gives_the_same_claims_on_every_database(claims, bob, query, expected):
    assert found(bob, q=query) == {claims[name].quote for name in expected}


def test_search_finds_a_claim_by_its_speaker(claims, bob):
    Claim.objects.filter(pk=claims["river"].pk).update(speaker="Alimshan Isbasarov")
    assert found(bob, q="Isbasarov") == {claims["river"].quote}
    assert found(bob, q="alimshan gauge") == {claims["river"].quote}  # with a comment word
    assert found(bob, q="isbasarov homes") == set()


def test_words_are_lowercased_deduplicated_and_capped():
    assert search.words("Flood flood, FLOODS! x_y") == ["flood", "floods", "x", "y"]
    assert len(search.words(" ".join(f"w{i}" for i in range(20)))) == search.MAX_WORDS


def test_filters_combine(claims, bob, rita, source):
    homes, dam = claims["homes"], claims["dam"]
    assert found(bob, has_evidence="yes") == {homes.quote}
    assert homes.quote not in found(bob, has_evidence="no")
    assert found(bob, has_numbers="yes") == {
        claims[name].quote for name in ("homes", "river", "deaths")
    }
    assert found(bob, assignee="me") == {dam.quote}
    assert found(rita, assignee="me") == set()
    assert found(bob, assignee=str(bob.pk)) == {dam.quote}
    assert dam.quote not in found(bob, assignee="none")
    reviews.propose_verdict(
        homes, proposer=bob, membership=member(bob), rating="false", rationale="No."
    )
    assert found(bob, verdict="false") == {homes.quote}
    assert found(bob, verdict="awaiting") == {homes.quote}
    assert homes.quote not in found(bob, verdict="none")
    workflow.tag(dam, actor=bob, membership=member(bob), add=["infrastructure"])
    tag = dam.tags.get()
    assert found(bob, tag=tag.pk) == {dam.quote}
    assert found(bob, source=source.pk, q="dam") == {dam.quote}


def test_speaker_filter_keeps_that_speaker_only(claims, bob):
    Claim.objects.filter(pk=claims["river"].pk).update(speaker="Hydrology office")
    assert found(bob, speaker="Hydrology office") == {claims["river"].quote}
    assert found(bob, speaker="Nobody") == set()


def test_suggested_and_dismissed_claims_are_hidden_unless_asked_for(claims, bob):
    Claim.objects.filter(pk=claims["dam"].pk).update(status="dismissed")
    assert claims["dam"].quote not in found(bob)
    assert claims["dam"].quote in found(bob, status="all")
    assert found(bob, status="dismissed") == {claims["dam"].quote}


def test_sort_orders(claims, bob):
    Claim.objects.filter(pk=claims["dam"].pk).update(priority=3)
    ordered = search.filter_claims(Claim.objects.all(), user=bob, filters={"sort": "priority"})
    assert ordered[0] == claims["dam"]
    by_evidence = search.filter_claims(Claim.objects.all(), user=bob, filters={"sort": "evidence"})
    assert by_evidence[0] == claims["homes"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes are PostgreSQL's")
def test_postgresql_search_uses_the_gin_indexes(claims, bob):
    # Each of the three id lists a search word builds is explained on its own: the plan of
    # the whole list query depends on statistics, the plan of each lookup should not.
    indexes = (
        "claims_claim_search",
        "claims_evidence_title_search",
        "claims_comment_body_search",
    )
    with connection.cursor() as cursor:
        # With a handful of rows the planner prefers a scan; forbid it to see the index used.
        cursor.execute("SET enable_seqscan = off")
        try:
            # Unordered, as search() uses them (pk__in drops the ordering): with the models'
            # ordering the planner may walk another index in that order instead, depending on
            # the statistics earlier tests left behind.
            plans = [rows.order_by().explain() for rows in search.matching_rows("flood")]
        finally:
            cursor.execute("RESET enable_seqscan")
    for index, plan in zip(indexes, plans, strict=True):
        assert index in plan, plan
