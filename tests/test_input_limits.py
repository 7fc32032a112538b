"""Input at the limits: oversized bodies, binary text, deeply nested markup, long URLs."""

from django.test import Client
from django.urls import reverse

from claims.models import ClaimEvidence, Source


def _source_data(text, **extra):
    return {"title": "Edge case", "kind": "testimony", "language": "en", "text": text, **extra}


def test_oversized_body_is_refused_before_anything_is_saved(client, erin, investigation, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000
    client.force_login(erin)
    quiet = Client(raise_request_exception=False)
    quiet.force_login(erin)
    url = reverse("claims:source-create", args=[investigation.slug])
    response = quiet.post(url, _source_data("word " * 20_000))
    assert response.status_code == 400
    assert not Source.objects.exists()


def test_text_at_the_limit_is_accepted(client, erin, investigation, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000
    client.force_login(erin)
    url = reverse("claims:source-create", args=[investigation.slug])
    response = client.post(url, _source_data("word " * 9_000))
    assert response.status_code == 302
    assert Source.objects.count() == 1


def test_text_with_nul_bytes_is_refused_with_a_message(client, erin, investigation):
    client.force_login(erin)
    url = reverse("claims:source-create", args=[investigation.slug])
    response = client.post(url, _source_data("Before\x00after, binary\x01\x02 junk."))
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not Source.objects.exists()


def test_undecodable_bytes_become_text_not_an_error(client, erin, investigation):
    client.force_login(erin)
    url = reverse("claims:source-create", args=[investigation.slug])
    body = b"title=Bytes&kind=testimony&language=en&text=caf%E9+%FF%FE+bytes+that+are+not+UTF-8"
    response = client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert "\ufffd" in Source.objects.get().text


def test_deeply_nested_html_is_stored_as_text_and_shown_escaped(client, erin, investigation):
    client.force_login(erin)
    depth = 15_000  # about 165,000 characters: still extracted inside the request
    text = "Witness statement.\n\n" + "<div>" * depth + "about 300 people" + "</div>" * depth
    url = reverse("claims:source-create", args=[investigation.slug])
    response = client.post(url, _source_data(text))
    assert response.status_code == 302
    source = Source.objects.get()
    assert source.text == text
    page = client.get(source.get_absolute_url()).content.decode()
    assert page.count("&lt;div&gt;") >= depth
    assert page.count("<div>") < 10  # the layout's own, not the text's


def test_overlong_evidence_url_is_refused(client, bob, claim):
    client.force_login(bob)
    data = {
        "url": "https://example.org/" + "a" * 2100,
        "title": "Long",
        "stance": "supports",
        "reliability": "unrated",
    }
    response = client.post(reverse("claims:evidence-add", args=[claim.pk]), data)
    assert response.status_code == 200
    assert not ClaimEvidence.objects.exists()
