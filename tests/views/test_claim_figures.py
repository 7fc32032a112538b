"""The claim page lines its numbers up with the same counts in other sources."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
