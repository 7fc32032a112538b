"""The collection log of a cited page, in the claim page or on its own."""

import pytest
from django.urls import reverse

from claims.evidence import capture, citations
from tests.clients import HTMX
from tests.pages import ARTICLE_HTML, Page


@pytest.fixture
def article(pages):
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())
    return pages.url("/article")


def test_the_collection_log_loads_when_opened(
    client, victor, claim, bob, pages, django_capture_on_commit_callbacks
):
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())
    with django_capture_on_commit_callbacks(execute=True):
        citation = capture.cite_and_capture(
            claim, actor=bob, url=pages.url("/article"), stance="supports"
        )
    capture.recheck(citation.evidence, operator_name="<b>cron</b>")
    client.force_login(victor)
    log_url = reverse("claims:citation-log", args=[citation.pk])
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Collection log (2)" in page
    assert f'hx-get="{log_url}" hx-trigger="toggle once"' in page
    assert f'<a href="{log_url}">Open the collection log</a>' in page  # without JavaScript
    assert "last re-check" in page
    assert "Unchanged" in page
    assert "SHA-256 kept" not in page  # the table itself is not on the page
    fragment = client.get(log_url, **HTMX)
    body = fragment.content.decode()
    assert "HX-Request" in fragment["Vary"]
    assert "<html" not in body
    assert body.lstrip().startswith(f'<div id="collection-log-{citation.pk}"')
    assert "Capture" in body
    assert "Re-check" in body
    assert "Unchanged" in body
    assert "&lt;b&gt;cron&lt;/b&gt;" in body
    full = client.get(log_url).content.decode()
    assert "<html" in full
    assert "&lt;b&gt;cron&lt;/b&gt;" in full
    assert f"{claim.get_absolute_url()}#evidence-{citation.pk}" in full


def test_the_collection_log_is_for_members_only(client, carol, claim, bob):
    citation = citations.cite_evidence(claim, actor=bob, stance="supports", title="Leaflet")
    client.force_login(carol)
    assert client.get(reverse("claims:citation-log", args=[citation.pk])).status_code == 404
