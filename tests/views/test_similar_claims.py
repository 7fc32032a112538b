"""The claim page's "Similar claims" section and its decisions (views/similar_claims.py)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import AuditEvent, ClaimEvidence, ClaimLink, Role
from tests.factories import make_claim, make_investigation, make_similar_pair, make_source


@pytest.fixture
def pair(investigation):
    return make_similar_pair(investigation)


def _decide(client, link, claim, decision="same", version=None, **headers):
    return client.post(
        reverse("claims:link-decide", args=[link.pk]),
        {"decision": decision, "version": version or link.version, "claim": claim.pk},
        **headers,
    )


def test_the_claim_page_loads_the_section_lazily(client, victor, pair):
    first, second, _link = pair
    client.force_login(victor)
    page = client.get(first.get_absolute_url()).content.decode()
    assert reverse("claims:claim-similar", args=[first.pk]) in page
    section = client.get(reverse("claims:claim-similar", args=[first.pk]), HTTP_HX_REQUEST="true")
    html = section.content.decode()
    assert "<html" not in html
    assert second.quote in html
    assert "marrow" in html
    assert second.get_absolute_url() in html
    assert "Confirm same" not in html  # a viewer cannot decide


def test_the_section_has_a_small_query_budget(client, alice, pair):
    first, _, _ = pair
    client.force_login(alice)
    url = reverse("claims:claim-similar", args=[first.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url, HTTP_HX_REQUEST="true")
    assert len(captured) <= 5


def test_a_reviewer_confirms_and_it_shows_on_both_claims(client, bob, pair):
    first, second, link = pair
    client.force_login(bob)
    response = _decide(client, link, first, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Confirmed: same claim" in response.content.decode()
    assert "claimChanged" in response["HX-Trigger"]
    other = client.get(reverse("claims:claim-similar", args=[second.pk])).content.decode()
    assert "Confirmed: same claim" in other
    assert "Independent corroboration: 1" in other
    assert AuditEvent.objects.filter(action="link.confirmed_same").count() == 2


def test_a_plain_post_redirects_to_the_claim(client, bob, pair):
    first, _, link = pair
    client.force_login(bob)
    response = _decide(client, link, first, decision="reject")
    assert response.status_code == 302
    assert response.url == first.get_absolute_url()
    link.refresh_from_db()
    assert link.status == ClaimLink.Status.REJECTED


def test_a_viewer_cannot_decide(client, victor, pair):
    first, _, link = pair
    client.force_login(victor)
    assert _decide(client, link, first).status_code == 403
    link.refresh_from_db()
    assert link.status == ClaimLink.Status.SUGGESTED


def test_an_outsider_gets_404_on_another_investigations_link(client, carol, pair):
    first, _, link = pair
    make_investigation(slug="carols", members=[(carol, Role.OWNER)])
    client.force_login(carol)
    assert _decide(client, link, first).status_code == 404
    assert client.get(reverse("claims:claim-similar", args=[first.pk])).status_code == 404


def test_a_member_of_one_side_only_gets_404(client, alice, bob, investigation):
    first = make_claim(make_source(investigation))
    mine = make_investigation(slug="alice-other", members=[(alice, Role.OWNER)])
    other = make_claim(
        make_source(mine, text="The council counted 1,150 flooded homes in Marrow."),
        "The council counted 1,150 flooded homes in Marrow",
    )
    from claims.corroboration import matching

    matching.match_claim(other.pk)
    matching.match_claim(first.pk)
    link = ClaimLink.objects.get()
    client.force_login(bob)
    assert _decide(client, link, first).status_code == 404
    section = client.get(reverse("claims:claim-similar", args=[first.pk])).content.decode()
    assert other.quote not in section


def test_a_stale_version_shows_a_conflict(client, bob, rita, pair):
    first, _, link = pair
    seen = link.version
    client.force_login(rita)
    _decide(client, link, first, decision="reject", version=seen)
    client.force_login(bob)
    response = _decide(client, link, first, version=seen, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "someone decided first" in html
    assert "rita" in html
    link.refresh_from_db()
    assert link.status == ClaimLink.Status.REJECTED


def test_bad_input_is_answered_with_a_message(client, bob, pair):
    first, _, link = pair
    client.force_login(bob)
    response = client.post(
        reverse("claims:link-decide", args=[link.pk]),
        {"decision": "maybe", "version": link.version, "claim": first.pk},
        HTTP_HX_REQUEST="true",
    )
    assert "not understood" in response.content.decode()
    link.refresh_from_db()
    assert link.status == ClaimLink.Status.SUGGESTED


@pytest.mark.parametrize("claim_field", ["²", "x", "-1", "9" * 40, "\x00", ""])
@pytest.mark.parametrize("url_name", ["claims:link-decide", "claims:link-cite"])
def test_a_claim_field_a_form_never_offers_is_no_server_error(
    client, bob, pair, claim_field, url_name
):
    *_, link = pair
    client.force_login(bob)
    response = client.post(
        reverse(url_name, args=[link.pk]),
        {"decision": "same", "stance": "bogus", "version": "x", "claim": claim_field},
        HTTP_HX_REQUEST="true",
    )
    # Not a number: answered on the link's first claim; a number of neither claim: 404.
    assert response.status_code == (404 if claim_field == "9" * 40 else 200)
    link.refresh_from_db()
    assert link.status == ClaimLink.Status.SUGGESTED


@pytest.mark.django_db(transaction=True)
def test_the_same_post_twice_at_once_makes_one_decision(investigation, bob):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent requests need PostgreSQL")
    first, _, link = make_similar_pair(investigation)
    barrier = threading.Barrier(2)
    statuses = []

    def post():
        client = Client()
        client.force_login(bob)
        barrier.wait()
        statuses.append(_decide(client, link, first, HTTP_HX_REQUEST="true").content.decode())
        connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert AuditEvent.objects.filter(action="link.confirmed_same").count() == 2  # one per claim
    assert sum("someone decided first" in html for html in statuses) == 1


def test_the_same_post_twice_in_a_row_makes_one_decision(client, bob, pair):
    first, _, link = pair
    client.force_login(bob)
    _decide(client, link, first, HTTP_HX_REQUEST="true")
    second = _decide(client, link, first, HTTP_HX_REQUEST="true")
    assert "someone decided first" in second.content.decode()
    assert AuditEvent.objects.filter(action="link.confirmed_same").count() == 2


def test_a_confirmed_match_is_cited_and_appears_as_evidence(client, bob, pair):
    first, second, link = pair
    client.force_login(bob)
    _decide(client, link, first)
    url = reverse("claims:link-cite", args=[link.pk])
    response = client.post(url, {"stance": "supports", "claim": first.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == first.get_absolute_url()
    citation = ClaimEvidence.objects.get(claim=first)
    assert citation.evidence.testimony == second
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Testimony: Wire report" in page
    assert second.get_absolute_url() in page
    again = client.post(url, {"stance": "supports", "claim": first.pk}, HTTP_HX_REQUEST="true")
    assert "already cites" in again.content.decode()


def test_the_claim_list_filters_and_shows_corroboration(client, bob, investigation, pair):
    first, _second, link = pair
    client.force_login(bob)
    url = reverse("claims:claim-list", args=[investigation.slug])
    assert first.quote[:40] not in client.get(f"{url}?corroborated=yes").content.decode()
    _decide(client, link, first)
    html = client.get(f"{url}?corroborated=yes").content.decode()
    assert "Corroborated" in html
    assert first.quote[:40] in html
    assert first.quote[:40] not in client.get(f"{url}?corroborated=no").content.decode()
