"""The claim list: filters in the URL, htmx fragments, bulk changes with a confirmation."""

import html
import json
import re

import pytest
from django.urls import reverse

from claims.models import AuditEvent, Claim, ClaimStatus
from tests.clients import HTMX
from tests.factories import make_many_claims


@pytest.fixture
def many(investigation):
    return make_many_claims(investigation, 60)


def url(investigation, **params):
    base = reverse("claims:claim-list", args=[investigation.slug])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_list_pages_by_fifty_and_keeps_filters_in_page_links(client, victor, investigation, many):
    client.force_login(victor)
    body = client.get(url(investigation, has_numbers="yes")).content.decode()
    assert "60 claims match the filters · page 1 of 2" in body
    assert body.count("data-claim-row") == 50
    assert "has_numbers=yes&amp;page=2" in body
    assert "Take" not in body
    assert 'form="bulk-form"' not in body


def test_htmx_filtering_returns_the_table_only_and_varies_on_htmx(htmx, bob, investigation, many):
    htmx.force_login(bob)
    response = htmx.get(url(investigation, q="item 7"))
    body = response.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith('<section id="claim-table"')
    assert "HX-Request" in response["Vary"]
    assert "Item 7: 9 boats sank." in body
    assert "Item 8:" not in body


def test_history_restore_gets_the_whole_page(client, bob, investigation, many):
    client.force_login(bob)
    headers = {**HTMX, "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
    assert "<html" in client.get(url(investigation, q="item"), **headers).content.decode()


def test_bad_filter_values_are_ignored_not_fatal(client, bob, investigation, many):
    client.force_login(bob)
    response = client.get(url(investigation, status="nonsense", page="zzz", sort="drop"))
    assert response.status_code == 200
    assert "60 claims" in response.content.decode()


def test_take_from_the_list_returns_the_row(htmx, bob, investigation, many):
    htmx.force_login(bob)
    claim = many[3]
    response = htmx.post(
        reverse("claims:claim-assign", args=[claim.pk]),
        {"assignee": "me", "seen": "", "from": "list", "next": url(investigation)},
    )
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="claim-row-{claim.pk}"')
    assert ">bob<" in body
    assert json.loads(response["HX-Trigger"])["messages"]["value"][0]["text"] == (
        "Claim assigned to you."
    )
    claim.refresh_from_db()
    assert claim.assignee.username == "bob"


def test_take_without_javascript_redirects_back_to_the_filtered_list(
    client, bob, investigation, many
):
    client.force_login(bob)
    back = url(investigation, q="boats")
    response = client.post(
        reverse("claims:claim-assign", args=[many[0].pk]),
        {"assignee": "me", "seen": "", "from": "list", "next": back},
    )
    assert response.status_code == 302
    assert response.url == back


@pytest.mark.parametrize(
    "hostile",
    [
        "https://elsewhere.test/",
        "//elsewhere.test/x",
        "javascript:alert(1)",
        "/claims/\x00",
        "\x00",
    ],
)
def test_take_never_sends_the_user_off_the_site(client, bob, investigation, many, hostile):
    client.force_login(bob)
    claim = many[1]
    response = client.post(
        reverse("claims:claim-assign", args=[claim.pk]),
        {"assignee": "me", "seen": "", "from": "list", "next": hostile},
    )
    assert response.status_code == 302
    assert response.url == claim.get_absolute_url()
    claim.refresh_from_db()
    assert claim.assignee == bob


def test_bulk_change_asks_first_then_applies_and_counts(client, erin, bob, investigation, many):
    client.force_login(erin)
    bulk_url = reverse("claims:claim-bulk", args=[investigation.slug])
    Claim.objects.filter(pk=many[0].pk).update(status=ClaimStatus.DISMISSED)
    data = {
        "claims": [c.pk for c in many[:12]],
        "action": "move",
        "transition": "start_review",
        "next": url(investigation),
    }
    confirm = client.post(bulk_url, data).content.decode()
    assert "Start review: 12 claims?" in confirm
    assert "1 of them cannot take this move" in confirm
    assert not Claim.objects.filter(status=ClaimStatus.IN_REVIEW).exists()  # nothing yet
    response = client.post(bulk_url, {**data, "confirmed": "on"}, follow=True)
    body = response.content.decode()
    assert "Start review: 11 claims: done. 1 not changed." in body
    assert Claim.objects.filter(status=ClaimStatus.IN_REVIEW).count() == 11
    assert AuditEvent.objects.filter(action="claim.start_review").count() == 11


def test_bulk_move_none_can_take_offers_no_confirm_and_the_server_refuses_it(
    client, erin, investigation, many
):
    client.force_login(erin)
    bulk_url = reverse("claims:claim-bulk", args=[investigation.slug])
    chosen = many[:3]
    Claim.objects.filter(pk__in=[c.pk for c in chosen]).update(status=ClaimStatus.DISMISSED)
    data = {
        "claims": [c.pk for c in chosen],
        "action": "move",
        "transition": "start_review",
        "next": url(investigation),
    }
    confirm = client.post(bulk_url, data, **HTMX).content.decode()
    assert "None of the 3 selected claims can take this move" in confirm
    assert "Confirm:" not in confirm
    assert 'name="confirmed"' not in confirm
    # A confirmation sent anyway (an old form, a crafted post) changes nothing.
    events = AuditEvent.objects.count()
    response = client.post(bulk_url, {**data, "confirmed": "on"}, **HTMX)
    assert "0 claims changed" in response.content.decode()
    assert set(Claim.objects.filter(pk__in=data["claims"]).values_list("status", flat=True)) == {
        ClaimStatus.DISMISSED
    }
    assert AuditEvent.objects.count() == events


def test_bulk_assign_with_htmx_renders_the_result_and_refreshes_the_table(
    client, erin, bob, investigation, many
):
    client.force_login(erin)
    bulk_url = reverse("claims:claim-bulk", args=[investigation.slug])
    data = {"claims": [c.pk for c in many[:3]], "action": "assign", "assignee": bob.pk}
    assert "Assign 3 claims to bob?" in client.post(bulk_url, data, **HTMX).content.decode()
    response = client.post(bulk_url, {**data, "confirmed": "on"}, **HTMX)
    assert "3 claims changed" in response.content.decode()
    assert "claimsChanged" in json.loads(response["HX-Trigger"])
    assert Claim.objects.filter(assignee=bob).count() == 3


def test_bulk_ignores_claims_of_other_investigations_and_needs_a_selection(
    client, erin, investigation, many
):
    from tests.factories import make_investigation

    other = make_investigation(slug="other", members=[(erin, "editor")])
    foreign = make_many_claims(other, 1)[0]
    client.force_login(erin)
    bulk_url = reverse("claims:claim-bulk", args=[investigation.slug])
    response = client.post(bulk_url, {"claims": [foreign.pk], "action": "tag", "tag": "x"})
    assert "Select at least one claim" in response.content.decode() or (
        "Select a valid choice" in response.content.decode()
    )
    assert not foreign.tags.exists()


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


def test_long_lists_say_more_than_the_cap_and_count_no_further(
    client, monkeypatch, victor, investigation, many
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from claims.views import claim_list as claim_views

    monkeypatch.setattr(claim_views, "CLAIM_COUNT_CAP", 20)
    monkeypatch.setattr(claim_views, "CLAIMS_PER_PAGE", 5)
    client.force_login(victor)
    with CaptureQueriesContext(connection) as captured:
        body = client.get(url(investigation)).content.decode()
    assert "More than 20 claims · page 1 of 5+" in body
    assert body.count("data-claim-row") == 5
    assert "page=2" in body
    assert "Page 1 of 5+" in body
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(*)" in q["sql"].upper()]
    [capped] = [sql for sql in counts if "LIMIT 21" in sql]
    # The count reads claims alone: a join to their sources (an annotation's OuterRef left it
    # there once) made PostgreSQL read every claim instead of walking an index.
    assert "claims_source" not in capped.split("WHERE")[0], capped


def test_a_page_past_the_cap_is_reached_and_counted_one_page_further(
    client, monkeypatch, victor, investigation, many
):
    from claims.views import claim_list as claim_views

    monkeypatch.setattr(claim_views, "CLAIM_COUNT_CAP", 20)
    monkeypatch.setattr(claim_views, "CLAIMS_PER_PAGE", 5)
    client.force_login(victor)
    body = client.get(url(investigation, page=8)).content.decode()
    assert "More than 45 claims · page 8 of 10+" in body
    assert "Item 35: 37 boats sank." in body
    assert "Item 40:" not in body
    assert "page=9" in body
    last = client.get(url(investigation, page=12)).content.decode()
    assert "60 claims · page 12 of 12" in last
    assert 'rel="next"' not in last


def test_short_lists_are_counted_exactly_under_the_cap(
    client, monkeypatch, victor, investigation, many
):
    from claims.views import claim_list as claim_views

    monkeypatch.setattr(claim_views, "CLAIM_COUNT_CAP", 60)
    client.force_login(victor)
    assert "60 claims · page 1 of 2<" in client.get(url(investigation)).content.decode()


def test_speaker_filter_offers_each_speaker_once(client, bob, investigation, many):
    from claims.listing import search

    Claim.objects.filter(pk__in=[c.pk for c in many[:3]]).update(speaker="Zed")
    Claim.objects.filter(pk__in=[c.pk for c in many[3:5]]).update(speaker="amina")
    assert sorted(search.speakers(investigation)) == ["Zed", "amina"]
    client.force_login(bob)
    body = client.get(url(investigation, speaker="Zed")).content.decode()
    assert '<option value="Zed" selected>Zed</option>' in body
    assert '<option value="amina">amina</option>' in body
    assert "3 claims match the filters" in body


def test_the_source_filter_lists_the_newest_sources_and_keeps_an_older_choice(
    client, monkeypatch, bob, investigation
):
    from claims.views import claim_list as claim_views
    from tests.factories import make_claim, make_source

    monkeypatch.setattr(claim_views, "SOURCE_CHOICES_CAP", 2)
    oldest, middle, newest = (
        make_source(investigation, title=title) for title in ("Oldest", "Middle", "Newest")
    )
    make_claim(oldest)
    client.force_login(bob)

    body = client.get(url(investigation)).content.decode()
    assert f'<option value="{newest.pk}">Newest</option>' in body
    assert f'<option value="{middle.pk}">Middle</option>' in body
    assert ">Oldest</option>" not in body
    assert "The 2 newest sources." in body
    # The select names the help text that explains the cap, for screen readers.
    [described_by] = re.findall(r'<select name="source"[^>]*aria-describedby="([^"]+)"', body)
    assert f'<p class="help" id="{described_by}">The 2 newest sources.' in body

    # Chosen from its own page, an older source filters the list and stays selected.
    source_page = client.get(reverse("claims:source-detail", args=[oldest.pk])).content.decode()
    link = f"{url(investigation)}?source={oldest.pk}&amp;status=all"
    assert link in source_page
    body = client.get(url(investigation, source=oldest.pk, status="all")).content.decode()
    assert f'<option value="{oldest.pk}" selected>Oldest</option>' in body
    assert "1 claim matches the filters" in body


def test_source_titles_in_the_filter_are_escaped(client, bob, investigation):
    from tests.factories import make_source

    title = '<b>"Bold"</b> & co'
    source = make_source(investigation, title=title)
    client.force_login(bob)
    body = client.get(url(investigation)).content.decode()
    [select] = re.findall(r'<select name="source".*?</select>', body, re.S)
    labels = re.findall(rf'<option value="{source.pk}">([^<]*)</option>', select)
    assert [html.unescape(label) for label in labels] == [title], labels
    assert "<b>" not in body
