"""The queue page: assignments, verdicts awaiting sign-off, mentions; marking mentions read."""

from django.urls import reverse

from claims.models import Membership
from claims.review import mentions, reviews


def member(user):
    return Membership.objects.get(user=user)


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
