"""The move form (POST /claims/<id>/move/): buttons of the status panel, and what it refuses."""

import pytest
from django.urls import reverse

from claims.models import AuditEvent, Claim, ClaimStatus, Verdict
from tests.factories import make_many_claims

HTMX = {"HTTP_HX_REQUEST": "true"}


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


def test_bulk_move_to_a_verdict_step_is_refused(client, bob, investigation):
    claims = make_many_claims(investigation, 3)
    client.force_login(bob)
    url = reverse("claims:claim-bulk", args=[investigation.slug])
    for name in ("propose", "sign_off"):
        data = {
            "claims": [c.pk for c in claims],
            "action": "move",
            "transition": name,
            "confirmed": "on",
        }
        response = client.post(url, data)
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert set(Claim.objects.values_list("status", flat=True)) == {ClaimStatus.OPEN}
