from django.urls import reverse

from claims import reviews
from claims.models import Membership
from tests.factories import make_claim


def _queue_badge(client):
    body = client.get(reverse("claims:investigation-list")).content.decode()
    return body.split('class="count" aria-label="', 1)[1].split(" ", 1)[0]


def test_top_bar_counts_assigned_claims_and_verdicts_awaiting_sign_off(client, bob, rita, source):
    client.force_login(rita)
    assert _queue_badge(client) == "0"
    claim = make_claim(source)
    claim.assignee = rita
    claim.save()
    assert _queue_badge(client) == "1"
    other = make_claim(source, "at least 14 people had died")
    reviews.propose_verdict(
        other,
        proposer=bob,
        membership=Membership.objects.get(user=bob),
        rating="true",
        rationale="The coroner's list.",
    )
    assert _queue_badge(client) == "2"
    client.force_login(bob)  # his own proposal is not his to sign off
    assert _queue_badge(client) == "0"
