"""The source import page: upload or link, one clear error, nothing half-created."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import Source
from tests.pages import ARTICLE_HTML, Page, make_docx, make_pdf


def url(investigation):
    return reverse("claims:source-import", args=[investigation.slug])


def upload(name, data):
    return SimpleUploadedFile(name, data)


def test_the_page_offers_file_and_link(client, erin, investigation):
    client.force_login(erin)
    body = client.get(url(investigation)).content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert 'type="file"' in body
    assert "Or a link" in body


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.txt", b"Plain words\r\nsecond line", "Plain words\nsecond line"),
        ("b.md", b"# Notes\n\nText", "# Notes"),
        ("c.html", ARTICLE_HTML.encode(), "About 1,200 homes"),
        ("d.pdf", make_pdf(["Text inside the PDF"]), "Text inside the PDF"),
        ("e.docx", make_docx(["Word text."]), "Word text."),
    ],
)
def test_an_editor_uploads_a_file(client, erin, investigation, name, data, expected):
    client.force_login(erin)
    response = client.post(
        url(investigation), {"file": upload(name, data), "kind": "document", "language": "en"}
    )
    source = Source.objects.get()
    assert response.url == source.get_absolute_url()
    assert expected in source.text
    assert source.original_sha256
    page = client.get(source.get_absolute_url()).content.decode()
    assert expected.split("\n")[0] in page


def test_a_link_is_imported(client, erin, investigation, pages):
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())
    client.force_login(erin)
    client.post(url(investigation), {"url": pages.url("/article"), "kind": "web_page"})
    assert Source.objects.get().title == "Water levels on the Vessa"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a file or give a link."),
        ({"file": upload("a.txt", b"")}, "The submitted file is empty."),
        ({"file": upload("a.exe", b"MZ")}, "Only .txt, .md, .html, .pdf and .docx"),
        ({"file": upload("a.pdf", make_pdf(["x"], password="pw"))}, "password-protected"),
        ({"file": upload("a.docx", b"PK\x03\x04junk")}, "damaged"),
        ({"file": upload("a.txt", bytes(range(256)) * 8)}, "not text"),
        ({"url": "http://10.0.0.1/"}, "Refused: 10.0.0.1 is a private network address"),
        ({"url": "https://nowhere.invalid/x"}, "could not be found"),
        (
            {"file": upload("a.txt", b"x"), "url": "https://example.org/"},
            "Give a file or a link, not both.",
        ),
    ],
)
def test_bad_input_gets_one_error_and_nothing_is_created(
    client, erin, investigation, settings, data, message
):
    client.force_login(erin)
    response = client.post(url(investigation), {"kind": "document", **data})
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert not Source.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_a_link_redirecting_to_a_malformed_url_is_an_error_on_the_form(
    client, erin, investigation, pages
):
    pages.routes["/jump"] = Page(status=302, headers={"Location": "http:\\\\evil.example"})
    client.force_login(erin)
    response = client.post(url(investigation), {"kind": "web_page", "url": pages.url("/jump")})
    assert response.status_code == 200
    assert "redirected to a link that is not a valid URL" in response.content.decode()
    assert not Source.objects.exists()


def test_an_oversized_upload_is_refused(client, erin, investigation, settings):
    settings.SOURCE_UPLOAD_MAX_BYTES = 10
    client.force_login(erin)
    response = client.post(url(investigation), {"file": upload("a.txt", b"x" * 11)})
    assert "The file is larger than 10 bytes." in response.content.decode()


def test_a_reviewer_may_not_import(client, bob, investigation):
    client.force_login(bob)
    assert client.post(url(investigation), {"file": upload("a.txt", b"x")}).status_code == 403
    assert not Source.objects.exists()
