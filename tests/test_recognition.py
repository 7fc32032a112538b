"""Scans and photos become sources: Tesseract reads them in the worker, pages and doubtful
words are kept, and bad pictures are refused before anything is stored."""

import os

import pytest
from django.urls import reverse
from rapidfuzz.distance import Levenshtein

from claims.devdata.scans import as_bytes, scan_page
from claims.models import AuditEvent, ClaimStatus, ExtractionStatus, Source
from claims.sources import importing, recognition
from claims.sources.reader import highlight_segments
from tests.factories import make_claim

PAGE_ONE = [
    "The witness said that about 20,000 people gathered",
    "on the square on 5 January 2022.",
]
PAGE_TWO = [
    "Police said that 10,000 people were detained",
    "in Almaty during the following week.",
]
RUSSIAN = [
    "По словам свидетеля, на площади собралось около",
    "двадцати тысяч человек, и почти все были мирными.",
]


@pytest.fixture(autouse=True)
def _tesseract():
    if not recognition.is_available():
        message = "tesseract or pdftoppm missing (apt-get install tesseract-ocr poppler-utils)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def character_error_rate(expected, found):
    return Levenshtein.distance(" ".join(expected.split()), " ".join(found.split())) / len(expected)


def test_a_photo_of_english_and_russian_text_is_read():
    data = as_bytes([scan_page(PAGE_ONE + RUSSIAN, tilt=0.6, blur=0.7)])
    found = recognition.recognise(data, kind="image")
    assert character_error_rate("\n".join(PAGE_ONE + RUSSIAN), found.text) < 0.03
    assert "собралось" in found.text
    assert found.page_starts == [0]
    assert found.engine.startswith("tesseract")


KAZAKH = [
    "Куәгердің айтуынша, алаңға жиырма мыңға жуық адам",
    "жиналды, олардың көбі бейбіт болған.",
]


def test_a_photo_of_kazakh_text_is_read_when_its_data_is_installed():
    if "kaz" not in recognition.installed_languages():
        pytest.skip("tesseract-ocr-kaz is not installed")
    data = as_bytes([scan_page(KAZAKH, tilt=0.6, blur=0.7)])
    found = recognition.recognise(data, kind="image")
    assert "kaz" in found.as_record()["languages"].split("+")
    assert character_error_rate("\n".join(KAZAKH), found.text) < 0.03
    assert "Куәгердің" in found.text


def test_only_installed_languages_are_asked_for(settings, monkeypatch):
    monkeypatch.setattr(recognition, "installed_languages", lambda: frozenset(["eng", "rus"]))
    settings.OCR_LANGUAGES = "eng+rus+kaz"
    assert recognition.languages() == "eng+rus"
    settings.OCR_LANGUAGES = "kaz"
    with pytest.raises(recognition.RecognitionError, match=r"\(kaz\) is installed"):
        recognition.languages()


def test_the_default_languages_include_kazakh():
    from django.conf import settings

    assert settings.OCR_LANGUAGES.split("+")[:3] == ["eng", "rus", "kaz"]


def test_a_scanned_pdf_keeps_where_each_page_starts():
    data = as_bytes([scan_page(PAGE_ONE), scan_page(PAGE_TWO)], fmt="PDF")
    pages = []
    found = recognition.recognise(data, kind="pdf", on_page=lambda done, total: pages.append(done))
    assert pages == [0, 1, 2]
    assert len(found.page_starts) == 2
    second = found.page_starts[1]
    assert "20,000" in found.text[:second]
    assert "10,000" in found.text[second:]
    assert recognition.page_of(found.page_starts, found.text.index("10,000")) == 2
    assert recognition.page_of(found.page_starts, 0) == 1


def test_words_read_with_low_confidence_are_kept_with_their_offsets(settings):
    settings.OCR_DOUBTFUL_BELOW = 60
    tsv = "\n".join(
        [
            "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tl\tt\tw\th\tconf\ttext",
            "5\t1\t1\t1\t1\t1\t0\t10\t1\t20\t95.1\tAbout",
            "5\t1\t1\t1\t1\t2\t0\t12\t1\t18\t41.7\t2O,OOO",
            "5\t1\t1\t1\t2\t1\t0\t40\t1\t20\t90.0\tpeople",
            # A block Tesseract cut mid-sentence, at the usual line spacing: the same paragraph.
            "5\t1\t2\t1\t1\t1\t0\t70\t1\t20\t90.0\twere",
            "5\t1\t2\t1\t1\t2\t0\t70\t1\t20\t90.0\tdetained.",
            # After a gap of two lines: a new paragraph.
            "5\t1\t3\t1\t1\t1\t0\t140\t1\t20\t88.0\tNext",
        ]
    )
    builder = recognition._TextBuilder()
    builder.add_page(tsv)
    found = builder.result(engine="tesseract")
    assert found.text == "About 2O,OOO\npeople\nwere detained.\n\nNext"
    assert found.doubtful == [(6, 12, 42)]
    assert found.text[6:12] == "2O,OOO"


def test_latin_lookalikes_in_a_russian_line_become_cyrillic():
    words = [("По", 96.0), ("словам", 96.0), ("Ha", 93.0), ("площади", 96.0)]
    assert [word for word, _ in recognition.repair_mixed_script(words)] == [
        "По",
        "словам",
        "на",
        "площади",
    ]
    english = [("Police", 96.0), ("say", 96.0), ("OK", 93.0)]
    assert recognition.repair_mixed_script(english) == english


def test_the_reader_marks_page_breaks_and_doubtful_words():
    text = "About 2O,OOO people.\n\nPage two words."
    claim = type("C", (), {"pk": 7, "start": 0, "end": 12, "status": "accepted"})()
    segments = highlight_segments(text, [claim], page_starts=[0, 22], doubtful=[(6, 12, 42)])
    assert "".join(segment.text for segment in segments) == text
    doubtful = [segment for segment in segments if segment.doubtful_confidence]
    assert [(segment.text, segment.claim_ids) for segment in doubtful] == [("2O,OOO", (7,))]
    assert [segment.opens_page for segment in segments if segment.opens_page] == [2]
    assert next(segment for segment in segments if segment.opens_page).start == 22


@pytest.mark.django_db
def test_an_uploaded_scan_is_read_by_the_worker_and_its_claims_proposed(
    investigation, alice, django_capture_on_commit_callbacks
):
    data = as_bytes([scan_page(PAGE_ONE), scan_page(PAGE_TWO)], fmt="PDF")
    with django_capture_on_commit_callbacks(execute=True):
        source = importing.import_file(
            investigation, actor=alice, filename="statement-scan.pdf", data=data
        )
    source = Source.objects.get(pk=source.pk)
    assert source.extraction_status == ExtractionStatus.DONE, source.extraction_error
    assert source.recognition["state"] == "done"
    assert len(source.page_starts) == 2
    assert "10,000 people were detained" in source.text
    assert source.published_on is None  # the PDF's creation date is the scan's, not the text's
    assert source.original_sha256
    assert source.text_sha256
    suggested = source.claims.filter(status=ClaimStatus.SUGGESTED)
    assert any("10,000" in claim.quote for claim in suggested)
    event = AuditEvent.objects.get(action="source.recognise")
    assert event.after["pages"] == 2
    assert event.after["sha256"] == source.text_sha256


@pytest.mark.django_db
def test_the_claim_page_and_reader_show_the_page(
    investigation, alice, client, django_capture_on_commit_callbacks
):
    data = as_bytes([scan_page(PAGE_ONE), scan_page(PAGE_TWO)], fmt="PDF")
    with django_capture_on_commit_callbacks(execute=True):
        source = importing.import_file(investigation, actor=alice, filename="scan.pdf", data=data)
    source = Source.objects.get(pk=source.pk)
    claim = make_claim(source, quote="10,000 people were detained", actor=alice)
    client.force_login(alice)
    reader = client.get(reverse("claims:source-detail", args=[source.pk])).content.decode()
    assert 'class="page-break" role="separator" aria-label="Page 2"' in reader
    assert "Recognised from a scan of 2 pages" in reader
    page = client.get(reverse("claims:claim-detail", args=[claim.pk])).content.decode()
    assert "page 2 of the scan" in page


@pytest.mark.django_db
def test_a_blank_scan_fails_with_a_reason_and_can_be_retried(
    investigation, alice, client, django_capture_on_commit_callbacks
):
    data = as_bytes([scan_page([])], fmt="PNG")
    with django_capture_on_commit_callbacks(execute=True):
        source = importing.import_file(investigation, actor=alice, filename="blank.png", data=data)
    source = Source.objects.get(pk=source.pk)
    assert source.extraction_status == ExtractionStatus.FAILED
    assert source.extraction_error == "No text could be recognised in the scan."
    assert source.text == ""
    assert source.needs_recognition
    client.force_login(alice)
    page = client.get(reverse("claims:source-detail", args=[source.pk])).content.decode()
    assert "Text recognition failed." in page
    assert "Retry extraction" in page


@pytest.mark.django_db
def test_the_worker_shows_progress_while_it_waits(investigation, alice, client):
    # Outside a commit hook the task never runs: the source waits for the worker.
    data = as_bytes([scan_page(PAGE_ONE)], fmt="TIFF")
    source = importing.import_file(investigation, actor=alice, filename="page.tif", data=data)
    source = Source.objects.get(pk=source.pk)
    assert source.extraction_status == ExtractionStatus.PENDING
    assert source.recognition == {"state": "pending", "pages_total": 1, "detect_language": True}
    client.force_login(alice)
    page = client.get(reverse("claims:source-detail", args=[source.pk])).content.decode()
    assert "Waiting for the worker to read this scan (1 page)" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("photo.png", b"just some words, not a picture", "not a PNG, JPEG or TIFF"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 40, "damaged or not an image"),
    ],
)
def test_a_picture_that_is_not_one_is_refused_and_nothing_kept(
    investigation, alice, filename, data, message
):
    with pytest.raises(importing.SourceImportError, match=message):
        importing.import_file(investigation, actor=alice, filename=filename, data=data)
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_the_bytes_decide_a_pdf_named_png_is_read_as_a_pdf(
    investigation, alice, django_capture_on_commit_callbacks
):
    data = as_bytes([scan_page(PAGE_ONE)], fmt="PDF")
    with django_capture_on_commit_callbacks(execute=True):
        source = importing.import_file(investigation, actor=alice, filename="odd.png", data=data)
    assert "20,000" in Source.objects.get(pk=source.pk).text


@pytest.mark.django_db
def test_too_many_pixels_or_pages_are_refused_before_storing(investigation, alice, settings):
    settings.OCR_MAX_PIXELS = 1000
    with pytest.raises(importing.SourceImportError, match="too large to read"):
        importing.import_file(
            investigation, actor=alice, filename="a.png", data=as_bytes([scan_page(PAGE_ONE)])
        )
    settings.OCR_MAX_PIXELS = 60_000_000
    settings.OCR_MAX_PAGES = 1
    two_pages = as_bytes([scan_page(PAGE_ONE), scan_page(PAGE_TWO)], fmt="PDF")
    with pytest.raises(importing.SourceImportError, match="2 pages; at most 1"):
        importing.import_file(investigation, actor=alice, filename="a.pdf", data=two_pages)
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_without_tesseract_a_scan_is_refused_with_a_reason(investigation, alice, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(importing.SourceImportError, match="Tesseract"):
        importing.import_file(
            investigation, actor=alice, filename="a.png", data=as_bytes([scan_page(PAGE_ONE)])
        )
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_a_russian_scan_gets_its_language_and_numbers_from_the_recognised_text(
    investigation, alice, django_capture_on_commit_callbacks
):
    data = as_bytes([scan_page(RUSSIAN, tilt=0.5, blur=0.6)])
    with django_capture_on_commit_callbacks(execute=True):
        source = importing.import_file(investigation, actor=alice, filename="ru.png", data=data)
    source = Source.objects.get(pk=source.pk)
    assert source.language == "ru"
    values = {
        quantity.value for claim in source.claims.all() for quantity in claim.quantities.all()
    }
    assert 20000 in values
    assert AuditEvent.objects.get(action="source.recognise").after["language"] == "ru"


@pytest.mark.django_db
def test_a_language_chosen_at_upload_is_kept(
    investigation, alice, django_capture_on_commit_callbacks
):
    data = as_bytes([scan_page(PAGE_ONE)])
    with django_capture_on_commit_callbacks(execute=True):
        source = importing.import_file(
            investigation, actor=alice, filename="en.png", data=data, language="kk"
        )
    assert Source.objects.get(pk=source.pk).language == "kk"
