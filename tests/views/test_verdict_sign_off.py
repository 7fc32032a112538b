"""Sign-off (POST /verdicts/<id>/sign-off/) bound to what the signer read, and the claim page
in the states around it: signed off with its SHA-256, changed since sign-off, signed again."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from claims.evidence import citations
from claims.models import ClaimStatus, Membership, Verdict
from claims.review import editing, reviews

HTMX = {"HTTP_HX_REQUEST": "true"}


def member(user):
    return Membership.objects.get(user=user)


def login(user):
    client = Client()
    client.force_login(user)
    return client


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
    assert "context" in table and "refutes" in table
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
