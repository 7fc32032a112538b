"""Bytes of a document in, plain text and metadata out. No network, no database.

HTML goes through trafilatura (main text without navigation, plus title, author, site name,
date and canonical URL), PDF through pypdf, .docx through python-docx; plain text and
Markdown are decoded with the declared charset or one detected by charset-normalizer. Every
text comes out with "\\n" line endings, because claims are anchored by character offsets and
those must not depend on the operating system that wrote the file.

Control characters are settled here, where text enters, before any offset exists:

- in a text file a NUL, or more than one character in a hundred that is a control,
  unassigned or private-use, means the bytes are not text: refused, with or without a
  byte-order mark (a BOM is two to four bytes anyone can put in front of anything);
- in text that an extractor produced from a PDF, .docx or web page, they are artefacts of the
  extraction (pypdf gives NUL for a glyph it cannot map): NUL becomes U+FFFD, so the gap stays
  visible, and the rest are cleaned as in `clean_controls`.

PostgreSQL refuses NUL in text columns outright (a 500 before this), SQLite stores it, and
XML-based exports cannot carry C0 controls at all.
"""

import codecs
import datetime
import io
import logging
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.metadata import version

import docx
import pypdf
import trafilatura
from charset_normalizer import from_bytes
from django.conf import settings
from docx.table import Table

from claims.sources import recognition

logger = logging.getLogger(__name__)

EXTENSIONS = {
    ".txt": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
}
CONTENT_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "text",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "image/png": "image",
    "image/jpeg": "image",
    "image/tiff": "image",
}
# What the import form says it takes, and what it says when a file is none of these.
UNSUPPORTED_FILE = (
    "Only .txt, .md, .html, .pdf and .docx files, and scans or photos (.png, .jpg, .tif), "
    "can be imported."
)
BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .docx and old .doc files


class DocumentError(ValueError):
    """The bytes are not a document we can read; str() says why in one sentence."""


class NeedsRecognition(DocumentError):
    """A scan or photo: its text must be recognised (OCR) by the task worker.

    `metadata` is what could be read without it (a PDF's title, author, pages)."""

    def __init__(self, message, metadata=None):
        super().__init__(message)
        self.metadata = metadata or {}


@dataclass
class Document:
    text: str
    kind: str  # html, pdf, docx or text
    extractor: str
    metadata: dict = field(default_factory=dict)  # title, author, publisher, published, ...


def binary_kind(data):
    """ "pdf" or "image" when the bytes themselves say so, whatever the file is called."""
    if data[:1024].lstrip()[:5] == b"%PDF-":
        return "pdf"
    return "image" if recognition.image_kind(data) else None


def kind_for(*, filename="", content_type=""):
    """The document kind for a file name or a content type, or None when unsupported."""
    if filename:
        suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        return EXTENSIONS.get(suffix)
    return CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())


def sniff_kind(data):
    """Guess the kind of a body sent without a content type."""
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if recognition.image_kind(data):
        return "image"
    head = data[:2048].lower()
    if b"<html" in head or b"<!doctype html" in head or b"<body" in head:
        return "html"
    return "text"


def extract_document(data, *, kind, charset="", url=None):
    """Read `data` as a document of `kind`; return a Document or raise DocumentError."""
    if not data or not data.strip():
        raise DocumentError("The file is empty.")
    reader = {
        "html": _read_html,
        "pdf": _read_pdf,
        "docx": _read_docx,
        "text": _read_text,
        "image": _read_image,
    }
    document = reader[kind](data, charset=charset, url=url)
    document.text = clean_controls(normalize_newlines(document.text))
    document.metadata = {
        key: _one_line(value) if isinstance(value, str) else value
        for key, value in document.metadata.items()
    }
    if not document.text.strip():
        if kind == "pdf":
            # A scan: its pages are pictures. The worker reads them (recognition.py).
            raise NeedsRecognition(
                "The PDF has no text layer; its pages must be recognised.", document.metadata
            )
        raise DocumentError(_NO_TEXT.get(kind, "No text could be found in the document."))
    return document


_NO_TEXT = {
    "html": "No readable text could be found on the page.",
}


def _read_image(data, *, charset, url):
    # The header is read now, so a damaged or oversized picture is refused before it is stored.
    try:
        pages = recognition.check_image(data)
    except recognition.RecognitionError as error:
        raise DocumentError(str(error)) from error
    raise NeedsRecognition("A picture's text must be recognised.", {"pages": pages})


def parse_published(text):
    """The date at the start of a metadata value ("2026-03-02T10:00Z"), or None."""
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


def normalize_newlines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


# C0 controls and DEL, except tab, line feed and carriage return. Vertical tab and form feed
# break lines (Word's manual line break, a page break), so they become a newline rather than
# joining two words; NUL marks a character an extractor could not map, shown as U+FFFD.
_CONTROLS: dict[int, str | None] = {
    code: None for code in [*range(0x20), 0x7F] if chr(code) not in "\t\n\r"
}
_CONTROLS |= {0x0B: "\n", 0x0C: "\n", 0x00: "\ufffd"}


def clean_controls(text):
    """`text` without C0 control characters other than tab, newline and carriage return.

    For text that is known to be text (extracted, or typed into a form); a file whose bytes
    hold many controls is refused as binary before it gets here (see _refuse_binary).
    """
    return text.translate(_CONTROLS)


def _one_line(value):
    """A metadata value (title, author...) with every control and run of spaces as one space."""
    return " ".join(value.translate(_METADATA_CONTROLS).split())


_METADATA_CONTROLS = {code: " " for code in [*range(0x20), 0x7F]}


def decode_text(data, charset=""):
    """Decode bytes to str: byte-order mark, then the declared charset, then UTF-8, then a
    detected one. Raises DocumentError for bytes that are not text."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            # Strictly: an editor that writes a BOM writes valid text after it, while random
            # bytes after a BOM almost never decode (UTF-8 continuation bytes, lone UTF-16
            # surrogates, UTF-32 values past U+10FFFF). The few that do are caught below.
            try:
                return _refuse_binary(data.decode(encoding))
            except UnicodeDecodeError as error:
                name = encoding.upper().removesuffix("-SIG")
                raise DocumentError(
                    f"The file is not text: it starts with a {name} byte-order mark but the "
                    f"rest is not {name}."
                ) from error
    candidates = [charset] if charset else []
    candidates.append("utf-8")
    for encoding in candidates:
        try:
            return _refuse_binary(data.decode(encoding))
        except (LookupError, UnicodeDecodeError):
            continue
    best = from_bytes(data).best()
    if best is None:
        raise DocumentError("The file is not text (it looks binary).")
    return _refuse_binary(str(best))


# Categories that text hardly ever holds and decoded binary often does: controls, code points
# Unicode has not assigned, private-use characters and (from lenient decoders) surrogates.
# Random bytes read as UTF-16 land on one of them about once in seven characters.
_UNLIKELY_IN_TEXT = frozenset({"Cc", "Cn", "Co", "Cs"})


def _refuse_binary(text):
    sample = text[:100_000]
    unlikely = sum(
        1
        for char in sample
        if unicodedata.category(char) in _UNLIKELY_IN_TEXT and char not in "\t\n\r\f"
    )
    if "\x00" in text or unlikely > len(sample) / 100:
        raise DocumentError("The file is not text (it looks binary).")
    return text


def _read_text(data, *, charset, url):
    return Document(text=decode_text(data, charset), kind="text", extractor="charset-normalizer")


def _read_html(data, *, charset, url):
    html = decode_text(data, charset)
    text = trafilatura.extract(
        html,
        url=url,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        output_format="txt",
    )
    if not text:
        # Short pages fall below trafilatura's threshold for "main content"; keep their text.
        text = trafilatura.html2txt(html)
    found = trafilatura.extract_metadata(html)
    metadata = {
        "title": found.title or "",
        "author": found.author or "",
        "publisher": found.sitename or "",
        "published": found.date or "",
        "canonical_url": found.url or "",
        "description": found.description or "",
    }
    return Document(
        text=text or "",
        kind="html",
        extractor=f"trafilatura {version('trafilatura')}",
        metadata={key: value for key, value in metadata.items() if value},
    )


def _read_pdf(data, *, charset, url):
    if b"%PDF-" not in data[:1024]:
        raise DocumentError("The file is not a PDF.")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise DocumentError("The PDF is password-protected; remove the password and retry.")
        pages = [page.extract_text() or "" for page in reader.pages]
        info: Mapping[str, object] = reader.metadata or {}
        metadata = {
            "title": str(info.get("/Title", "") or ""),
            "author": str(info.get("/Author", "") or ""),
            "pages": len(pages),
        }
        created = reader.metadata.creation_date if reader.metadata else None
    except DocumentError:
        raise
    # pypdf parses hostile input; a malformed file can fail with almost any exception type
    # (struct, zlib, KeyError, RecursionError...). Every one of them means "not readable".
    except Exception as error:
        logger.info("pypdf could not read a PDF: %r", error)
        raise DocumentError("The PDF is damaged or not a PDF; it could not be read.") from error
    if created:
        metadata["published"] = created.date().isoformat()
    return Document(
        text="\n\n".join(page.strip() for page in pages),
        kind="pdf",
        extractor=f"pypdf {version('pypdf')}",
        metadata={key: value for key, value in metadata.items() if value},
    )


def _opens_without_password(reader):
    # Many PDFs are "encrypted" only with an owner password that restricts printing; they open
    # with an empty user password and their text is readable.
    try:
        return bool(reader.decrypt(""))
    except (pypdf.errors.PyPdfError, NotImplementedError):
        return False


def _read_docx(data, *, charset, url):
    if data.startswith(OLE_MAGIC):
        raise DocumentError(
            "The document is password-protected or in the old .doc format; save it as an "
            "unprotected .docx and retry."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise DocumentError("The file is not a .docx document (it is damaged).") from error
    if unpacked > settings.SOURCE_UNPACKED_MAX_BYTES:
        raise DocumentError("The .docx unpacks to more than the allowed size.")
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    blocks.append("\t".join(cell.text for cell in row.cells))
            else:
                blocks.append(block.text)
        properties = document.core_properties
    # Like pypdf above: a malformed package can fail anywhere inside python-docx or lxml.
    except Exception as error:
        logger.info("python-docx could not read a document: %r", error)
        raise DocumentError("The .docx document is damaged; it could not be read.") from error
    # No date: a .docx records when the file was created (often its template, years before)
    # and last saved, and nothing that means published. A wrong date misleads more than none.
    metadata = {"title": properties.title or "", "author": properties.author or ""}
    return Document(
        text="\n".join(blocks),
        kind="docx",
        extractor=f"python-docx {version('python-docx')}",
        metadata={key: value for key, value in metadata.items() if value},
    )
