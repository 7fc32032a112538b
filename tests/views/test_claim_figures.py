"""The claim page lines its numbers up with the same counts in other sources."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_claim, make_source
from tests.views.test_query_budgets import BUDGET

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
    assert "quantity-measure" not in html and 'name="measure"' not in html
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
