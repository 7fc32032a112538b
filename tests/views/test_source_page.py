"""The source page: the reader, marking words as a claim, accepting suggestions, the original."""

import pytest
from django.conf import settings
from django.urls import reverse

from claims.models import Claim
from claims.sources import importing, marking
from tests.clients import HTMX
from tests.factories import make_claim, make_source

# A hostile upload: were it rendered in the workbench's origin, its script would run there.
HOSTILE_HTML = b"<html><body><script>alert(document.cookie)</script><p>Witness says so.</p>"


@pytest.fixture
def imported(investigation, erin):
    return importing.import_file(
        investigation,
        actor=erin,
        filename="witness page.html",
        data=HOSTILE_HTML,
        run_extraction=False,
    )


def original_url(source):
    return reverse("claims:source-original", args=[source.pk])


def test_reader_escapes_source_text(client, alice, investigation):
    from tests.factories import make_source

    source = make_source(investigation, text="Payload <script>alert(1)</script> & more text.")
    client.force_login(alice)
    body = client.get(source.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_reader_highlights_claims(client, alice, claim):
    client.force_login(alice)
    body = client.get(claim.source.get_absolute_url()).content.decode()
    assert f'data-claims="{claim.pk}"' in body
    assert f'id="claim-card-{claim.pk}"' in body


def test_mark_claim_by_quote_without_javascript(client, bob, source):
    client.force_login(bob)
    response = client.post(
        reverse("claims:claim-mark", args=[source.pk]),
        {"quote": "at least 14 people had died", "attribution": "government"},
    )
    assert response.status_code == 302
    claim = Claim.objects.get(source=source)
    assert source.text[claim.start : claim.end] == "at least 14 people had died"
    assert claim.created_by == bob
    assert [q.value for q in claim.quantities.all()] == [14]


def test_mark_claim_by_offsets_checks_the_words(client, bob, source):
    client.force_login(bob)
    start = source.text.index("The river rose")
    url = reverse("claims:claim-mark", args=[source.pk])
    bad = client.post(url, {"start": start, "end": start + 14, "quote": "The river fell"}, **HTMX)
    assert "do not match" in bad.content.decode()
    assert not Claim.objects.exists()
    good = client.post(url, {"start": start, "end": start + 14, "quote": "The river rose"}, **HTMX)
    assert good.status_code == 200
    assert "<html" not in good.content.decode()
    assert Claim.objects.get().quote == "The river rose"
    assert "claimChanged" in good["HX-Trigger"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"quote": "words that are not there"}, "do not appear"),
        ({"quote": ""}, "Select words"),
        ({"start": 5, "end": 999999}, "not a span"),
    ],
)
def test_mark_claim_bad_input_shows_message_and_saves_nothing(client, bob, source, data, message):
    client.force_login(bob)
    response = client.post(
        reverse("claims:claim-mark", args=[source.pk]), {"attribution": "unknown", **data}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Claim.objects.exists()


def test_marking_the_same_words_twice_is_refused(client, bob, claim):
    client.force_login(bob)
    response = client.post(
        reverse("claims:claim-mark", args=[claim.source.pk]),
        {"quote": claim.quote, "attribution": "unknown"},
    )
    assert "already a claim" in response.content.decode()
    assert Claim.objects.count() == 1


def test_accepting_a_suggestion_from_the_reader(client, bob, source):
    suggestion = make_claim(source, "The river rose by 3.2 metres overnight")
    Claim.objects.filter(pk=suggestion.pk).update(status="suggested")
    client.force_login(bob)
    response = client.post(
        reverse("claims:claim-transition", args=[suggestion.pk]),
        {"transition": "accept", "from_status": "suggested", "next": "source"},
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "open"


@pytest.mark.parametrize("count", [5, 50])
def test_reader_query_count_does_not_grow(
    client, alice, investigation, count, django_assert_max_num_queries
):
    from tests.factories import make_source

    text = " ".join(f"Sentence {i} says {i * 10} people came." for i in range(count))
    source = make_source(investigation, text=text)
    for i in range(count):
        make_claim(source, f"Sentence {i} says {i * 10} people came.")
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        assert client.get(source.get_absolute_url()).status_code == 200


def test_a_member_downloads_the_original_only_as_a_sandboxed_attachment(client, victor, imported):
    client.force_login(victor)
    response = client.get(original_url(imported))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "witness_page.html" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy
    assert b"".join(response.streaming_content) == HOSTILE_HTML


def test_the_source_page_offers_its_original(client, victor, imported):
    client.force_login(victor)
    page = client.get(imported.get_absolute_url()).content.decode()
    assert f'href="{original_url(imported)}"' in page


def test_the_original_is_for_members_only(client, carol, imported):
    assert client.get(original_url(imported)).url.startswith(reverse("login"))
    client.force_login(carol)
    assert client.get(original_url(imported)).status_code == 404


def test_a_typed_source_has_no_original(client, victor, source):
    client.force_login(victor)
    assert client.get(original_url(source)).status_code == 404
    assert "Download the original" not in client.get(source.get_absolute_url()).content.decode()


def test_the_original_cannot_be_posted_to(client, victor, imported):
    client.force_login(victor)
    assert client.post(original_url(imported)).status_code == 405


def test_the_admin_links_stored_files_through_the_members_only_views(admin_client, imported):
    page = admin_client.get(reverse("admin:claims_source_change", args=[imported.pk]))
    body = page.content.decode()
    assert settings.MEDIA_URL not in body
    assert original_url(imported) in body


def test_marking_half_a_flag_marks_the_whole_flag(client, bob, investigation):
    flag = "\U0001f1fa\U0001f1e6"
    source = make_source(investigation, text=f"The crowd waved {flag} flags at noon.")
    client.force_login(bob)
    start = source.text.index(flag) + 1  # between the two regional indicators
    url = reverse("claims:claim-mark", args=[source.pk])
    response = client.post(url, {"start": start, "end": start + 7, "attribution": "unknown"})
    assert response.status_code == 302
    assert Claim.objects.get().quote == f"{flag} flags"


def test_marking_up_to_a_combining_accent_keeps_the_accent(bob, investigation):
    source = make_source(investigation, text="They met at the cafe\u0301 on Main Street.")
    start = source.text.index("the cafe")
    claim = marking.mark_claim(source, actor=bob, start=start, end=start + 8)
    assert claim.quote == "the cafe\u0301"
