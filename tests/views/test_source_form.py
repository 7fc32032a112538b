"""Adding a source by pasting its text (GET/POST /i/<slug>/sources/new/)."""

from django.urls import reverse

from claims.models import Source


def test_editor_adds_a_source_and_gets_suggestions(client, erin, investigation):
    client.force_login(erin)
    text = (
        "Election count in Dunmore\n\nThe electoral commission said 48,210 ballots were "
        "counted by midnight. Turnout was 61 percent, up from 55 percent in 2021.\r\n"
        "What a night it was!"
    )
    response = client.post(
        reverse("claims:source-create", args=[investigation.slug]),
        {"title": "Count night", "kind": "article", "text": text, "language": "en"},
    )
    source = Source.objects.get(title="Count night")
    assert response.status_code == 302
    assert response.url == source.get_absolute_url()
    assert "\r" not in source.text
    assert source.claims.filter(status="suggested").exists()


def test_a_source_from_old_print_with_the_long_s_is_added(client, erin, investigation):
    # OCR of old print keeps the long s; the engine once raised KeyError on it (a 500 here).
    client.force_login(erin)
    text = "The Fire of 1666\n\nHundreds of thouſands of Londoners fled as 13,200 houſes burned."
    response = client.post(
        reverse("claims:source-create", args=[investigation.slug]),
        {"title": "Old print", "kind": "article", "text": text, "language": "en"},
    )
    source = Source.objects.get(title="Old print")
    assert response.status_code == 302
    assert response.url == source.get_absolute_url()
    suggestion = source.claims.get(status="suggested")
    assert sorted(q.value for q in suggestion.quantities.all()) == [13200, 100000]


def test_bad_source_input_is_shown_and_kept(client, erin, investigation):
    client.force_login(erin)
    response = client.post(
        reverse("claims:source-create", args=[investigation.slug]),
        {"title": "Kept title", "kind": "article", "text": "   ", "origin_url": "not a url"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The text is empty." in body
    assert 'value="Kept title"' in body
    assert not Source.objects.filter(title="Kept title").exists()
