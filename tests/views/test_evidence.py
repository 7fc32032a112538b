"""A claim's evidence items: archive-and-cite, the polled item, retry, the archived download."""

import gzip
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.evidence import capture, citations
from claims.models import ClaimEvidence, Snapshot
from tests.clients import HTMX
from tests.pages import ARTICLE_HTML, Page


def capture_url(claim):
    return reverse("claims:evidence-capture", args=[claim.pk])


@pytest.fixture
def article(pages):
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())
    return pages.url("/article")


def _stuck_capture(claim, bob, pages, age):
    """A capture a worker took and then died on: still "running", started `age` ago."""
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())
    citation = capture.cite_and_capture(
        claim, actor=bob, url=pages.url("/article"), stance="supports"
    )
    Snapshot.objects.update(status="running", started_at=timezone.now() - age)
    return citation


def test_pasting_a_link_cites_and_archives_it(
    client, bob, claim, article, django_capture_on_commit_callbacks
):
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            capture_url(claim), {"capture-url": article, "capture-stance": "supports"}
        )
    assert response.status_code == 302
    page = client.get(claim.get_absolute_url()).content.decode()
    snapshot = Snapshot.objects.get()
    assert "Archived" in page
    assert snapshot.sha256 in page
    assert "Water levels on the Vessa" in page  # the title, from the page's metadata
    assert "Mara Quist" in page
    assert "About 1,200 homes in Marrow were flooded" in page  # the archived text
    assert "Collection log" in page


def test_archived_text_is_shown_escaped(
    client, bob, claim, pages, django_capture_on_commit_callbacks
):
    pages.routes["/x"] = Page(
        b"<b>bold</b> <script>alert(1)</script> text", content_type="text/plain"
    )
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            capture_url(claim), {"capture-url": pages.url("/x"), "capture-stance": "context"}
        )
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_htmx_post_returns_the_panel_polling_while_the_capture_waits(client, bob, claim, article):
    # No on-commit execution here: the capture stays queued, as when the worker is busy.
    client.force_login(bob)
    response = client.post(
        capture_url(claim), {"capture-url": article, "capture-stance": "supports"}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="evidence-panel"' in body
    assert 'hx-trigger="every 1s"' in body
    assert "Waiting for the capture worker" in body


def test_the_polled_item_stops_polling_when_done(client, bob, claim, article):
    client.force_login(bob)
    client.post(capture_url(claim), {"capture-url": article, "capture-stance": "supports"})
    citation = ClaimEvidence.objects.get()
    item_url = reverse("claims:citation-detail", args=[citation.pk])
    waiting = client.get(item_url, **HTMX).content.decode()
    assert 'hx-trigger="every 1s"' in waiting
    capture.run_capture(Snapshot.objects.get())
    done = client.get(item_url, **HTMX)
    body = done.content.decode()
    assert "HX-Request" in done["Vary"]
    # The only trigger left is the collection log's, which loads once when opened.
    assert 'hx-trigger="every 1s"' not in body
    assert "data-poll" not in body
    assert 'hx-trigger="toggle once"' in body
    assert "Archived" in body
    assert "<html" not in body


def test_the_item_url_without_htmx_goes_to_the_claim(client, victor, claim, article, bob):
    citation = citations.cite_evidence(claim, actor=bob, stance="supports", url=article, title="t")
    client.force_login(victor)
    response = client.get(reverse("claims:citation-detail", args=[citation.pk]))
    assert response.url == f"{claim.get_absolute_url()}#evidence-{citation.pk}"


def test_a_failure_shows_the_reason_and_a_retry_that_works(
    client, bob, claim, pages, django_capture_on_commit_callbacks
):
    pages.routes["/flaky"] = Page(b"down", status=503)
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            capture_url(claim), {"capture-url": pages.url("/flaky"), "capture-stance": "refutes"}
        )
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Capture failed" in page
    assert "The server answered with an error (503)" in page
    assert ">Retry</button>" in page
    pages.routes["/flaky"] = Page(ARTICLE_HTML.encode())
    citation = ClaimEvidence.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("claims:evidence-archive", args=[citation.pk]), **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert Snapshot.objects.filter(status="done").count() == 1
    assert Snapshot.objects.filter(status="failed").count() == 1


def test_a_refused_link_says_why(client, bob, claim, django_capture_on_commit_callbacks):
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            capture_url(claim),
            {"capture-url": "http://169.254.169.254/latest/", "capture-stance": "supports"},
        )
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Refused: 169.254.169.254 is a link-local address" in page


def test_archive_now_on_evidence_without_a_link_is_refused_politely(client, bob, claim):
    citation = citations.cite_evidence(claim, actor=bob, stance="supports", title="Leaflet")
    client.force_login(bob)
    response = client.post(reverse("claims:evidence-archive", args=[citation.pk]), follow=True)
    assert "This evidence has no link to archive." in response.content.decode()
    assert not Snapshot.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"capture-url": "", "capture-stance": "supports"}, "This field is required."),
        ({"capture-url": "not a url at all", "capture-stance": "supports"}, "Enter a valid URL."),
        (
            {"capture-url": "ftp://example.org/x", "capture-stance": "supports"},
            "Only http and https",
        ),
        ({"capture-url": "https://example.org/", "capture-stance": "maybe"}, "Select a valid"),
        (
            {"capture-url": "http://example.org:99999/", "capture-stance": "supports"},
            "not a valid URL",
        ),
        (
            {"capture-url": "http://example.org/a\\b", "capture-stance": "supports"},
            "contains a backslash",
        ),
    ],
)
def test_bad_input_keeps_it_and_writes_nothing(htmx, bob, claim, data, message):
    htmx.force_login(bob)
    response = htmx.post(capture_url(claim), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert not ClaimEvidence.objects.exists()
    assert not Snapshot.objects.exists()


def test_citing_the_same_link_twice_is_an_error_next_to_the_field(client, bob, claim, article):
    client.force_login(bob)
    data = {"capture-url": article, "capture-stance": "supports"}
    client.post(capture_url(claim), data)
    body = client.post(capture_url(claim), data, **HTMX).content.decode()
    assert "This claim already cites that page." in body
    assert Snapshot.objects.count() == 1


def test_viewers_see_no_capture_form_or_buttons(client, victor, claim, bob, pages):
    pages.routes["/flaky"] = Page(b"down", status=503)
    capture.cite_and_capture(claim, actor=bob, url=pages.url("/flaky"), stance="supports")
    capture.run_capture(Snapshot.objects.get())
    client.force_login(victor)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Archive and cite" not in page
    assert "Retry" not in page
    assert "Capture failed" in page


def test_the_archived_original_downloads_as_gzip(
    client, victor, claim, article, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        capture.cite_and_capture(claim, actor=bob, url=article, stance="supports")
    snapshot = Snapshot.objects.get()
    client.force_login(victor)
    response = client.get(reverse("claims:snapshot-download", args=[snapshot.pk]))
    assert response["Content-Type"] == "application/gzip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy
    assert gzip.decompress(b"".join(response.streaming_content)) == ARTICLE_HTML.encode()


def test_a_failed_snapshot_has_nothing_to_download(client, alice, claim, bob, pages):
    pages.routes["/gone"] = Page(b"", status=404)
    capture.cite_and_capture(claim, actor=bob, url=pages.url("/gone"), stance="supports")
    snapshot = capture.run_capture(Snapshot.objects.get())
    client.force_login(alice)
    assert client.get(reverse("claims:snapshot-download", args=[snapshot.pk])).status_code == 404


def test_claim_page_query_budget_stays_flat_with_archived_evidence(
    client, victor, claim, bob, pages, django_assert_max_num_queries
):
    for number in range(6):
        pages.routes[f"/p{number}"] = Page(ARTICLE_HTML.encode())
        capture.cite_and_capture(claim, actor=bob, url=pages.url(f"/p{number}"), stance="supports")
    for snapshot in Snapshot.objects.all():
        capture.run_capture(snapshot)
    client.force_login(victor)
    with django_assert_max_num_queries(12):
        response = client.get(claim.get_absolute_url())
    assert response.content.decode().count("badge archive-done") == 6


def test_a_capture_whose_worker_died_stops_spinning_and_offers_a_retry(
    client, bob, claim, pages, django_capture_on_commit_callbacks
):
    citation = _stuck_capture(claim, bob, pages, timedelta(minutes=5))
    client.force_login(bob)
    item_url = reverse("claims:citation-detail", args=[citation.pk])
    assert "Capturing the page" in client.get(item_url, **HTMX).content.decode()
    Snapshot.objects.update(started_at=timezone.now() - timedelta(hours=1))
    for body in (
        client.get(item_url, **HTMX).content.decode(),
        client.get(claim.get_absolute_url()).content.decode(),
    ):
        assert "Capture interrupted; try again." in body
        assert ">Retry</button>" in body
        assert 'hx-trigger="every 1s"' not in body
        assert "Capturing the page" not in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("claims:evidence-archive", args=[citation.pk]), **HTMX)
    assert "Waiting for the capture worker" in response.content.decode()
    assert "badge archive-done" in client.get(item_url, **HTMX).content.decode()
    statuses = sorted(Snapshot.objects.values_list("status", "error"))
    assert statuses == [("done", ""), ("failed", "Capture interrupted; try again.")]
