"""Attaching a file on the claim page, and the views that serve it back: members only, as an
attachment or a re-encoded picture, never sniffed, always sandboxed."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from claims.access import investigations
from claims.devdata.photos import photo_bytes
from claims.evidence import files
from claims.models import ClaimEvidence, Evidence, EvidenceFile
from tests.clients import HTMX
from tests.factories import make_claim, make_investigation, make_source, make_user
from tests.test_evidence_files import HTML, PDF, SVG, png_bytes

GEOTAGGED = dict(
    taken_at="2022:01:05 14:03:07",
    make="Canon",
    model="EOS 6D",
    gps=(43.2381, 76.9452),
    serial="083024001234",
    owner="Aigerim K.",
)


def upload_url(claim):
    return reverse("claims:evidence-upload", args=[claim.pk])


def post_file(client, claim, data, name="photo.jpg", stance="supports", **extra):
    form = {
        "upload-file": SimpleUploadedFile(name, data),
        "upload-stance": stance,
        "upload-title": extra.pop("title", ""),
        "upload-note": extra.pop("note", ""),
    }
    return client.post(upload_url(claim), form, **extra)


@pytest.fixture
def photo(claim, bob):
    """A geotagged photo cited on `claim` by Bob; returns its EvidenceFile."""
    data = photo_bytes(1, **GEOTAGGED)
    citation = files.attach_file(
        claim, actor=bob, upload=SimpleUploadedFile("street.jpg", data), stance="supports"
    )
    return citation.evidence.file


def test_a_reviewer_attaches_a_photo_and_sees_it_on_the_claim_page(client, bob, claim):
    client.force_login(bob)
    data = photo_bytes(1, **GEOTAGGED)
    response = post_file(client, claim, data)
    assert response.status_code == 302
    stored = EvidenceFile.objects.get()
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    page = client.get(claim.get_absolute_url()).content.decode()
    assert reverse("claims:evidence-file-thumbnail", args=[stored.pk]) in page
    assert stored.sha256 in page
    assert "2022-01-05T14:03:07" in page
    assert "Canon EOS 6D" in page
    assert "43.2381, 76.9452" in page
    assert "083024001234" in page


def test_htmx_upload_answers_with_the_evidence_panel_only(client, bob, claim):
    client.force_login(bob)
    response = post_file(client, claim, png_bytes(), name="chart.png", **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="evidence-panel"' in body
    assert "chart.png" in body
    assert "contentChanged" in response["HX-Trigger"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (HTML, "page.png", "can carry scripts"),
        (SVG, "drawing.svg", "can carry scripts"),
        (b"\x00" * 2000, "zeros.jpg", "zero bytes"),
        (b"MZ\x90\x00" + b"\x00" * 300, "setup.mp4", "its bytes do"),
    ],
)
def test_refused_files_show_why_and_store_nothing(client, bob, claim, data, name, message):
    client.force_login(bob)
    response = post_file(client, claim, data, name=name, **HTMX)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Evidence.objects.exists()
    assert not ClaimEvidence.objects.exists()


def test_a_form_without_a_file_asks_for_one(client, bob, claim):
    client.force_login(bob)
    response = client.post(upload_url(claim), {"upload-stance": "supports"}, **HTMX)
    assert "This field is required" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_stance_the_form_never_offers_is_refused(client, bob, claim):
    client.force_login(bob)
    response = post_file(client, claim, png_bytes(), stance="proves", **HTMX)
    assert "Select a valid choice" in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_oversized_note_is_refused(client, bob, claim):
    client.force_login(bob)
    response = post_file(client, claim, png_bytes(), note="x" * 100_000, **HTMX)
    assert response.status_code == 200
    assert not Evidence.objects.exists()


def test_the_same_post_twice_cites_once(client, bob, claim):
    client.force_login(bob)
    data = png_bytes()
    post_file(client, claim, data)
    response = post_file(client, claim, data, **HTMX)
    assert "already cites that file" in response.content.decode()
    assert ClaimEvidence.objects.count() == 1


def test_a_viewer_may_not_attach(client, victor, claim):
    client.force_login(victor)
    assert post_file(client, claim, png_bytes()).status_code == 403
    assert not Evidence.objects.exists()


def test_an_outsider_gets_404(client, carol, claim):
    client.force_login(carol)
    assert post_file(client, claim, png_bytes()).status_code == 404


def test_anonymous_is_sent_to_log_in(client, claim):
    response = post_file(client, claim, png_bytes())
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_get_on_upload_is_405(client, bob, claim):
    client.force_login(bob)
    assert client.get(upload_url(claim)).status_code == 405


def test_an_archived_investigation_refuses_uploads_but_serves_files(client, alice, bob, photo):
    investigations.set_archived(photo.investigation, actor=alice, archived=True)
    claim = ClaimEvidence.objects.get().claim
    client.force_login(bob)
    assert post_file(client, claim, png_bytes()).status_code == 403
    assert EvidenceFile.objects.count() == 1
    for name in ("download", "thumbnail", "picture"):
        url = reverse(f"claims:evidence-file-{name}", args=[photo.pk])
        assert client.get(url).status_code == 200


# --- Serving ------------------------------------------------------------------------------


def _sandboxed(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_the_original_downloads_as_an_attachment_byte_for_byte(client, victor, photo):
    client.force_login(victor)
    response = client.get(reverse("claims:evidence-file-download", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "image/jpeg"
    _sandboxed(response)
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == photo.sha256


def test_a_pdf_uploaded_as_png_downloads_as_a_pdf(client, bob, claim):
    client.force_login(bob)
    post_file(client, claim, PDF, name="photo.png")
    stored = EvidenceFile.objects.get()
    response = client.get(reverse("claims:evidence-file-download", args=[stored.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert ".pdf" in response["Content-Disposition"]
    _sandboxed(response)
    assert (
        client.get(reverse("claims:evidence-file-thumbnail", args=[stored.pk])).status_code == 404
    )


@pytest.mark.parametrize("name", ["thumbnail", "picture"])
def test_pictures_are_shown_re_encoded_without_metadata(client, victor, photo, name):
    client.force_login(victor)
    response = client.get(reverse(f"claims:evidence-file-{name}", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "attachment" not in response.get("Content-Disposition", "")
    _sandboxed(response)
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() != photo.sha256
    with Image.open(io.BytesIO(body)) as shown:
        assert not shown.getexif()
        assert b"Canon" not in body
        assert b"Aigerim" not in body


@pytest.mark.parametrize("name", ["download", "thumbnail", "picture"])
def test_files_of_another_investigation_are_404(client, bob, name):
    stranger = make_user("stranger")
    elsewhere = make_claim(
        make_source(make_investigation(slug="secret", members=[(stranger, "owner")]))
    )
    citation = files.attach_file(
        elsewhere,
        actor=stranger,
        upload=SimpleUploadedFile("x.jpg", photo_bytes(5)),
        stance="supports",
    )
    client.force_login(bob)
    url = reverse(f"claims:evidence-file-{name}", args=[citation.evidence.file.pk])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_collection_log_shows_the_upload(client, victor, photo):
    citation = ClaimEvidence.objects.get()
    client.force_login(victor)
    page = client.get(reverse("claims:citation-log", args=[citation.pk])).content.decode()
    assert "Upload" in page
    assert "Stored" in page
    assert photo.sha256[:12] in page
    assert "JPEG picture (image/jpeg)" in page
    assert "bob" in page


# --- The same picture elsewhere -------------------------------------------------------------


def _cite(claim, user, data, name):
    return files.attach_file(
        claim, actor=user, upload=SimpleUploadedFile(name, data), stance="supports"
    )


def test_a_resized_copy_on_another_claim_is_flagged_as_the_same_picture(
    client, victor, source, bob
):
    first = make_claim(source, "about 1,200 homes were flooded in Marrow")
    second = make_claim(source, "at least 14 people had died")
    third = make_claim(source, "Is the dam safe?")
    original = _cite(first, bob, photo_bytes(1), "original.jpg")
    _cite(second, bob, photo_bytes(1, size=(300, 200), quality=40), "small.jpg")
    _cite(third, bob, photo_bytes(7), "another-street.jpg")
    url = reverse("claims:citation-same-picture", args=[original.pk])
    client.force_login(victor)
    fragment = client.get(url, **HTMX).content.decode()
    assert "<html" not in fragment
    assert f"The same picture is cited on claim {second.pk}" in fragment
    assert "a copy that looks alike" in fragment
    assert f"claim {third.pk}" not in fragment
    page = client.get(url).content.decode()
    assert "<html" in page
    assert f"claim {second.pk}" in page


def test_the_same_file_on_another_claim_is_flagged(client, victor, source, bob):
    first = make_claim(source, "about 1,200 homes were flooded in Marrow")
    second = make_claim(source, "at least 14 people had died")
    data = photo_bytes(2)
    original = _cite(first, bob, data, "a.jpg")
    _cite(second, bob, data, "b.jpg")
    client.force_login(victor)
    fragment = client.get(
        reverse("claims:citation-same-picture", args=[original.pk]), **HTMX
    ).content.decode()
    assert f"claim {second.pk}" in fragment
    assert "(the same file)" in fragment


def test_a_retracted_copy_is_not_flagged(client, alice, source, bob):
    first = make_claim(source, "about 1,200 homes were flooded in Marrow")
    second = make_claim(source, "at least 14 people had died")
    original = _cite(first, bob, photo_bytes(2), "a.jpg")
    copy = _cite(second, bob, photo_bytes(2, size=(400, 267)), "b.jpg")
    ClaimEvidence.objects.filter(pk=copy.pk).update(retracted_at="2026-01-01T00:00:00Z")
    client.force_login(alice)
    fragment = client.get(
        reverse("claims:citation-same-picture", args=[original.pk]), **HTMX
    ).content.decode()
    assert "No other claim" in fragment


def test_pictures_of_another_investigation_are_never_shown(client, alice, claim, bob):
    stranger = make_user("stranger")
    elsewhere = make_claim(
        make_source(make_investigation(slug="secret", members=[(stranger, "owner")]))
    )
    _cite(elsewhere, stranger, photo_bytes(3), "theirs.jpg")
    mine = _cite(claim, bob, photo_bytes(3), "mine.jpg")
    client.force_login(alice)
    fragment = client.get(
        reverse("claims:citation-same-picture", args=[mine.pk]), **HTMX
    ).content.decode()
    assert f"claim {elsewhere.pk}:" not in fragment
    assert "No other claim" in fragment
