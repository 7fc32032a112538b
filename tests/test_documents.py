"""Text and metadata out of HTML, PDF, docx and plain text; bad input refused in one sentence."""

import codecs
import random
import unicodedata
import zipfile
from io import BytesIO

import pytest

from claims.sources.documents import (
    DocumentError,
    decode_text,
    extract_document,
    kind_for,
    sniff_kind,
)
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


def test_a_docx_creation_date_is_not_taken_for_its_publication():
    # A .docx's "created" is when the file (often its template) was made: a press release
    # written from a 2013 template would claim to be published in 2013. No core property
    # of a .docx means "published", so none is read as that.
    import datetime

    created = datetime.datetime(2013, 12, 23, 23, 15, tzinfo=datetime.UTC)
    document = extract_document(make_docx(["Text."], title="T", created=created), kind="docx")
    assert "published" not in document.metadata
    assert document.metadata["title"] == "T"


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


def _random_bytes(count, seed=13):
    return random.Random(seed).randbytes(count)


@pytest.mark.parametrize(
    "bom",
    [codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE],
    ids=["utf-8", "utf-16-le", "utf-16-be", "utf-32-le"],
)
@pytest.mark.parametrize("size", [40, 4000])
def test_a_byte_order_mark_does_not_make_random_bytes_text(bom, size):
    with pytest.raises(DocumentError, match="not text"):
        extract_document(bom + _random_bytes(size), kind="text")


def test_a_nul_after_a_byte_order_mark_is_binary_as_without_one():
    for data in [b"plain\x00text", codecs.BOM_UTF8 + b"plain\x00text"]:
        with pytest.raises(DocumentError, match="not text"):
            extract_document(data, kind="text")


def test_unassigned_and_private_use_characters_count_as_binary():
    junk = "".join(chr(0xE000 + i) for i in range(50)) + "\U000e0080" * 50
    with pytest.raises(DocumentError, match="not text"):
        extract_document(("Some words. " + junk).encode("utf-16"), kind="text")


def test_byte_order_marked_text_with_a_few_rare_characters_is_still_text():
    text = "Привет, мир. " * 50 + "\u2028 tab\there, emoji 🇺🇦 and e\u0301"
    for encoding in ["utf-8-sig", "utf-16", "utf-32"]:
        assert extract_document(text.encode(encoding), kind="text").text == text


def test_controls_in_extracted_text_are_cleaned_and_a_nul_is_shown_as_a_gap():
    pdf = make_pdf(["Before\x00after and\x01more", "tab\there\x0bline\x0cpage\x1bend\x7f"])
    text = extract_document(pdf, kind="pdf").text
    assert "Before\ufffdafter andmore" in text
    assert "tab\there\nline\npageend" in text
    assert not [char for char in text if unicodedata.category(char) == "Cc" and char not in "\t\n"]


def test_controls_in_document_metadata_are_cleaned():
    pdf = make_pdf(["Some text"]).replace(b"/Author (River desk)", b"/Author (River\x01\x07desk)")
    assert extract_document(pdf, kind="pdf").metadata["author"] == "River desk"


def test_a_few_controls_in_a_plain_text_file_are_cleaned():
    words = "Some words of a statement. " * 10
    data = (words + "Line one\x0bstill one\x0cnext page, escape\x1b[0m").encode()
    text = extract_document(data, kind="text").text
    assert text == words + "Line one\nstill one\nnext page, escape[0m"
