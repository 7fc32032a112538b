"""Retracting a citation (POST /citations/<id>/retract/) from the claim page."""

import pytest
from django.test import Client
from django.urls import reverse

from claims.evidence import citations
from claims.models import AuditEvent, ClaimEvidence, Membership

HTMX = {"HTTP_HX_REQUEST": "true"}


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def cited(claim, bob):
    return citations.cite_evidence(
        claim, actor=bob, stance="supports", url="https://example.org/gauge", title="Gauge data"
    )


def url(citation):
    return reverse("claims:citation-retract", args=[citation.pk])


def field(citation):
    return f"retract-{citation.pk}-reason"


def test_retracting_strikes_it_through_with_who_when_and_why(cited, erin, victor):
    response = login(erin).post(url(cited), {field(cited): "Wrong river."}, follow=True)
    assert "Citation retracted" in response.content.decode()
    cited.refresh_from_db()
    assert cited.retraction_reason == "Wrong river."
    page = login(victor).get(cited.claim.get_absolute_url()).content.decode()
    assert "<del>Gauge data</del>" in page
    assert "Retracted by erin" in page and "Wrong river." in page


def test_htmx_gets_the_evidence_panel_only(cited, bob):
    response = login(bob).post(url(cited), {field(cited): "Misread."}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'id="evidence-panel"' in body


def test_a_missing_reason_is_shown_and_nothing_is_saved(cited, erin):
    body = login(erin).post(url(cited), {field(cited): " "}, **HTMX).content.decode()
    assert "Say why" in body
    cited.refresh_from_db()
    assert cited.retracted_at is None


def test_a_reviewer_cannot_retract_someone_elses_citation(cited, rita):
    response = login(rita).post(url(cited), {field(cited): "Mine now."})
    assert response.status_code == 403
    cited.refresh_from_db()
    assert cited.retracted_at is None


def test_the_retract_form_is_offered_only_to_who_may_use_it(cited, bob, rita, erin):
    def offered(user):
        page = login(user).get(cited.claim.get_absolute_url()).content.decode()
        return url(cited) in page

    assert offered(bob) and offered(erin) and not offered(rita)


def test_the_same_post_twice_records_one_retraction(cited, erin):
    client = login(erin)
    client.post(url(cited), {field(cited): "Wrong river."})
    again = client.post(url(cited), {field(cited): "Wrong river."}, **HTMX).content.decode()
    assert "already retracted" in again
    assert AuditEvent.objects.filter(action="citation.retract").count() == 1
    assert ClaimEvidence.objects.filter(pk=cited.pk, retracted_at__isnull=False).count() == 1


def test_a_retracted_citation_is_not_in_the_evidence_the_verdict_rests_on(cited, bob, rita):
    claim = cited.claim
    kept = citations.cite_evidence(claim, actor=bob, stance="refutes", title="Insurer tally")
    login(bob).post(url(cited), {field(cited): "Misread."})
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
