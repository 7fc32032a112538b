"""Sources from files and links: the original and its hash kept, bad input leaving nothing."""

import codecs
import hashlib
import ipaddress
from pathlib import PurePath

import pytest
from django.core.management import CommandError, call_command

from claims.models import Source
from claims.sources import importing
from tests.pages import ARTICLE_HTML, Page, make_docx, make_pdf

pytestmark = pytest.mark.django_db


def media_files(settings):
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("notes.txt", b"Line one\r\nLine two\r\n", "Line one\nLine two\n"),
        ("notes.md", "# Heading\n\nGrüße".encode("latin-1"), "# Heading\n\nGrüße"),
        ("page.html", ARTICLE_HTML.encode(), "About 1,200 homes in Marrow were flooded"),
        ("report.pdf", make_pdf(["Flood report page one"]), "Flood report page one"),
        ("statement.docx", make_docx(["We lost everything."]), "We lost everything."),
    ],
)
def test_each_file_type_becomes_a_source_with_its_original(
    investigation, alice, settings, filename, data, expected
):
    source = importing.import_file(
        investigation, actor=alice, filename=filename, data=data, run_extraction=False
    )
    assert expected in source.text
    assert "\r" not in source.text
    assert source.original_sha256 == hashlib.sha256(data).hexdigest()
    assert source.original_file.read() == data
    assert source.text_sha256 == hashlib.sha256(source.text.encode()).hexdigest()
    assert source.kind == Source.Kind.DOCUMENT
    assert source.added_by == alice


def test_the_title_comes_from_the_document_or_the_file_name(investigation, alice):
    from_meta = importing.import_file(
        investigation, actor=alice, filename="x.html", data=ARTICLE_HTML.encode()
    )
    assert from_meta.title == "Water levels on the Vessa"
    assert from_meta.author == "Mara Quist"
    from_name = importing.import_file(
        investigation, actor=alice, filename="witness-7.txt", data=b"Some words."
    )
    assert from_name.title == "witness-7"


def test_an_imported_docx_has_no_published_date_from_its_template(investigation, alice):
    import datetime

    created = datetime.datetime(2013, 12, 23, 23, 15, tzinfo=datetime.UTC)
    source = importing.import_file(
        investigation,
        actor=alice,
        filename="release.docx",
        data=make_docx(["We lost everything."], created=created),
        run_extraction=False,
    )
    assert source.published_on is None


def test_extraction_proposes_claims_when_asked(investigation, alice):
    text = b"The river rose by 3.2 metres overnight and about 1,200 homes were flooded."
    source = importing.import_file(
        investigation, actor=alice, filename="a.txt", data=text, run_extraction=True
    )
    assert source.claims.exists()


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.md", b"  \n\n ", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, "not text"),
        ("locked.pdf", make_pdf(["secret"], password="pw"), "password-protected"),
        ("broken.pdf", b"%PDF-1.7\nnot really", "damaged"),
        ("broken.docx", b"PK\x03\x04garbage", "damaged"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "password-protected"),
        ("program.exe", b"MZ", "Only .txt, .md, .html, .pdf and .docx"),
    ],
)
def test_bad_files_leave_nothing_behind(investigation, alice, settings, filename, data, message):
    with pytest.raises(importing.SourceImportError, match=message):
        importing.import_file(investigation, actor=alice, filename=filename, data=data)
    assert not Source.objects.exists()
    assert media_files(settings) == []


def test_an_oversized_file_is_refused(investigation, alice, settings):
    settings.SOURCE_UPLOAD_MAX_BYTES = 100
    with pytest.raises(importing.SourceImportError, match="larger than 100 bytes"):
        importing.import_file(investigation, actor=alice, filename="a.txt", data=b"x" * 101)


def test_a_failed_write_removes_the_stored_original(investigation, alice, settings, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(importing.marking, "add_source", broken)
    with pytest.raises(RuntimeError):
        importing.import_file(investigation, actor=alice, filename="a.txt", data=b"words")
    assert media_files(settings) == []


def assert_stored_within_limits(source):
    """The stored name fits the column (DataError on PostgreSQL otherwise) and each part of it
    a file system's 255 bytes (OSError otherwise)."""
    name = source.original_file.name
    assert len(name) <= Source._meta.get_field("original_file").max_length
    assert all(len(part.encode()) <= 255 for part in PurePath(name).parts)
    source.refresh_from_db()
    assert source.original_file.name == name


@pytest.mark.parametrize(
    "filename",
    [
        "report-" + "x" * 400 + ".txt",
        "Bericht über die Überschwemmung " + "ü" * 200 + ".txt",
        "x" * 90 + ".txt",
    ],
)
def test_a_long_upload_name_is_stored_under_a_bounded_name(investigation, alice, filename):
    source = importing.import_file(
        investigation, actor=alice, filename=filename, data=b"Words of the original."
    )
    assert_stored_within_limits(source)
    assert PurePath(source.original_file.name).name.startswith(filename[:20].replace(" ", "_"))
    assert source.original_file.name.endswith(".txt")
    assert source.original_file.read() == b"Words of the original."


def test_a_page_on_a_long_host_name_is_stored_under_a_bounded_name(investigation, alice, pages):
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())
    host = ".".join(["a" * 63, "b" * 63, "c" * 50, "example"])
    source = importing.import_url(
        investigation,
        actor=alice,
        url=f"http://{host}:{pages.port}/article",
        resolve=lambda name, port: [ipaddress.ip_address("127.0.0.1")],
        run_extraction=False,
    )
    assert_stored_within_limits(source)
    assert source.original_file.name.endswith(".html")
    assert source.original_file.read() == ARTICLE_HTML.encode()


def test_a_link_is_imported_through_the_capture_pipeline(investigation, alice, pages):
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())
    source = importing.import_url(
        investigation, actor=alice, url=pages.url("/article"), run_extraction=False
    )
    assert source.kind == Source.Kind.WEB_PAGE
    assert source.title == "Water levels on the Vessa"
    assert source.publisher == "River Courier"
    assert source.origin_url == pages.url("/article")
    assert source.captured_at is not None
    assert source.original_file.read() == ARTICLE_HTML.encode()
    assert source.original_file.name.endswith(".html")


@pytest.mark.parametrize(
    ("path", "page", "message"),
    [
        ("/missing", None, "HTTP 404"),
        ("/error", Page(b"x", status=500), "HTTP 500"),
        ("/jump", Page(status=302, headers={"Location": "http://10.0.0.1/"}), "private network"),
        ("/pic", Page(b"x", content_type="image/png"), "image/png"),
        ("/bad", Page(status=302, headers={"Location": "http:\\\\evil.example"}), "not a valid"),
        ("/xn", Page(status=302, headers={"Location": "http://xn--/"}), "not a valid URL"),
    ],
)
def test_bad_links_leave_nothing_behind(investigation, alice, pages, settings, path, page, message):
    if page is not None:
        pages.routes[path] = page
    with pytest.raises(importing.SourceImportError, match=message):
        importing.import_url(investigation, actor=alice, url=pages.url(path))
    assert not Source.objects.exists()
    assert media_files(settings) == []


def test_an_unreachable_link_is_one_clear_error(investigation, alice):
    with pytest.raises(importing.SourceImportError, match="could not be found"):
        importing.import_url(investigation, actor=alice, url="https://nowhere.invalid/")


def test_the_import_command_reads_a_file(investigation, tmp_path, capsys):
    path = tmp_path / "statement.docx"
    path.write_bytes(make_docx(["The dam held until noon."]))
    call_command("import_source", "--investigation", investigation.slug, str(path), "--title", "T")
    source = Source.objects.get()
    assert source.title == "T"
    assert "The dam held until noon." in source.text
    assert "Imported source" in capsys.readouterr().out


def test_the_import_command_reads_a_link_and_extracts(investigation, pages):
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())
    call_command(
        "import_source", "--investigation", investigation.slug, pages.url("/article"), "--extract"
    )
    assert Source.objects.get().claims.exists()


@pytest.mark.parametrize(
    ("argument", "message"),
    [("/no/such/file.txt", "no such file"), ("http://127.0.0.1:9/", "Refused")],
)
def test_the_import_command_fails_with_one_line(investigation, argument, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_source", "--investigation", investigation.slug, argument)
    assert not Source.objects.exists()


def test_the_import_command_names_an_unknown_investigation(db, tmp_path):
    with pytest.raises(CommandError, match="No investigation"):
        call_command("import_source", "--investigation", "nope", str(tmp_path))


def test_a_pdf_whose_text_holds_nul_characters_is_imported_clean(investigation, alice):
    pdf = make_pdf(["Deaths\x00 were 14\x01 in all"])
    source = importing.import_file(investigation, actor=alice, filename="nul.pdf", data=pdf)
    source.refresh_from_db()
    assert "Deaths\ufffd were 14 in all" in source.text
    assert "\x00" not in source.text
    assert "\x01" not in source.text


def test_a_text_file_with_a_byte_order_mark_and_nul_characters_is_refused(investigation, alice):
    data = codecs.BOM_UTF8 + b"Looks like text\x00\x00\x00 but is not"
    with pytest.raises(importing.SourceImportError, match="not text"):
        importing.import_file(investigation, actor=alice, filename="notes.txt", data=data)
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    "stem",
    [
        "a" * 90,  # too long for the column once sources/YYYY/MM/ is in front (PostgreSQL)
        "report " * 57,  # 400 characters: too long for the file system
        "報告書" * 30,  # 90 characters but 270 bytes: too long for the file system too
    ],
    ids=["90", "400", "cjk"],
)
def test_long_file_names_are_stored_under_a_bounded_name(investigation, alice, settings, stem):
    filename = stem.strip() + ".txt"
    names = []
    for _ in range(2):  # twice: the second copy needs a suffix to stay apart from the first
        source = importing.import_file(
            investigation, actor=alice, filename=filename, data=b"Words of a statement."
        )
        source.refresh_from_db()
        names.append(source.original_file.name)
    field = Source._meta.get_field("original_file")
    for name in names:
        assert len(name) <= field.max_length
        assert name.endswith(".txt")
        assert name.startswith("sources/")
        assert len(name.rsplit("/", 1)[1].encode()) < 255
    assert names[0] != names[1]
    assert len(media_files(settings)) == 2
    assert source.title == stem.strip()[:300]
