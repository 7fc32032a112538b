from django.urls import reverse

from claims.models import Membership
from claims.review import reviews
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


def _assign(claims, user):
    from claims.models import Claim

    Claim.objects.filter(pk__in=[claim.pk for claim in claims]).update(assignee=user)


def test_queue_badge_is_exact_up_to_the_cap(client, monkeypatch, rita, investigation):
    from claims.listing import queues
    from tests.factories import make_many_claims

    monkeypatch.setattr(queues, "BADGE_CAP", 3)
    _assign(make_many_claims(investigation, 3), rita)
    client.force_login(rita)
    assert _queue_badge(client) == "3"


def test_queue_badge_says_more_than_the_cap(client, monkeypatch, rita, investigation):
    from claims.listing import queues
    from tests.factories import make_many_claims

    monkeypatch.setattr(queues, "BADGE_CAP", 3)
    _assign(make_many_claims(investigation, 5), rita)
    client.force_login(rita)
    assert _queue_badge(client) == "3+"
    # Each count stops reading after cap + 1 rows.
    [membership] = queues.memberships_with_counts(rita)
    assert membership.assigned == 4


def test_queue_badge_passes_the_cap_on_a_sum_of_small_counts(
    client, monkeypatch, bob, rita, investigation
):
    from claims.listing import queues
    from tests.factories import make_many_claims

    monkeypatch.setattr(queues, "BADGE_CAP", 3)
    claims = make_many_claims(investigation, 4)
    _assign(claims[:2], rita)
    for claim in claims[2:]:
        reviews.propose_verdict(
            claim,
            proposer=bob,
            membership=Membership.objects.get(user=bob),
            rating="true",
            rationale="Seen.",
        )
    client.force_login(rita)
    assert _queue_badge(client) == "3+"


def test_queue_page_shows_the_first_rows_and_a_capped_count(
    client, monkeypatch, rita, investigation
):
    from claims.listing import queues
    from tests.factories import make_many_claims

    monkeypatch.setattr(queues, "BADGE_CAP", 3)
    _assign(make_many_claims(investigation, 5), rita)
    client.force_login(rita)
    body = client.get(reverse("claims:queue")).content.decode()
    assigned = body.split('id="assigned-heading"', 1)[1].split("</section>", 1)[0]
    assert '<span class="count">3+</span>' in assigned
    assert assigned.count("<tr><td><a href=") == 3
    assert "Showing the first 3" in assigned
    per_investigation = body.split('id="per-investigation-heading"', 1)[1].split("</table>")[0]
    assert '<td class="num" data-label="Assigned to me">3+</td>' in per_investigation
