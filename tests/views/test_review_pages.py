"""Claim-page actions (assign, priority, tags, citations, verdicts) and two people at once."""

import pytest
from django.test import Client
from django.urls import reverse

from claims.evidence.citations import cite_evidence
from claims.models import Membership, Verdict
from claims.review import mentions, reviews

HTMX = {"HTTP_HX_REQUEST": "true"}


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
    assert "Bob&#x27;s note" in body and "Refutes" in body  # what changed
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
    assert "Rita&#x27;s reasons" in body  # kept
    assert "Bob&#x27;s" in body  # the verdict now current is shown
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
    assert "this verdict is now signed off" in body and "Needs a map" in body
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
    assert "The evidence it rests on" in body and "Insurer tally" in body
    assert "Sign off verdict" in body and "Send back with a comment" in body


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
    assert "changed the assignee" in history and "changed the priority" in history


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
    assert "Assign to me" in body and "Set priority" not in body


@pytest.mark.parametrize("role_user", ["victor"])
def test_viewer_sees_no_actions(client, claim, role_user, request):
    client.force_login(request.getfixturevalue(role_user))
    body = client.get(claim.get_absolute_url()).content.decode()
    for action in ("Assign to me", "Add tag", "Comment</button>", "/assign/", "Start review"):
        assert action not in body


def test_comment_with_mention_says_who_was_told(client, claim, bob, rita):
    client.force_login(bob)
    response = client.post(
        reverse("claims:comment-add", args=[claim.pk]), {"body": "@rita have a look"}, follow=True
    )
    assert "rita will find it in their queue" in response.content.decode()
    client.force_login(rita)
    queue = client.get(reverse("claims:queue")).content.decode()
    assert "@rita have a look" in queue
    client.post(reverse("claims:mentions-read"))
    assert "@rita have a look" not in client.get(reverse("claims:queue")).content.decode()


def test_queue_lists_assigned_awaiting_and_mentions_with_counts(client, claim, bob, rita, erin):
    reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="Seen."
    )
    mentions.add_comment(claim, author=erin, body="@rita over to you")
    client.force_login(rita)
    body = client.get(reverse("claims:queue")).content.decode()
    assert 'Verdicts waiting for my sign-off <span class="count">1</span>' in body
    assert 'Mentions <span class="count">1</span>' in body
    assert 'aria-label="2 items"' in body  # the top bar counts the same rows


def test_activity_feed_pages_newest_first(client, victor, claim, bob):
    for i in range(55):
        mentions.add_comment(claim, author=bob, body=f"note {i}")
    client.force_login(victor)
    url = reverse("claims:activity", args=[claim.investigation.slug])
    first = client.get(url).content.decode()
    assert "note 54" in first and "note 0<" not in first
    assert "Page 1 of 2" in first
    assert "note 0" in client.get(url + "?page=2").content.decode()


def test_dashboard_counts_by_status_and_verdict(client, victor, claim, bob):
    reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="mixed", rationale="Seen."
    )
    client.force_login(victor)
    body = client.get(claim.investigation.get_absolute_url()).content.decode()
    assert "0 of 1</strong> claims verified" in body
    assert "Verdict proposed" in body and ">Mixed<" in body
    assert "proposed a verdict" in body
