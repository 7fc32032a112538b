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


def test_a_long_source_says_extraction_is_running_then_what_it_found(
    client, erin, investigation, settings, django_capture_on_commit_callbacks
):
    # Long texts are read by the worker: right after adding, nothing is proposed yet, and
    # "0 sentences proposed" would read as "nothing worth checking here".
    from tests.clients import HTMX

    settings.EXTRACTION_INLINE_MAX_CHARS = 50
    client.force_login(erin)
    text = "The commission said 48,210 ballots were counted by midnight. " * 3
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("claims:source-create", args=[investigation.slug]),
            {"title": "Long count", "kind": "article", "text": text, "language": "en"},
            follow=True,
        )
    page = response.content.decode()
    assert "Source added. Claim extraction is running" in page
    assert "0 sentences" not in page
    assert "Waiting for the worker" in page  # the polled progress note

    source = Source.objects.get(title="Long count")
    for callback in callbacks:  # the immediate task backend runs the task when enqueued
        callback()
    status = client.get(reverse("claims:source-extraction-status", args=[source.pk]), **HTMX)
    assert status["HX-Refresh"] == "true"
    found = source.claims.filter(status="suggested").count()
    assert found
    page = client.get(source.get_absolute_url()).content.decode()
    plural = "s" if found != 1 else ""
    assert f"Claim extraction finished: {found} sentence{plural} proposed as claims" in page


def test_a_short_source_says_how_many_sentences_were_proposed(client, erin, investigation):
    client.force_login(erin)
    response = client.post(
        reverse("claims:source-create", args=[investigation.slug]),
        {"title": "Short", "kind": "article", "text": "Turnout was 61 percent.", "language": "en"},
        follow=True,
    )
    assert "Source added. 1 sentence proposed as claims" in response.content.decode()
