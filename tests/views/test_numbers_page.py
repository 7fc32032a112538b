"""The numbers page: each measure's figures across sources, with chart, table and verdict."""

import pytest
from django.urls import reverse

from claims.models import ClaimStatus, Quantity
from tests.factories import make_claim, make_figure_sources, make_investigation, make_source


def numbers_url(investigation):
    return reverse("claims:investigation-numbers", args=[investigation.slug])


@pytest.fixture
def figures(investigation, bob):
    return make_figure_sources(investigation, bob)


def test_member_sees_each_measure_with_verdict_chart_and_table(
    client, victor, investigation, figures
):
    client.force_login(victor)
    response = client.get(numbers_url(investigation))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Numbers across sources" in page
    assert "Detained" in page
    assert "Rose over time: from Nearly 6,000 (Wire, 9 Jan 2022) to 9,900" in page
    assert page.count('role="img"') == 2 * 2  # two measures, a wide and a narrow chart each
    assert "<desc>Rose over time" in page
    assert "5,400–6,000" in page
    assert "238 or more" in page
    ministry, _ = figures
    assert reverse("claims:source-detail", args=[ministry.pk]) in page
    claim = ministry.claims.get(quote__startswith="The interior")
    assert claim.get_absolute_url() in page
    assert "style=" not in page


def test_anonymous_is_sent_to_log_in(client, investigation):
    response = client.get(numbers_url(investigation))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_outsider_gets_404(client, carol, investigation, figures):
    client.force_login(carol)
    assert client.get(numbers_url(investigation)).status_code == 404


def test_post_is_not_allowed(client, victor, investigation):
    client.force_login(victor)
    assert client.post(numbers_url(investigation)).status_code == 405


def test_suggested_claims_only_with_the_toggle(client, victor, investigation, figures):
    _, wire = figures
    claim = make_claim(wire, "Tens of thousands marched.")
    claim.status = ClaimStatus.SUGGESTED
    claim.save()
    client.force_login(victor)
    assert "Crowd size" not in client.get(numbers_url(investigation)).content.decode()
    page = client.get(numbers_url(investigation) + "?suggested=on").content.decode()
    assert "Crowd size" in page
    assert "Suggested" in page
    assert 'name="suggested" id="id_suggested" checked' in page
    # Anything else is "no", never an error.
    assert (
        "Crowd size" not in client.get(numbers_url(investigation) + "?suggested=").content.decode()
    )


def test_empty_state_says_what_to_do(client, victor, investigation):
    client.force_login(victor)
    page = client.get(numbers_url(investigation)).content.decode()
    assert "No numbers to compare yet." in page
    assert "include suggested claims" in page
    assert "<svg" not in page


def test_a_hostile_source_title_is_escaped(client, victor, investigation, bob):
    source = make_source(
        investigation, text="Police said 300 people were detained.", title="<script>x</script>"
    )
    make_claim(source, "Police said 300 people were detained.", bob)
    client.force_login(victor)
    page = client.get(numbers_url(investigation)).content.decode()
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page


def test_every_statement_is_listed_even_one_far_off(client, victor, investigation, figures):
    Quantity.objects.filter(text="9,900").update(value=9_900_000, low=None, high=None)
    client.force_login(victor)
    page = client.get(numbers_url(investigation)).content.decode()
    assert "9,900,000" in page
    assert "Nearly 6,000" in page


def test_the_investigation_and_claim_pages_link_here(client, victor, investigation, figures):
    client.force_login(victor)
    url = numbers_url(investigation)
    assert url in client.get(investigation.get_absolute_url()).content.decode()
    ministry, _ = figures
    claim = ministry.claims.get(quote__startswith="The interior")
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "See all numbers across sources" in page
    assert url in page


def test_another_investigations_figures_stay_out(client, victor, investigation, figures, carol):
    other = make_investigation(slug="other", members=[(carol, "owner")])
    source = make_source(other, text="Police said 777 people were detained.", title="Other")
    make_claim(source, "Police said 777 people were detained.", carol)
    client.force_login(victor)
    assert "777" not in client.get(numbers_url(investigation)).content.decode()


def test_a_long_measure_is_paged_and_every_figure_reachable(
    client, victor, investigation, figures, monkeypatch
):
    monkeypatch.setattr("claims.views.numbers.FIGURES_PER_PAGE", 1)
    client.force_login(victor)
    url = numbers_url(investigation)
    page = client.get(url).content.decode()
    assert "Figures 1–1 of 2, oldest first; the verdict counts all 2." in page
    assert "?measure=detained&amp;page=2" in page
    assert "Rose over time" in page  # the verdict still counts both figures
    second = client.get(url + "?measure=detained&page=2").content.decode()
    assert "9,900" in second
    assert "Nearly 6,000</th>" not in second.replace("”", "")
    assert "Page 2 of 2" in second
    assert "Killed" not in second  # one measure only
    # Out of range or unreadable pages fall back to a page that exists.
    assert "Page 2 of 2" in client.get(url + "?measure=detained&page=99").content.decode()
    assert "Page 1 of 2" in client.get(url + "?measure=detained&page=x").content.decode()
    assert "Killed" in client.get(url + "?measure=nonsense").content.decode()
