"""Text and metadata out of HTML, PDF, docx and plain text; bad input refused in one sentence."""

import zipfile
from io import BytesIO

import pytest

from claims.documents import DocumentError, decode_text, extract_document, kind_for, sniff_kind
from tests.pages import ARTICLE_HTML, make_docx, make_pdf


def test_html_gives_the_main_text_and_metadata():
    document = extract_document(ARTICLE_HTML.encode(), kind="html")
    assert "The river rose by 3.2 metres overnight" in document.text
    assert "Home | News" not in document.text
    assert 'alert("x")' not in document.text
    assert document.metadata == {
        "title": "Water levels on the Vessa",
        "author": "Mara Quist",
        "publisher": "River Courier",
        "published": "2026-03-02",
        "canonical_url": "https://courier.example/vessa/water-levels",
    }
    assert document.extractor.startswith("trafilatura ")


def test_a_short_page_still_gives_its_text():
    document = extract_document(b"<html><body><p>Only this.</p></body></html>", kind="html")
    assert document.text.strip() == "Only this."


def test_pdf_text_and_metadata():
    document = extract_document(make_pdf(["First line of the PDF", "Second line"]), kind="pdf")
    assert "First line of the PDF" in document.text
    assert "Second line" in document.text
    assert document.metadata["title"] == "Flood report"
    assert document.metadata["published"] == "2026-03-02"


def test_docx_paragraphs_and_tables_in_order():
    data = make_docx(["Para one.", "Para two."], title="Statement", table=[["a", "b"]])
    document = extract_document(data, kind="docx")
    assert document.text == "Para one.\nPara two.\na\tb"
    assert document.metadata["title"] == "Statement"
    assert document.metadata["author"] == "Ida Sorensen"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Grüße aus Köln\r\nZeile zwei\rdrei".encode(), "Grüße aus Köln\nZeile zwei\ndrei"),
        ("Grüße aus Köln, Straße\n".encode("latin-1"), "Grüße aus Köln, Straße\n"),
        ("Привет, мир. Это проверка кодировки.".encode("cp1251"), "Привет, мир. Это проверка"),
        ("\ufeffwith a BOM".encode("utf-8"), "with a BOM"),
        ("utf-16 text".encode("utf-16"), "utf-16 text"),
    ],
)
def test_text_encodings_are_detected_and_line_endings_normalised(data, expected):
    text = extract_document(data, kind="text").text
    assert text.startswith(expected)
    assert "\r" not in text


def test_the_declared_charset_wins():
    assert decode_text("café".encode("latin-1"), "latin-1") == "café"


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("text", b"", "empty"),
        ("text", b"   \n\t ", "empty"),
        ("text", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" * 20, "not text"),
        ("text", bytes(range(256)) * 4, "not text"),
        ("pdf", make_pdf(["secret"], password="s3cret"), "password-protected"),
        ("pdf", b"%PDF-1.4\n1 0 obj garbage", "damaged"),
        ("pdf", b"just words, not a pdf", "not a PDF"),
        ("pdf", make_pdf([]), "no text layer"),
        ("docx", b"PK\x03\x04 broken zip", "damaged"),
        ("docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "password-protected"),
        ("docx", b"plain words", "not a .docx"),
        ("html", b"<html><body><script>x()</script></body></html>", "No readable text"),
    ],
)
def test_bad_input_gets_one_clear_error(kind, data, message):
    with pytest.raises(DocumentError, match=message):
        extract_document(data, kind=kind)


def test_a_zip_that_is_not_a_word_document_is_refused():
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(DocumentError, match="damaged"):
        extract_document(out.getvalue(), kind="docx")


def test_a_docx_that_unpacks_too_large_is_refused(settings):
    settings.SOURCE_UNPACKED_MAX_BYTES = 1000
    with pytest.raises(DocumentError, match="unpacks to more"):
        extract_document(make_docx(["x" * 5000]), kind="docx")


@pytest.mark.parametrize(
    ("name", "kind"),
    [("a.TXT", "text"), ("b.md", "text"), ("c.htm", "html"), ("d.pdf", "pdf"), ("e.docx", "docx")],
)
def test_kinds_by_file_name(name, kind):
    assert kind_for(filename=name) == kind


def test_unsupported_names_and_sniffing():
    assert kind_for(filename="x.exe") is None
    assert kind_for(filename="noextension") is None
    assert kind_for(content_type="application/pdf; x=y") == "pdf"
    assert sniff_kind(b"%PDF-1.7 ...") == "pdf"
    assert sniff_kind(b"<!DOCTYPE html><p>x") == "html"
    assert sniff_kind(b"words") == "text"
