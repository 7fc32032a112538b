"""Import a source from an uploaded file or a link, keeping the original and its SHA-256.

The text is extracted first and the source written only when everything succeeded, so bad
input leaves nothing behind: no row, no file in MEDIA_ROOT.
"""

import hashlib
from pathlib import PurePath, PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile

from claims.evidence import archiving
from claims.models import Source
from claims.sources import documents, marking, recognition

EXTENSION_FOR_KIND = {"html": ".html", "pdf": ".pdf", "docx": ".docx", "text": ".txt"}
# Room kept in a stored name for the "_abc1234" that storage adds when the name is taken.
_CLASH_SUFFIX_CHARS = 8
# File systems allow 255 bytes per name; keep a margin under it for that suffix.
_NAME_MAX_BYTES = 200


class SourceImportError(ValueError):
    """The input cannot become a source; str() says why in one sentence."""


def import_file(investigation, *, actor, filename, data, title="", run_extraction=True, **fields):
    """Create a Source from the bytes of an uploaded file. Raises SourceImportError."""
    kind = documents.kind_for(filename=filename)
    if kind is None:
        raise SourceImportError(documents.UNSUPPORTED_FILE)
    if len(data) > settings.SOURCE_UPLOAD_MAX_BYTES:
        raise SourceImportError(
            f"The file is larger than {settings.SOURCE_UPLOAD_MAX_BYTES:,} bytes."
        )
    if kind == "image" or kind == "pdf":
        # The bytes decide: a PDF called .png is read as a PDF, a text called .png is refused.
        kind = documents.binary_kind(data) or kind
    document = _read(data, kind=kind, fields=fields)
    fields.setdefault("kind", Source.Kind.DOCUMENT)
    return _store(
        investigation,
        actor=actor,
        document=document,
        data=data,
        filename=PurePath(filename).name,
        title=title or document.metadata.get("title") or PurePath(filename).stem,
        run_extraction=run_extraction,
        **fields,
    )


def import_url(investigation, *, actor, url, title="", run_extraction=True, resolve=None, **fields):
    """Fetch `url` through the guarded capture and create a Source of it.

    Raises SourceImportError for a refused, unreachable or unreadable link.
    """
    try:
        fetched = archiving.fetch(url, resolve=resolve)
    except archiving.CaptureError as error:
        raise SourceImportError(str(error)) from error
    if fetched.status >= 400:
        raise SourceImportError(f"The link answered HTTP {fetched.status}; nothing was imported.")
    kind = documents.kind_for(content_type=fetched.content_type) or documents.sniff_kind(
        fetched.body
    )
    document = _read(
        fetched.body, kind=kind, fields=fields, charset=fetched.charset, url=fetched.final_url
    )
    host = urlsplit(fetched.final_url).hostname or "page"
    metadata = document.metadata
    fields.setdefault("kind", Source.Kind.WEB_PAGE)
    fields.setdefault("origin_url", url[:2000])
    fields.setdefault("captured_at", fetched.fetched_at)
    if metadata.get("publisher"):
        fields.setdefault("publisher", metadata["publisher"][:200])
    return _store(
        investigation,
        actor=actor,
        document=document,
        data=fetched.body,
        filename=f"{host}.{recognition.image_kind(fetched.body) or 'image'}"
        if kind == "image"
        else f"{host}{EXTENSION_FOR_KIND[kind]}",
        title=title or metadata.get("title") or fetched.final_url,
        run_extraction=run_extraction,
        **fields,
    )


def _read(data, *, kind, fields, charset="", url=None):
    """The document in `data`. A scan or photo comes back with no text yet, and `fields`
    marks the source for recognition by the worker (see marking.run_extraction)."""
    try:
        return documents.extract_document(data, kind=kind, charset=charset, url=url)
    except documents.NeedsRecognition as scan:
        if not recognition.is_available():
            raise SourceImportError(
                "This server cannot read scans: text recognition (Tesseract) is not installed."
            ) from scan
        pages = scan.metadata.get("pages", 1)
        if pages > settings.OCR_MAX_PAGES:
            raise SourceImportError(
                f"The scan has {pages} pages; at most {settings.OCR_MAX_PAGES} can be recognised."
            ) from scan
        fields["recognition"] = {"state": "pending", "pages_total": pages}
        # A scan's creation date is when it was scanned, not when its text was published.
        metadata = {key: value for key, value in scan.metadata.items() if key != "published"}
        return documents.Document(text="", kind=kind, extractor="", metadata=metadata)
    except documents.DocumentError as error:
        raise SourceImportError(str(error)) from error


def stored_name(field, filename):
    """The name to store an upload called `filename` under: the field's folder, the file's own
    stem shortened as needed, and its extension.

    The column holds max_length characters (100) including the "sources/YYYY/MM/" folder, and
    file systems refuse names over 255 bytes; an uploaded name can be any length, and three
    bytes a character in Chinese or Japanese. The title keeps the full name for people.
    """
    path = PurePosixPath(field.generate_filename(None, filename))
    suffix = path.suffix if len(path.suffix) <= 10 else ""
    folder = str(path.parent)
    room = field.max_length - len(folder) - 1 - len(suffix) - _CLASH_SUFFIX_CHARS
    stem = path.name.removesuffix(suffix)[:room]
    while len((stem + suffix).encode()) > _NAME_MAX_BYTES:
        stem = stem[:-1]
    return f"{folder}/{stem or 'source'}{suffix}"


def _store(investigation, *, actor, document, data, filename, title, run_extraction, **fields):
    text = document.text
    if len(text) > settings.SOURCE_TEXT_MAX_CHARS:
        raise SourceImportError(
            f"The text is longer than {settings.SOURCE_TEXT_MAX_CHARS:,} characters."
        )
    metadata = document.metadata
    if metadata.get("author"):
        fields.setdefault("author", metadata["author"][:200])
    published = documents.parse_published(metadata.get("published", ""))
    if published:
        fields.setdefault("published_on", published)
    # Write the file first and remove it again if the row cannot be written, so a failed
    # import leaves no orphan in MEDIA_ROOT.
    field = Source._meta.get_field("original_file")
    stored = field.storage.save(
        stored_name(field, filename), ContentFile(data), max_length=field.max_length
    )
    try:
        return marking.add_source(
            investigation,
            actor=actor,
            text=text,
            run_extraction=run_extraction,
            title=title[:300],
            original_file=stored,
            original_sha256=hashlib.sha256(data).hexdigest(),
            **fields,
        )
    except BaseException:
        field.storage.delete(stored)
        raise
