"""Similar claims across sources: the matcher, the worker's matching, decisions, testimony."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.corroboration import links, matching, similar
from claims.evidence.citations import AlreadyCited
from claims.models import AuditEvent, Claim, ClaimLink, ClaimToken, Role, Stance
from claims.review import history
from claims.review.workflow import TransitionRefused
from claims.sources import marking
from tests.factories import (
    make_claim,
    make_investigation,
    make_similar_pair,
    make_source,
)


def text(claim_id, words, speaker="", figures=(), source_id=None):
    return similar.ClaimText(
        claim_id, words, speaker=speaker, figures=list(figures), source_id=source_id or claim_id
    )


def figure(measure, low, high, written):
    return similar.Figure(measure, low, low, high, written)


# -- The matcher, without a database ----------------------------------------------------------


def test_the_same_claim_in_other_words_is_same_with_a_reason():
    a = text(1, "Police arrested 40 protesters outside the parliament in Tbilsk.")
    b = text(2, "Forty demonstrators were detained near the Tbilsk parliament, police said.")
    match = similar.score(a, b)
    assert match.score >= similar.THRESHOLD
    assert match.relation == "same"
    assert "detain" in match.reason
    assert "tbilsk" in match.reason


def test_a_negated_claim_contradicts():
    a = text(1, "Soldiers fired tear gas at the crowd in Orlan square.")
    b = text(2, "Soldiers did not fire tear gas at the crowd in Orlan square.")
    match = similar.score(a, b)
    assert match.relation == "contradicts"
    assert "negates" in match.reason


def test_a_hedge_with_not_is_no_negation():
    assert not similar.is_negated("around 20,000, if not more, were marching")
    assert similar.is_negated("They did not start the shooting")
    assert similar.is_negated("The ministry denied it")


def test_unrelated_claims_score_below_the_threshold():
    a = text(1, "About 5,000 people joined the march in Kessel.")
    b = text(2, "Kessel's football team won the cup final.")
    assert similar.score(a, b).score < similar.THRESHOLD


def test_agreeing_figures_raise_the_score_and_differing_ones_contradict():
    words = "homes were flooded in Marrow"
    a = text(1, f"About 1,200 {words}", figures=[figure("other", 1200, 1200, "About 1,200")])
    agreeing = text(2, f"1,200 {words}", figures=[figure("other", 1200, 1200, "1,200")])
    plain = text(3, f"Many {words}")
    assert similar.score(a, agreeing).score > similar.score(a, plain).score
    assert "same figure" in similar.score(a, agreeing).reason
    detained = [figure("detained", 9000, 11000, "about 10,000")]
    fewer = [figure("detained", 5400, 6000, "nearly 6,000")]
    x = text(4, "About 10,000 people detained in Kazakhstan", figures=detained)
    y = text(5, "Nearly 6,000 people detained across Kazakhstan", figures=fewer)
    match = similar.score(x, y)
    assert match.relation == "contradicts"
    assert "figures differ: about 10,000 vs nearly 6,000" in match.reason


def test_the_same_speaker_is_a_reason():
    a = text(1, "The bridge over the Vessa collapsed on Tuesday", speaker="Ida")
    b = text(2, "The Vessa bridge collapsed early on Tuesday", speaker="ida ")
    assert "same speaker" in similar.score(a, b).reason


# -- Matching through the index ---------------------------------------------------------------


def test_matching_suggests_a_link_between_sources(investigation):
    first, _second, link = make_similar_pair(investigation)
    assert link.status == ClaimLink.Status.SUGGESTED
    assert link.relation == "same"
    assert link.same_investigation
    assert "marrow" in link.reason
    assert ClaimToken.objects.filter(claim_id=first.pk, token="marrow").exists()


def test_claims_of_one_source_are_not_linked(investigation):
    source = make_source(investigation)
    one = make_claim(source, "about 1,200 homes were flooded in Marrow")
    two = make_claim(source, "The river rose by 3.2 metres overnight and about 1,200 homes")
    matching.match_claim(one.pk)
    matching.match_claim(two.pk)
    assert not ClaimLink.objects.exists()


def test_a_rejected_link_stays_rejected_when_matched_again(investigation, bob):
    first, _second, link = make_similar_pair(investigation)
    links.decide(link, actor=bob, decision="reject", expected_version=link.version)
    matching.match_claim(first.pk)
    matching.recompute(investigation)
    link.refresh_from_db()
    assert link.status == ClaimLink.Status.REJECTED
    assert ClaimLink.objects.count() == 1


def test_a_suggestion_goes_when_the_words_no_longer_match(investigation, erin):
    _first, second, link = make_similar_pair(investigation)
    source = second.source
    # The wire claim now quotes other words: the school, not the flood.
    start = source.text.index("A new school")
    marking.respan_claim(
        second, actor=erin, start=start, end=start + 33, expected_version=second.version
    )
    matching.match_claim(second.pk)
    assert not ClaimLink.objects.filter(pk=link.pk).exists()


def test_the_task_runs_on_commit_after_marking(investigation, django_capture_on_commit_callbacks):
    first_source = make_source(investigation)
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(first_source)
        wire = make_source(
            investigation,
            text="The council counted 1,150 flooded homes in Marrow yesterday.",
            title="Wire",
        )
        make_claim(wire, "The council counted 1,150 flooded homes in Marrow")
    assert ClaimLink.objects.count() == 1


def test_no_link_to_an_investigation_without_shared_members(investigation, carol):
    first_source = make_source(investigation)
    first = make_claim(first_source)
    elsewhere = make_investigation(slug="elsewhere", members=[(carol, Role.OWNER)])
    other = make_claim(
        make_source(elsewhere, text="The council counted 1,150 flooded homes in Marrow."),
        "The council counted 1,150 flooded homes in Marrow",
    )
    matching.match_claim(other.pk)
    matching.match_claim(first.pk)
    assert not ClaimLink.objects.exists()


def test_links_across_investigations_show_only_to_members_of_both(investigation, alice, bob):
    first = make_claim(make_source(investigation))
    mine = make_investigation(slug="alice-other", members=[(alice, Role.OWNER)])
    other = make_claim(
        make_source(mine, text="The council counted 1,150 flooded homes in Marrow."),
        "The council counted 1,150 flooded homes in Marrow",
    )
    matching.match_claim(other.pk)
    matching.match_claim(first.pk)
    link = ClaimLink.objects.get()
    assert not link.same_investigation
    assert [item.link for item in links.visible_links(first, alice)] == [link]
    # Bob is a member of the flood investigation only: he never learns of Alice's claim.
    assert links.visible_links(first, bob) == []


# -- Deciding ---------------------------------------------------------------------------------


def test_a_decision_is_recorded_on_both_claims(investigation, bob):
    first, second, link = make_similar_pair(investigation)
    links.decide(link, actor=bob, decision="same", expected_version=link.version)
    link.refresh_from_db()
    assert link.status == ClaimLink.Status.CONFIRMED_SAME
    assert link.decided_by == bob
    events = AuditEvent.objects.filter(action="link.confirmed_same")
    assert {event.claim_id for event in events} == {first.pk, second.pk}
    # The history shows the decision in words, not the stored value.
    (entry,) = history.describe_all(events.filter(claim=first))
    assert ("Status", "Suggested", "Confirmed: same claim") in [
        (change.field, change.before, change.after) for change in entry.changes
    ]


def test_a_match_whose_source_names_nobody_is_cited_without_a_name(investigation, bob):
    first, second, link = make_similar_pair(investigation, author="", publisher="Leaflet")
    Claim.objects.filter(pk=second.pk).update(speaker="")
    second.refresh_from_db()
    links.decide(link, actor=bob, decision="same", expected_version=link.version)
    citation = links.cite_testimony(link, first, actor=bob, stance=Stance.SUPPORTS)
    assert citation.note == "Confirmed as the same claim."


def test_a_stale_decision_is_refused(investigation, bob, rita):
    _first, _second, link = make_similar_pair(investigation)
    seen = link.version
    links.decide(link, actor=bob, decision="same", expected_version=seen)
    with pytest.raises(links.LinkChanged, match="bob"):
        links.decide(link, actor=rita, decision="reject", expected_version=seen)
    link.refresh_from_db()
    assert link.status == ClaimLink.Status.CONFIRMED_SAME


def test_independent_corroboration_counts_other_authors_and_publishers(investigation, bob):
    first, second, link = make_similar_pair(investigation)
    count = links.independent_count
    assert count(first, links.visible_links(first, bob)) == 0  # only suggested
    links.decide(link, actor=bob, decision="same", expected_version=link.version)
    assert count(first, links.visible_links(first, bob)) == 1
    from claims.listing.search import with_list_columns
    from claims.models import Claim

    annotated = with_list_columns(Claim.objects.filter(pk__in=[first.pk, second.pk]))
    assert {row.pk: row.independent_count for row in annotated} == {first.pk: 1, second.pk: 1}


def test_the_same_publisher_is_no_independent_corroboration(investigation, bob):
    flood = make_source(investigation, publisher="Example Wire", author="River desk")
    first, _second, link = make_similar_pair(investigation, first_source=flood)
    links.decide(link, actor=bob, decision="same", expected_version=link.version)
    assert links.independent_count(first, links.visible_links(first, bob)) == 0
    from claims.listing.search import with_list_columns
    from claims.models import Claim

    assert with_list_columns(Claim.objects.filter(pk=first.pk)).get().independent_count == 0


# -- Testimony as evidence --------------------------------------------------------------------


def test_a_confirmed_match_is_cited_as_testimony(investigation, bob):
    first, second, link = make_similar_pair(investigation)
    with pytest.raises(TransitionRefused):
        links.cite_testimony(link, first, actor=bob, stance=Stance.SUPPORTS)
    links.decide(link, actor=bob, decision="same", expected_version=link.version)
    citation = links.cite_testimony(link, first, actor=bob, stance=Stance.SUPPORTS)
    assert citation.evidence.testimony == second
    assert citation.excerpt == second.quote
    assert citation.evidence.title == "Testimony: Wire report"
    said_by = second.speaker or second.source.author
    assert citation.note == f"Confirmed as the same claim, as stated by {said_by}."
    with pytest.raises(AlreadyCited):
        links.cite_testimony(link, first, actor=bob, stance=Stance.SUPPORTS)


def test_a_claim_of_another_investigation_cannot_be_cited(investigation, alice):
    first = make_claim(make_source(investigation))
    mine = make_investigation(slug="alice-other", members=[(alice, Role.OWNER)])
    other = make_claim(
        make_source(mine, text="The council counted 1,150 flooded homes in Marrow."),
        "The council counted 1,150 flooded homes in Marrow",
    )
    matching.match_claim(other.pk)
    matching.match_claim(first.pk)
    link = ClaimLink.objects.get()
    links.decide(link, actor=alice, decision="same", expected_version=link.version)
    with pytest.raises(TransitionRefused, match="this investigation"):
        links.cite_testimony(link, first, actor=alice, stance=Stance.SUPPORTS)


# -- Commands -----------------------------------------------------------------------------------


def test_corroborate_lists_links_with_and_without_suggestions(investigation, bob):
    first, second, link = make_similar_pair(investigation)
    out = StringIO()
    call_command("corroborate", investigation=investigation.slug, stdout=out)
    assert json.loads(out.getvalue())["similar"] == []
    out = StringIO()
    call_command(
        "corroborate", investigation=investigation.slug, include_suggestions=True, stdout=out
    )
    (pair,) = json.loads(out.getvalue())["similar"]
    assert pair["relation"] == "same"
    assert {claim["quote"] for claim in pair["claims"]} == {first.quote, second.quote}
    links.decide(link, actor=bob, decision="contradicts", expected_version=link.version)
    out = StringIO()
    call_command("corroborate", investigation=investigation.slug, format="table", stdout=out)
    assert "contradicts (confirmed_contradicts" in out.getvalue()


def test_find_similar_recomputes_an_investigation(investigation):
    _first, _second, _link = make_similar_pair(investigation)
    ClaimLink.objects.all().delete()
    ClaimToken.objects.all().delete()
    out = StringIO()
    call_command("find_similar", investigation=investigation.slug, stdout=out)
    assert ClaimLink.objects.count() == 1
    assert "suggested or updated" in out.getvalue()


def test_find_similar_refuses_an_unknown_investigation(db):
    with pytest.raises(CommandError, match="No investigation"):
        call_command("find_similar", investigation="nope")


# -- The rules hold for every door -----------------------------------------------------------


@pytest.mark.parametrize("who", ["victor", "carol"])  # a viewer, an outsider
def test_only_a_reviewer_of_the_investigation_decides_whatever_the_door(
    investigation, who, request
):
    actor = request.getfixturevalue(who)
    _first, _second, link = make_similar_pair(investigation)
    with pytest.raises(TransitionRefused, match="role"):
        links.decide(link, actor=actor, decision="same", expected_version=link.version)
    link.refresh_from_db()
    assert link.status == ClaimLink.Status.SUGGESTED
    assert not AuditEvent.objects.filter(action__startswith="link.").exists()


@pytest.mark.parametrize("decision", ["maybe", "", "confirmed_same", "\x00"])
def test_a_decision_the_form_never_offers_is_refused(investigation, bob, decision):
    _first, _second, link = make_similar_pair(investigation)
    with pytest.raises(TransitionRefused):
        links.decide(link, actor=bob, decision=decision, expected_version=link.version)
    link.refresh_from_db()
    assert link.status == ClaimLink.Status.SUGGESTED


def test_testimony_is_cited_only_on_an_end_of_the_link_with_a_real_stance(
    investigation, bob, victor
):
    first, _second, link = make_similar_pair(investigation)
    links.decide(link, actor=bob, decision="same", expected_version=link.version)
    elsewhere = make_source(investigation, text="Rivers rose over the weekend.", title="Other")
    stranger = make_claim(elsewhere, "Rivers rose over the weekend.", actor=bob)
    with pytest.raises(TransitionRefused, match="does not involve"):
        links.cite_testimony(link, stranger, actor=bob, stance=Stance.SUPPORTS)
    with pytest.raises(TransitionRefused, match="bears"):
        links.cite_testimony(link, first, actor=bob, stance="agrees\x00")
    with pytest.raises(TransitionRefused, match="role"):
        links.cite_testimony(link, first, actor=victor, stance=Stance.SUPPORTS)
    assert not first.citations.exists()
