"""Files cited as evidence: which type the bytes are, their SHA-256, and storing them once.

The bytes decide the type, never the name or the browser's word for it: a PDF named .png is
stored as a PDF, and anything that is not one of the accepted kinds (pictures, PDF, audio,
video) is refused, HTML and SVG first among them, since they carry script. Accepted files are
kept under MEDIA_ROOT (evidence/) and leave it only through the permission-checked views of
claims/views/evidence_files.py.

The same bytes uploaded again in an investigation are the same evidence item (the constraint
one_evidence_per_file), cited again; two uploads of them at the same moment still make one.
Each new file writes a line of its collection log (who, when, SHA-256, type, size).
"""

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims import limits
from claims.evidence import pictures
from claims.evidence.citations import AlreadyCited
from claims.models import Claim, ClaimEvidence, CollectionLogEntry, Evidence, EvidenceFile
from claims.review import audit, reviews

Kind = EvidenceFile.Kind

# How much of the start of a file sniff() reads: enough for a WebM's document type.
HEAD_BYTES = 4096
# Shorter than any real recording, video or PDF: such a "file" is a signature and nothing else.
MIN_BYTES = 64
READ_CHUNK = 1024 * 1024
NAME_MAX_CHARS = 200

ACCEPTED = (
    "PNG, JPEG, WebP or HEIC pictures; PDF documents; MP3, WAV, OGG or M4A recordings; "
    "MP4, MOV or WebM videos"
)


class FileRefused(ValueError):
    """The upload is not a file the workbench accepts as evidence; the message says why."""


@dataclass(frozen=True)
class FileType:
    kind: str
    content_type: str
    extension: str
    label: str


PNG = FileType(Kind.IMAGE, "image/png", "png", "PNG picture")
JPEG = FileType(Kind.IMAGE, "image/jpeg", "jpg", "JPEG picture")
WEBP = FileType(Kind.IMAGE, "image/webp", "webp", "WebP picture")
HEIC = FileType(Kind.IMAGE, "image/heic", "heic", "HEIC picture")
PDF = FileType(Kind.PDF, "application/pdf", "pdf", "PDF document")
MP3 = FileType(Kind.AUDIO, "audio/mpeg", "mp3", "MP3 recording")
WAV = FileType(Kind.AUDIO, "audio/wav", "wav", "WAV recording")
OGG = FileType(Kind.AUDIO, "audio/ogg", "ogg", "Ogg recording")
M4A = FileType(Kind.AUDIO, "audio/mp4", "m4a", "M4A recording")
MP4 = FileType(Kind.VIDEO, "video/mp4", "mp4", "MP4 video")
MOV = FileType(Kind.VIDEO, "video/quicktime", "mov", "QuickTime video")
WEBM = FileType(Kind.VIDEO, "video/webm", "webm", "WebM video")

# The extension files of each type are stored and published under.
EXTENSIONS = {
    file_type.content_type: file_type.extension
    for file_type in (PNG, JPEG, WEBP, HEIC, PDF, MP3, WAV, OGG, M4A, MP4, MOV, WEBM)
}

_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
_AUDIO_MP4_BRANDS = {b"M4A ", b"M4B "}
_VIDEO_MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1",
    b"dash", b"mmp4", b"MSNV", b"M4V ", b"3gp4", b"3gp5", b"3gp6", b"3g2a",
}  # fmt: skip
# QuickTime files written before the ftyp box existed start with one of these boxes.
_QUICKTIME_BOXES = {b"moov", b"mdat", b"wide", b"pnot"}
_MARKUP_WORDS = (b"<svg", b"<!doctype", b"<html", b"<?xml", b"<script", b"<head", b"<body")


# Types told by the first bytes alone.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"%PDF-", PDF),
    (b"OggS", OGG),
    (b"ID3", MP3),
)
_RIFF_FORMS = {b"WEBP": WEBP, b"WAVE": WAV}


def sniff(head):
    """The FileType the first bytes of a file show, or None when they show none we accept."""
    for signature, file_type in _SIGNATURES:
        if head.startswith(signature):
            return file_type
    if head.startswith(b"RIFF"):
        return _RIFF_FORMS.get(head[8:12])
    if _is_mpeg_audio_frame(head):
        return MP3
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML: Matroska or WebM; only WebM is taken
        return WEBM if b"webm" in head[:64] else None
    if head[4:8] == b"ftyp":
        return _iso_media_type(head)
    if head[4:8] in _QUICKTIME_BOXES:
        return MOV
    return None


def _is_mpeg_audio_frame(head):
    """An MPEG audio frame header of layer III (MP3): 11 sync bits, a version that exists."""
    if len(head) < 2 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11
    return version != 0b01 and layer == 0b01


def _iso_media_type(head):
    """The type of an ISO base media file (MP4, M4A, MOV, HEIC) from its ftyp brands."""
    box_size = int.from_bytes(head[0:4], "big")
    major = head[8:12]
    brands = {major} | {
        head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4) if i + 4 <= box_size
    }
    if brands & _HEIC_BRANDS:
        return HEIC if pictures.HEIC_READABLE else None
    if major == b"qt  ":
        return MOV
    if brands & _AUDIO_MP4_BRANDS:
        return M4A
    if major in _VIDEO_MP4_BRANDS or brands & _VIDEO_MP4_BRANDS:
        return MP4
    return None


def refusal(head):
    """Why a file whose first bytes are `head` is refused, in words for the uploader."""
    # Byte-order marks and UTF-16's zero bytes dropped: markup in any of its usual encodings.
    text = head
    for mark in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        text = text.removeprefix(mark)
    text = text.replace(b"\x00", b"").lstrip(b" \t\r\n").lower()
    if not head.strip(b"\x00"):
        return "The file holds nothing but zero bytes; it is not a file that can be evidence."
    if text.startswith(b"<") and any(word in text[:1024] for word in _MARKUP_WORDS):
        return (
            "The file is an HTML, SVG or XML document. Such files can carry scripts and are "
            "not accepted as evidence: archive a web page by its link instead. "
            f"Accepted: {ACCEPTED}."
        )
    if head[4:8] == b"ftyp" and head[8:12] in (_HEIC_BRANDS | {b"mif1", b"msf1"}):
        return "HEIC pictures cannot be read on this server; convert the photo to JPEG first."
    return (
        "The file's contents are not of a type accepted as evidence (its name does not decide: "
        f"its bytes do). Accepted: {ACCEPTED}."
    )


def max_bytes(kind):
    """The largest upload of `kind` the settings allow."""
    if kind == Kind.IMAGE:
        return settings.EVIDENCE_IMAGE_MAX_BYTES
    return settings.EVIDENCE_MAX_BYTES


def clean_name(name):
    """The uploader's file name as a plain label: no folders, no control characters."""
    name = PurePath(str(name or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:NAME_MAX_CHARS]


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, with what storing it needs."""

    file_type: FileType
    sha256: str
    size: int
    name: str
    picture: pictures.Picture | None


def check_file(upload):
    """Sniff, bound, hash and (for pictures) decode `upload`, a Django File; store nothing.

    Returns a CheckedFile. Raises FileRefused with the reason for the uploader: a type not
    accepted, empty, over the size limit of its kind, a damaged or truncated picture or PDF,
    a picture with too many pixels.
    """
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    if not head:
        raise FileRefused("The file is empty.")
    file_type = sniff(head)
    if file_type is None:
        raise FileRefused(refusal(head))
    limit = max_bytes(file_type.kind)
    if upload.size is not None and upload.size > limit:
        raise FileRefused(_too_large(file_type, limit))
    sha256, size, data = _read(upload, file_type, limit)
    picture = None
    if file_type.kind == Kind.IMAGE:
        try:
            picture = pictures.read_picture(data, max_pixels=settings.EVIDENCE_MAX_PIXELS)
        except pictures.PictureError as error:
            raise FileRefused(str(error)) from error
    else:
        _check_whole(upload, file_type, head, size)
    upload.seek(0)
    return CheckedFile(file_type, sha256, size, clean_name(upload.name), picture)


def _read(upload, file_type, limit):
    """(SHA-256, size, bytes) of `upload`, read a chunk at a time and counted as it comes (a
    client may understate the size). The bytes are kept only for pictures, which are decoded
    whole and bounded by the image limit; other files are only hashed."""
    digest, size, chunks = hashlib.sha256(), 0, []
    keep = file_type.kind == Kind.IMAGE
    for chunk in upload.chunks(READ_CHUNK):
        size += len(chunk)
        if size > limit:
            raise FileRefused(_too_large(file_type, limit))
        digest.update(chunk)
        if keep:
            chunks.append(chunk)
    return digest.hexdigest(), size, b"".join(chunks)


def _check_whole(upload, file_type, head, size):
    """What can be checked of a PDF, recording or video without decoding it."""
    if size < MIN_BYTES:
        raise FileRefused(f"The file is too short to be a {file_type.label} ({size} bytes).")
    if file_type == PDF:
        _check_pdf_end(upload, size)
    elif file_type == WAV and int.from_bytes(head[4:8], "little") + 8 > size:
        raise FileRefused("The WAV recording is truncated: it is shorter than it declares.")


def _too_large(file_type, limit):
    return f"The file is larger than {limit:,} bytes, the most accepted for a {file_type.label}."


def _check_pdf_end(upload, size):
    """A PDF ends with %%EOF (give or take a line end and padding); a cut one does not."""
    upload.seek(max(size - 2048, 0))
    if b"%%EOF" not in upload.read(2048):
        raise FileRefused("The PDF is truncated or damaged: it has no end-of-file marker.")


def attach_file(claim, *, actor, upload, stance, title="", note=""):
    """Cite the file `upload` (a Django File) as evidence for `claim`; return the citation.

    The file is checked first (check_file, FileRefused), then stored once per investigation:
    bytes already stored there are cited again, without a second copy. A new file writes its
    collection log line; every citation an audit event, and it voids a sign-off it changes.
    Raises AlreadyCited when the claim already cites these bytes, limits.TextTooLong for an
    over-long note, and InvestigationArchived (from audit.record) in an archived investigation.
    """
    limits.check_lengths(note=(note, limits.NOTE_MAX_CHARS))
    checked = check_file(upload)
    title = (title or "").strip() or checked.name or f"{checked.file_type.label}"
    title = title[:300]
    investigation = claim.investigation
    written: list = []
    try:
        with transaction.atomic():
            stored = _existing(investigation, checked.sha256)
            created = stored is None
            if created:
                try:
                    with transaction.atomic():
                        stored = _store(claim, actor, upload, checked, title, written)
                except IntegrityError:
                    # The same bytes were stored by an upload that committed meanwhile (on
                    # PostgreSQL this insert waited for it): cite that one.
                    _remove(written)
                    written = []
                    created = False
                    stored = _existing(investigation, checked.sha256)
                    if stored is None:
                        raise
            evidence = stored.evidence
            if (
                not created
                and ClaimEvidence.objects.filter(
                    claim=claim, evidence=evidence, retracted_at__isnull=True
                ).exists()
            ):
                raise AlreadyCited("This claim already cites that file.")
            citation = ClaimEvidence.objects.create(
                claim=claim, evidence=evidence, stance=stance, note=note, added_by=actor
            )
            audit.record(
                actor,
                "evidence.cite",
                citation,
                investigation=investigation,
                claim=claim,
                after={
                    "title": evidence.title,
                    "stance": stance,
                    "file_sha256": stored.sha256,
                    "file_type": stored.content_type,
                },
            )
            reviews.void_if_changed(
                claim,
                actor=actor,
                reason=f"Evidence was cited after the sign-off: “{evidence.title}”.",
            )
    except BaseException:
        _remove(written)  # no file left in storage without its row
        raise
    # For the page's message: stored now, or the investigation's copy cited again.
    citation.file_was_stored = created  # type: ignore[attr-defined]
    return citation


def _existing(investigation, sha256):
    return (
        EvidenceFile.objects.select_for_update()
        .select_related("evidence")
        .filter(investigation=investigation, sha256=sha256)
        .first()
    )


def _store(claim, actor, upload, checked, title, written):
    """Write the files and rows of a file new to the investigation; `written` collects the
    stored names so a failure can remove them."""
    file_type, sha256 = checked.file_type, checked.sha256
    now = timezone.now()
    evidence = Evidence.objects.create(
        investigation=claim.investigation, title=title, added_by=actor
    )
    stored = EvidenceFile(
        evidence=evidence,
        investigation=claim.investigation,
        sha256=sha256,
        kind=file_type.kind,
        content_type=file_type.content_type,
        size=checked.size,
        original_name=checked.name,
        uploaded_by=actor,
        uploaded_at=now,
    )
    store_copies(stored, upload, checked, written)
    stored.save()
    named = ""
    if checked.name:
        named = f"{checked.name} · "
    CollectionLogEntry.objects.create(
        evidence=evidence,
        action=CollectionLogEntry.Action.UPLOAD,
        outcome=CollectionLogEntry.Outcome.STORED,
        at=now,
        url="",
        method="Uploaded through the workbench; type read from the file's bytes",
        operator=actor,
        operator_name=actor.get_username() if actor is not None else "",
        sha256=sha256,
        detail=f"{named}{file_type.label} ({file_type.content_type}), {checked.size:,} bytes",
    )
    return stored


def store_copies(stored, upload, checked, written):
    """Write `upload` (a Django File that passed check_file as `checked`) into the unsaved
    EvidenceFile `stored`, named by its SHA-256, and for a picture its clean copy and
    thumbnail, encoded here from the decoded picture, with what the picture says of itself.

    Each FieldFile is added to the list `written` as soon as it is stored, so that the
    caller can remove them all if anything after (or a later one of them) fails.
    """
    sha256 = checked.sha256
    stored.file.save(f"{sha256}.{checked.file_type.extension}", upload, save=False)
    written.append(stored.file)
    picture = checked.picture
    if picture is not None:
        extension = "png" if picture.copy_type == "image/png" else "jpg"
        stored.published_copy.save(
            f"{sha256}-published.{extension}", ContentFile(picture.copy), save=False
        )
        written.append(stored.published_copy)
        thumbnail_extension = "png" if picture.thumbnail_type == "image/png" else "jpg"
        stored.thumbnail.save(
            f"{sha256}-thumbnail.{thumbnail_extension}", ContentFile(picture.thumbnail), save=False
        )
        written.append(stored.thumbnail)
        stored.published_sha256 = hashlib.sha256(picture.copy).hexdigest()
        stored.published_content_type = picture.copy_type
        stored.width, stored.height = picture.width, picture.height
        stored.metadata = picture.metadata
        stored.dhash = picture.dhash


def _remove(written):
    for stored in written:
        stored.storage.delete(stored.name)


@dataclass(frozen=True)
class SamePicture:
    """Another claim of the investigation citing the same picture, or one that looks alike."""

    claim: Claim
    is_same_file: bool
    distance: int


def _look_alikes(investigation_id, mine):
    """{evidence id: [(my evidence id, is the same file, bits apart)]} over the pictures of
    the investigation that are one of `mine` ({evidence id: EvidenceFile}) or look like one."""
    matches: dict[int, list[tuple[int, bool, int]]] = {}
    images = EvidenceFile.objects.filter(investigation_id=investigation_id, kind=Kind.IMAGE)
    for evidence_id, hash_hex in images.values_list("evidence_id", "dhash"):
        for my_id, stored in mine.items():
            if evidence_id == my_id:
                matches.setdefault(evidence_id, []).append((my_id, True, 0))
            elif pictures.look_alike(stored.dhash, hash_hex):
                found = (my_id, False, pictures.distance(stored.dhash, hash_hex))
                matches.setdefault(evidence_id, []).append(found)
    return matches


def file_of(evidence):
    """The EvidenceFile of `evidence`, or None for a link or typed evidence."""
    return getattr(evidence, "file", None)


def pictures_cited_elsewhere(claim, loaded_citations):
    """{evidence id: [SamePicture]} for each picture the claim cites (citations not retracted).

    The same picture is the same stored file cited on another claim, or a picture whose dHash
    is within pictures.DUPLICATE_DISTANCE (a resized or re-encoded copy). Only claims of the
    claim's own investigation are looked at, which every member may see. Two queries, and none
    when the claim cites no picture.
    """
    mine = {}
    for citation in loaded_citations:
        stored = file_of(citation.evidence)
        if citation.retracted_at is None and stored is not None and stored.is_image:
            mine[citation.evidence_id] = stored
    if not mine:
        return {}
    matches = _look_alikes(claim.investigation_id, mine)
    elsewhere = (
        ClaimEvidence.objects.filter(evidence_id__in=matches, retracted_at__isnull=True)
        .exclude(claim_id=claim.pk)
        .select_related("claim")
        .only("evidence_id", "claim__id", "claim__statement", "claim__quote")
        .order_by("claim_id")
    )
    found_by_mine: dict[int, list[SamePicture]] = {}
    seen = set()
    for citation in elsewhere:
        for my_id, is_same_file, bits in matches[citation.evidence_id]:
            if (my_id, citation.claim_id) in seen:
                continue
            seen.add((my_id, citation.claim_id))
            found_by_mine.setdefault(my_id, []).append(
                SamePicture(citation.claim, is_same_file, bits)
            )
    return found_by_mine
