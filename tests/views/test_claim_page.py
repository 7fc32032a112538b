"""The claim page and every action that answers with it or one of its panels."""

# GET /claims/<id>/ and its panels; edits, evidence, citations (edit, retract), the move
# form, triage, verdicts, comments, figures.

import html
import json
import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.evidence import citations
from claims.evidence.citations import cite_evidence
from claims.models import (
    AuditEvent,
    Claim,
    ClaimEvidence,
    ClaimStatus,
    Comment,
    Evidence,
    Membership,
    Verdict,
)
from claims.review import editing, reviews
from tests.clients import HTMX
from tests.factories import make_claim, make_source
from tests.views.test_query_budgets import BUDGET

# Claim page basics: the quote in context, evidence, verdicts, edits, comments.


def propose(claim, user):
    return reviews.propose_verdict(
        claim,
        proposer=user,
        membership=Membership.objects.get(user=user),
        rating="mostly_true",
        rationale="Ministry figures agree within 5%.",
    )


def test_claim_page_shows_quote_in_context_and_numbers(client, victor, claim):
    client.force_login(victor)
    body = client.get(claim.get_absolute_url()).content.decode()
    assert claim.quote in body
    assert "overnight and" in body  # context before the quote
    assert "≈ 1,200" in body
    assert "Propose a verdict" not in body  # viewers read only


def test_claim_page_fragment_for_htmx_has_no_layout(client, alice, claim):
    client.force_login(alice)
    response = client.get(claim.get_absolute_url(), **HTMX)
    assert "<html" in response.content.decode()  # a GET of the page is always the full page


def test_evidence_is_added_and_deduplicated_by_url(client, bob, source, claim):
    other = make_claim(source, "at least 14 people had died")
    client.force_login(bob)
    data = {
        "url": "https://News.example.org/a?utm_source=x#top",
        "title": "Report",
        "stance": "supports",
        "reliability": "reliable",
    }
    client.post(reverse("claims:evidence-add", args=[claim.pk]), data)
    data["url"] = "https://news.example.org/a"
    response = client.post(reverse("claims:evidence-add", args=[other.pk]), data, **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert Evidence.objects.count() == 1
    assert ClaimEvidence.objects.count() == 2


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://example.org/x",
        "not a url",
        "http://example.org:99999/",
        "http://example.org/a\\b",
    ],
)
def test_evidence_with_bad_url_is_refused(client, bob, claim, url):
    client.force_login(bob)
    response = client.post(
        reverse("claims:evidence-add", args=[claim.pk]),
        {"url": url, "title": "Kept", "stance": "refutes", "reliability": "unrated"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Kept"' in body
    assert not Evidence.objects.exists()


def test_verdict_needs_a_rationale(client, bob, claim):
    client.force_login(bob)
    response = client.post(
        reverse("claims:verdict-propose", args=[claim.pk]), {"rating": "true", "rationale": "  "}
    )
    assert "rationale is required" in response.content.decode()
    assert not Verdict.objects.exists()


def test_four_eyes_through_the_pages(client, bob, rita, claim):
    client.force_login(bob)
    client.post(
        reverse("claims:verdict-propose", args=[claim.pk]),
        {"rating": "false", "rationale": "The count was 800."},
    )
    verdict = Verdict.objects.get()
    # What the sign-off form carries: the version and the digest of what the page shows.
    seen = {"version": 1, "content_sha256": reviews.current_sha256(claim, verdict)}
    own = client.post(reverse("claims:verdict-sign-off", args=[verdict.pk]), seen)
    assert "another reviewer must sign it off" in own.content.decode()
    verdict.refresh_from_db()
    assert verdict.status == "proposed"

    client.force_login(rita)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Sign off verdict" in page
    assert "The count was 800." in page
    response = client.post(reverse("claims:verdict-sign-off", args=[verdict.pk]), seen)
    assert response.status_code == 302
    verdict.refresh_from_db()
    claim.refresh_from_db()
    assert verdict.signed_off_by == rita
    assert claim.status == "verified"


def test_conflicting_edits_keep_the_second_persons_text(alice, erin, claim):
    first, second = Client(), Client()
    first.force_login(alice)
    second.force_login(erin)
    url = reverse("claims:claim-edit", args=[claim.pk])
    base = {"speaker": "", "attribution": "reporter", "version": claim.version}
    assert first.post(url, {**base, "statement": "Alice's wording"}).status_code == 302
    response = second.post(url, {**base, "statement": "Erin's wording"})
    body = response.content.decode()
    assert "alice saved this while you were editing" in body
    assert "Erin&#39;s wording" in body  # the second person's input is kept
    assert "Alice&#39;s wording" in body  # and the change that won is shown
    assert '<th scope="row">Statement as checked</th>' in body
    claim.refresh_from_db()
    assert claim.statement == "Alice's wording"


def test_comments_are_escaped(client, bob, claim):
    client.force_login(bob)
    client.post(
        reverse("claims:comment-add", args=[claim.pk]), {"body": "<img src=x onerror=alert(1)>"}
    )
    assert Comment.objects.count() == 1
    body = client.get(claim.get_absolute_url()).content.decode()
    assert "<img src=x onerror" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


def test_htmx_post_gets_the_panel_and_messages_header(htmx, bob, claim):
    htmx.force_login(bob)
    response = htmx.post(
        reverse("claims:comment-add", args=[claim.pk]), {"body": "Checked the map."}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="comment-panel"')
    assert json.loads(response["HX-Trigger"])["messages"]["value"][0]["text"] == "Comment added."


# Claim-page actions (assign, priority, tags, citations, verdicts) and two people at once.


def member(user):
    return Membership.objects.get(user=user)


def two(first_user, second_user):
    first, second = Client(), Client()
    first.force_login(first_user)
    second.force_login(second_user)
    return first, second


def test_two_people_edit_one_citation_and_the_second_sees_the_first(claim, bob, rita):
    citation = cite_evidence(claim, actor=bob, stance="supports", title="Gauge data")
    first, second = two(bob, rita)
    url = reverse("claims:citation-edit", args=[citation.pk])
    prefix = f"citation-{citation.pk}-"
    base = {prefix + "version": citation.version, prefix + "excerpt": ""}
    ok = first.post(url, {**base, prefix + "stance": "refutes", prefix + "note": "Bob's note"})
    assert ok.status_code == 302
    response = second.post(
        url, {**base, prefix + "stance": "context", prefix + "note": "Rita&#x27;s note"}, **HTMX
    )
    body = response.content.decode()
    assert "bob saved this while you were editing" in body
    assert "Bob&#39;s note" in body
    assert "Refutes" in body
    assert "Rita&amp;#x27;s note" in body  # what she typed, kept (escaped)
    citation.refresh_from_db()
    assert (citation.stance, citation.note) == ("refutes", "Bob's note")


def test_two_reviewers_propose_at_once_and_the_second_is_told(claim, bob, rita):
    first, second = two(bob, rita)
    url = reverse("claims:verdict-propose", args=[claim.pk])
    assert first.post(url, {"rating": "true", "rationale": "Bob's", "replaces": 0}).status_code
    response = second.post(url, {"rating": "false", "rationale": "Rita's reasons", "replaces": 0})
    body = response.content.decode()
    assert "Another verdict was proposed while you were writing" in body
    assert "Rita's reasons" in html.unescape(body)  # kept
    assert "Bob's" in html.unescape(body)  # the verdict now current is shown
    [verdict] = Verdict.objects.all()
    assert verdict.proposed_by == bob
    # Having seen it, Rita may replace it on purpose.
    again = second.post(
        url, {"rating": "false", "rationale": "Rita's reasons", "replaces": verdict.pk}
    )
    assert again.status_code == 302
    assert Verdict.objects.get(status="proposed").proposed_by.username == "rita"


def test_sign_off_and_send_back_at_once_only_one_wins(claim, bob, rita, erin):
    verdict = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="Seen."
    )
    first, second = two(rita, erin)
    seen = {"version": verdict.version, "content_sha256": reviews.current_sha256(claim, verdict)}
    assert (
        first.post(reverse("claims:verdict-sign-off", args=[verdict.pk]), seen).status_code == 302
    )
    response = second.post(
        reverse("claims:verdict-send-back", args=[verdict.pk]),
        {"version": verdict.version, "comment": "Needs a map"},
    )
    body = response.content.decode()
    assert "this verdict is now signed off" in body
    assert "Needs a map" in body
    verdict.refresh_from_db()
    assert verdict.status == "signed_off"


def test_sign_off_panel_shows_rationale_and_the_evidence_it_rests_on(client, claim, bob, rita):
    cite_evidence(claim, actor=bob, stance="refutes", title="Insurer tally")
    reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="false", rationale="Tally says 800."
    )
    client.force_login(rita)
    body = client.get(claim.get_absolute_url()).content.decode()
    assert "Tally says 800." in body
    assert "The evidence it rests on" in body
    assert "Insurer tally" in body
    assert "Sign off verdict" in body
    assert "Send back with a comment" in body


def test_assign_priority_and_tags_from_the_claim_page(client, claim, erin, rita):
    client.force_login(erin)
    client.post(reverse("claims:claim-assign", args=[claim.pk]), {"assignee": rita.pk, "seen": ""})
    client.post(reverse("claims:claim-priority", args=[claim.pk]), {"priority": 2, "seen": 1})
    response = client.post(reverse("claims:claim-tag", args=[claim.pk]), {"add": "flood"}, **HTMX)
    assert response.content.decode().lstrip().startswith('<section id="triage-panel"')
    claim.refresh_from_db()
    assert (claim.assignee, claim.priority) == (rita, 2)
    assert list(claim.tags.values_list("name", flat=True)) == ["flood"]
    history = client.get(claim.get_absolute_url()).content.decode()
    assert "changed the assignee" in history
    assert "changed the priority" in history


def test_stale_assignment_is_refused_with_who_has_it(client, claim, erin, alice, rita, bob):
    alice_client, erin_client = two(alice, erin)
    alice_client.post(
        reverse("claims:claim-assign", args=[claim.pk]), {"assignee": rita.pk, "seen": ""}
    )
    response = erin_client.post(
        reverse("claims:claim-assign", args=[claim.pk]), {"assignee": bob.pk, "seen": ""}
    )
    assert "now with rita" in response.content.decode()


def test_reviewer_sees_assign_to_me_and_no_priority_form(client, claim, bob):
    client.force_login(bob)
    body = client.get(claim.get_absolute_url()).content.decode()
    assert "Assign to me" in body
    assert "Set priority" not in body


@pytest.mark.parametrize("role_user", ["victor"])
def test_viewer_sees_no_actions(client, claim, role_user, request):
    client.force_login(request.getfixturevalue(role_user))
    body = client.get(claim.get_absolute_url()).content.decode()
    for action in ("Assign to me", "Add tag", "Comment</button>", "/assign/", "Start review"):
        assert action not in body


# The move form (POST /claims/<id>/move/): buttons of the status panel, and what it refuses.


def move(client, claim, name, from_status, **extra):
    url = reverse("claims:claim-transition", args=[claim.pk])
    return client.post(url, {"transition": name, "from_status": from_status}, **extra)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_a_reviewer_cannot_verify_a_claim_by_moving_it(client, bob, claim, headers):
    client.force_login(bob)
    first = move(client, claim, "propose", "open", **headers)
    assert first.status_code == 200
    assert "Verdict panel" in first.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.OPEN
    # Even naming the status a proposal would have led to:
    second = move(client, claim, "sign_off", "verdict_proposed", **headers)
    assert second.status_code == 200
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.VERDICT_PROPOSED)
    third = move(client, claim, "sign_off", "verdict_proposed", **headers)
    body = third.content.decode()
    assert "Only a second reviewer can sign off" in body
    if headers:
        assert "<html" not in body  # the status panel alone
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERDICT_PROPOSED
    assert not Verdict.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["claim.propose", "claim.sign_off"]).exists()


def test_send_back_without_its_comment_is_refused(client, rita, claim):
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.VERDICT_PROPOSED)
    client.force_login(rita)
    body = move(client, claim, "send_back", "verdict_proposed").content.decode()
    assert "with a comment" in body
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERDICT_PROPOSED


def test_an_unknown_move_is_refused(client, bob, claim):
    client.force_login(bob)
    body = move(client, claim, "publish", "open").content.decode()
    assert "Unknown action" in body
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.OPEN


def test_an_ordinary_move_still_works(client, bob, claim):
    client.force_login(bob)
    response = move(client, claim, "start_review", "open")
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW


# Retracting a citation (POST /citations/<id>/retract/) from the claim page.


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def cited(claim, bob):
    return citations.cite_evidence(
        claim, actor=bob, stance="supports", url="https://example.org/gauge", title="Gauge data"
    )


def retract_url(citation):
    return reverse("claims:citation-retract", args=[citation.pk])


def field(citation):
    return f"retract-{citation.pk}-reason"


def test_retracting_strikes_it_through_with_who_when_and_why(cited, erin, victor):
    response = login(erin).post(retract_url(cited), {field(cited): "Wrong river."}, follow=True)
    assert "Citation retracted" in response.content.decode()
    cited.refresh_from_db()
    assert cited.retraction_reason == "Wrong river."
    page = login(victor).get(cited.claim.get_absolute_url()).content.decode()
    assert "<del>Gauge data</del>" in page
    assert "Retracted by erin" in page
    assert "Wrong river." in page


def test_htmx_gets_the_evidence_panel_only(cited, bob):
    response = login(bob).post(retract_url(cited), {field(cited): "Misread."}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="evidence-panel"' in body


def test_a_missing_reason_is_shown_and_nothing_is_saved(cited, erin):
    body = login(erin).post(retract_url(cited), {field(cited): " "}, **HTMX).content.decode()
    assert "Say why" in body
    cited.refresh_from_db()
    assert cited.retracted_at is None


def test_a_reviewer_cannot_retract_someone_elses_citation(cited, rita):
    response = login(rita).post(retract_url(cited), {field(cited): "Mine now."})
    assert response.status_code == 403
    cited.refresh_from_db()
    assert cited.retracted_at is None


def test_the_retract_form_is_offered_only_to_who_may_use_it(cited, bob, rita, erin):
    def offered(user):
        page = login(user).get(cited.claim.get_absolute_url()).content.decode()
        return retract_url(cited) in page

    assert offered(bob)
    assert offered(erin)
    assert not offered(rita)


def test_the_same_post_twice_records_one_retraction(cited, erin):
    client = login(erin)
    client.post(retract_url(cited), {field(cited): "Wrong river."})
    again = client.post(retract_url(cited), {field(cited): "Wrong river."}, **HTMX).content.decode()
    assert "already retracted" in again
    assert AuditEvent.objects.filter(action="citation.retract").count() == 1
    assert ClaimEvidence.objects.filter(pk=cited.pk, retracted_at__isnull=False).count() == 1


def test_a_retracted_citation_is_not_in_the_evidence_the_verdict_rests_on(cited, bob, rita):
    claim = cited.claim
    kept = citations.cite_evidence(claim, actor=bob, stance="refutes", title="Insurer tally")
    login(bob).post(retract_url(cited), {field(cited): "Misread."})
    from claims.review import reviews

    reviews.propose_verdict(
        claim,
        proposer=bob,
        membership=Membership.objects.get(user=bob),
        rating="false",
        rationale="Tally.",
    )
    page = login(rita).get(claim.get_absolute_url()).content.decode()
    rests_on = page.split("The evidence it rests on", 1)[1].split("</ul>", 1)[0]
    assert kept.evidence.title in rests_on
    assert "Gauge data" not in rests_on


# Sign-off (POST /verdicts/<id>/sign-off/) bound to what the signer read, and the claim page
# in the states around it: signed off with its SHA-256, changed since sign-off, signed again.


def sign_off_data(page_html):
    """The hidden fields of the sign-off form as the claim page served them."""
    form = re.search(r'action="/verdicts/\d+/sign-off/".*?</form>', page_html, re.S).group(0)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    fields.pop("csrfmiddlewaretoken", None)
    return fields


@pytest.fixture
def proposed(claim, bob):
    citation = citations.cite_evidence(
        claim,
        actor=bob,
        stance="context",
        url="https://example.org/gauge",
        title="Gauge data",
        excerpt="The river rose 3.2 m.",
    )
    verdict = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="Gauge agrees."
    )
    return claim, citation, verdict


def test_the_form_carries_the_digest_of_what_the_page_shows(proposed, rita):
    claim, _, verdict = proposed
    data = sign_off_data(login(rita).get(claim.get_absolute_url()).content.decode())
    assert data == {
        "version": str(verdict.version),
        "content_sha256": reviews.current_sha256(claim, verdict),
    }


def test_sign_off_is_refused_when_evidence_changed_while_the_page_was_read(proposed, rita, erin):
    claim, citation, verdict = proposed
    client = login(rita)
    data = sign_off_data(client.get(claim.get_absolute_url()).content.decode())
    editing.edit_citation(
        citation, actor=erin, expected_version=1, stance="refutes", excerpt="", note=""
    )
    url = reverse("claims:verdict-sign-off", args=[verdict.pk])
    response = client.post(url, data, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "changed while you were reading" in body
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PROPOSED
    # The panel now carries the new digest: signing what is shown now works.
    fresh = sign_off_data(body)
    assert fresh["content_sha256"] == reviews.current_sha256(claim, verdict)
    assert client.post(url, fresh).status_code == 302
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.SIGNED_OFF


def test_a_sign_off_without_the_digest_is_refused(proposed, rita):
    _, _, verdict = proposed
    url = reverse("claims:verdict-sign-off", args=[verdict.pk])
    body = login(rita).post(url, {"version": verdict.version}).content.decode()
    assert "Reload the claim" in body
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PROPOSED


def test_the_page_shows_the_sign_off_sha256(proposed, rita, victor):
    claim, _, verdict = proposed
    client = login(rita)
    client.post(
        reverse("claims:verdict-sign-off", args=[verdict.pk]),
        sign_off_data(client.get(claim.get_absolute_url()).content.decode()),
    )
    verdict.refresh_from_db()
    body = login(victor).get(claim.get_absolute_url()).content.decode()
    assert verdict.signed_sha256[:12] in body
    assert verdict.signed_sha256 in body  # in full, for copying


def test_a_citation_edited_on_a_verified_claim_shows_what_changed(proposed, rita, erin, alice):
    claim, citation, verdict = proposed
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita))
    url = reverse("claims:citation-edit", args=[citation.pk])
    prefix = f"citation-{citation.pk}-"
    response = login(erin).post(
        url,
        {
            prefix + "version": 1,
            prefix + "stance": "refutes",
            prefix + "excerpt": citation.excerpt,
            prefix + "note": "",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Citation saved" in body
    assert "the verdict needs a new sign-off" in body
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SIGN_OFF_VOID
    page = login(alice).get(claim.get_absolute_url()).content.decode()
    assert "Changed since sign-off" in page
    table = re.search(r'<table class="table compact drift".*?</table>', page, re.S).group(0)
    assert "Evidence: https://example.org/gauge" in table
    assert "context" in table
    assert "refutes" in table
    assert "Sign-off voided" in page  # the old verdict stays in the history
    assert "Sign off verdict" in page  # alice may sign off the change


def test_the_person_who_changed_it_is_told_to_ask_someone_else(proposed, rita, erin):
    claim, citation, verdict = proposed
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita))
    editing.edit_citation(
        citation, actor=erin, expected_version=1, stance="refutes", excerpt="", note=""
    )
    page = login(erin).get(claim.get_absolute_url()).content.decode()
    assert "You made the change" in page
    again = reviews.current_verdict(claim)
    data = {"version": again.version, "content_sha256": reviews.current_sha256(claim, again)}
    body = login(erin).post(reverse("claims:verdict-sign-off", args=[again.pk]), data)
    assert "another reviewer" in body.content.decode()
    again.refresh_from_db()
    assert again.status == Verdict.Status.PROPOSED


# The claim page lines its numbers up with the same counts in other sources.


MINISTRY = "The interior ministry said 9,900 people had been detained."


WIRE = "Nearly 6,000 people had been detained by Sunday. Police arrested 10,000 people."


@pytest.fixture
def ministry_claim(investigation, bob):
    ministry = make_source(
        investigation, text=MINISTRY, title="Ministry", published_on=date(2022, 1, 12)
    )
    wire = make_source(investigation, text=WIRE, title="Wire", published_on=date(2022, 1, 9))
    make_claim(wire, "Nearly 6,000 people had been detained by Sunday.", bob)
    make_claim(wire, "Police arrested 10,000 people.", bob, speaker="Police")
    return make_claim(ministry, MINISTRY, bob, speaker="Interior ministry")


def test_it_shows_which_figures_agree_and_which_differ(client, alice, ministry_claim):
    client.force_login(alice)
    response = client.get(ministry_claim.get_absolute_url())
    html = response.content.decode()
    assert "The same counts in other sources" in html
    assert "Nearly 6,000 (Second-hand / unknown, Wire, 9 Jan 2022) <strong>differs</strong>" in html
    # "10,000" exactly is not 9,900.
    assert "10,000 (Police, Wire, 9 Jan 2022) <strong>differs</strong>" in html
    assert "Detained" in html


def test_a_figure_within_the_hedge_agrees(client, alice, investigation, bob, ministry_claim):
    other = make_source(investigation, text="About 10,000 people were detained.", title="Testimony")
    make_claim(other, "About 10,000 people were detained.", bob)
    client.force_login(alice)
    html = client.get(ministry_claim.get_absolute_url()).content.decode()
    assert "About 10,000 (Second-hand / unknown, Testimony) <strong>agrees</strong>" in html


def test_a_claim_with_no_comparable_numbers_shows_no_row(client, alice, claim):
    client.force_login(alice)
    response = client.get(claim.get_absolute_url())
    assert "The same counts in other sources" not in response.content.decode()


def test_the_row_stays_within_the_claim_page_budget(client, alice, ministry_claim):
    client.force_login(alice)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(ministry_claim.get_absolute_url())
    assert response.status_code == 200
    assert len(captured) <= BUDGET


def test_a_reviewer_sets_what_a_number_counts(client, bob, ministry_claim):
    quantity = ministry_claim.quantities.get()
    client.force_login(bob)
    url = reverse("claims:quantity-measure", args=[quantity.pk])
    response = client.post(url, {"measure": "injured"})
    assert response.status_code == 302
    quantity.refresh_from_db()
    assert (quantity.measure, quantity.measure_set_by_reviewer) == ("injured", True)


def test_htmx_gets_the_summary_fragment(client, bob, ministry_claim):
    quantity = ministry_claim.quantities.get()
    client.force_login(bob)
    url = reverse("claims:quantity-measure", args=[quantity.pk])
    response = client.post(url, {"measure": "crowd"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="claim-summary"' in html
    assert '<option value="crowd" selected>' in html


def test_an_unknown_measure_is_refused_and_nothing_saved(client, bob, ministry_claim):
    quantity = ministry_claim.quantities.get()
    client.force_login(bob)
    url = reverse("claims:quantity-measure", args=[quantity.pk])
    response = client.post(url, {"measure": "votes"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Choose what the number counts" in response.content.decode()
    quantity.refresh_from_db()
    assert quantity.measure == "detained"


def test_a_viewer_sees_the_measure_but_no_control(client, victor, ministry_claim):
    client.force_login(victor)
    html = client.get(ministry_claim.get_absolute_url()).content.decode()
    assert "Detained" in html
    assert "quantity-measure" not in html
    assert 'name="measure"' not in html
    url = reverse("claims:quantity-measure", args=[ministry_claim.quantities.get().pk])
    assert client.post(url, {"measure": "crowd"}).status_code == 403


def test_an_outsider_gets_404(client, carol, ministry_claim):
    client.force_login(carol)
    url = reverse("claims:quantity-measure", args=[ministry_claim.quantities.get().pk])
    assert client.post(url, {"measure": "crowd"}).status_code == 404


def test_get_is_not_allowed(client, bob, ministry_claim):
    client.force_login(bob)
    url = reverse("claims:quantity-measure", args=[ministry_claim.quantities.get().pk])
    assert client.get(url).status_code == 405


# Closed boxes: the claim and citation edit and retract forms are fetched when opened.


def _box_urls(claim, citation):
    return [
        reverse("claims:claim-edit", args=[claim.pk]),
        reverse("claims:citation-edit", args=[citation.pk]),
        reverse("claims:citation-retract", args=[citation.pk]),
    ]


def test_the_page_draws_closed_boxes_that_fetch_their_forms_when_opened(client, erin, claim, bob):
    citation = cite_evidence(claim, actor=bob, stance="supports", title="Flood report")
    client.force_login(erin)
    body = client.get(claim.get_absolute_url()).content.decode()
    for url in _box_urls(claim, citation):
        # htmx fetches the form on the first toggle; the plain link works without JavaScript.
        assert f'hx-get="{url}" hx-trigger="toggle once"' in body
        assert f'<a href="{url}">Open the form</a>' in body
    # None of the three forms is drawn until asked for.
    assert 'name="statement"' not in body
    assert f'name="citation-{citation.pk}-stance"' not in body
    assert f'name="retract-{citation.pk}-reason"' not in body


def test_an_opened_box_gets_the_form_alone_with_the_values_as_they_are_now(
    client, erin, claim, bob
):
    client.force_login(erin)
    client.get(claim.get_absolute_url())  # the page as loaded before someone else's edit
    editing.edit_claim(
        claim,
        actor=bob,
        expected_version=claim.version,
        statement="Bob's <b>new</b> wording",
        speaker="Mayor",
        attribution="government",
    )
    claim.refresh_from_db()
    url = reverse("claims:claim-edit", args=[claim.pk])
    form = client.get(url, **HTMX).content.decode()
    assert form.lstrip().startswith("<form")
    assert "<html" not in form
    assert "&lt;b&gt;new&lt;/b&gt; wording</textarea>" in form
    assert f'name="version" value="{claim.version}"' in form
    assert 'hx-target="#claim-summary"' in form
    # Saved from the box, it goes through as from the page that drew the form before.
    response = client.post(
        url,
        {
            "statement": "Erin's wording",
            "speaker": "Mayor",
            "attribution": "witness",
            "version": claim.version,
        },
        **HTMX,
    )
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.statement == "Erin's wording"


def test_without_javascript_a_boxs_link_opens_the_form_on_a_page_that_posts_plainly(
    client, erin, claim, bob
):
    citation = cite_evidence(claim, actor=bob, stance="supports", title="<i>Flood</i> report")
    client.force_login(erin)
    for url in _box_urls(claim, citation):
        page = client.get(url).content.decode()
        assert "<html" in page
        assert 'aria-label="Breadcrumb"' in page
        # htmx is off around the form: it posts as a plain form and gets the claim page back.
        assert re.search(r"<div hx-disable>\s*<form method=\"post\" action=\"" + url, page)
        assert "<i>Flood</i>" not in page
    response = client.post(
        reverse("claims:citation-retract", args=[citation.pk]),
        {f"retract-{citation.pk}-reason": "Wrong flood."},
    )
    assert response.status_code == 302
    citation.refresh_from_db()
    assert citation.retracted_at is not None


def test_a_form_sent_back_with_errors_is_drawn_in_place_open(htmx, erin, claim, bob):
    citation = cite_evidence(claim, actor=bob, stance="supports", title="Flood report")
    htmx.force_login(erin)
    url = reverse("claims:citation-retract", args=[citation.pk])
    panel = htmx.post(url, {f"retract-{citation.pk}-reason": ""}).content.decode()
    assert f'name="retract-{citation.pk}-reason"' in panel
    assert "Say why the citation is retracted." in panel
    box = panel[panel.index("<summary>Retract citation") - 200 :]
    assert '<details class="edit" open>' in box[:250]
    assert f'hx-get="{url}"' not in panel


def test_a_retracted_citation_offers_no_boxes(client, erin, claim, bob):
    citation = cite_evidence(claim, actor=bob, stance="supports", title="Flood report")
    citations.retract_citation(
        citation, actor=erin, membership=Membership.objects.get(user=erin), reason="Wrong."
    )
    client.force_login(erin)
    body = client.get(claim.get_absolute_url()).content.decode()
    assert reverse("claims:citation-edit", args=[citation.pk]) not in body
    assert reverse("claims:citation-retract", args=[citation.pk]) not in body
    # Asked for anyway (a page loaded before the retraction), the box says why it has no form.
    for name in ("claims:citation-edit", "claims:citation-retract"):
        answer = client.get(reverse(name, args=[citation.pk]), **HTMX).content.decode()
        assert "This citation was retracted" in answer
        assert "<form" not in answer
