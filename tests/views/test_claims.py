import json

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import ClaimEvidence, Comment, Evidence, Membership, Verdict
from claims.review import reviews
from tests.factories import make_claim

HTMX = {"HTTP_HX_REQUEST": "true"}


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
    assert response.status_code == 200 and "<html" not in response.content.decode()
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
    assert "Sign off verdict" in page and "The count was 800." in page
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
    assert "Erin&#x27;s wording" in body  # the second person's input is kept
    assert "Alice&#x27;s wording" in body  # and the change that won is shown
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


def test_htmx_post_gets_the_panel_and_messages_header(client, bob, claim):
    client.force_login(bob)
    response = client.post(
        reverse("claims:comment-add", args=[claim.pk]), {"body": "Checked the map."}, **HTMX
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="comment-panel"')
    assert json.loads(response["HX-Trigger"])["messages"]["value"][0]["text"] == "Comment added."


def test_report_json_carries_signed_off_verdict(client, alice, bob, rita, claim):
    verdict = propose(claim, bob)
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=Membership.objects.get(user=rita))
    client.force_login(alice)
    response = client.get(reverse("claims:report-json", args=[claim.investigation.slug]))
    data = json.loads(b"".join(response.streaming_content))
    claims = data["sources"][0]["claims"]
    assert claims[0]["quote"] == claim.quote
    assert claims[0]["verdict"]["rating"] == "mostly_true"
    assert claims[0]["verdict"]["signed_off_by"] == "rita"
