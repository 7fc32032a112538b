"""Files cited as evidence, without HTTP: the bytes decide the type, bad files are refused with
a reason, each file is stored once per investigation with its SHA-256 and collection log line,
and never changes."""

import hashlib
import io
import struct
import zlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from claims.access import investigations
from claims.devdata.photos import photo_bytes
from claims.evidence import files, pictures
from claims.evidence.citations import AlreadyCited
from claims.models import (
    AuditEvent,
    ClaimEvidence,
    CollectionLogEntry,
    Evidence,
    EvidenceFile,
    EvidenceFileImmutable,
    InvestigationArchived,
)
from tests.factories import make_claim, make_investigation, make_source

# --- Samples of every accepted kind, made here ------------------------------------------


def png_bytes(size=(64, 48), colour=(200, 30, 30)):
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, format="PNG")
    return output.getvalue()


def heic_bytes():
    output = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(output, format="HEIF")
    return output.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n" + b"%" * 80 + b"\ntrailer<<>>\n%%EOF\n"
MP3_ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + b"\x00" * 200
MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 200
WAV = b"RIFF" + struct.pack("<I", 36 + 100) + b"WAVEfmt " + b"\x00" * 24 + b"data" + b"\x00" * 104
OGG = b"OggS\x00\x02" + b"\x00" * 200
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00M4A mp42isom\x00\x00\x00\x00" + b"\x00" * 200
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 200
MP4_AUDIO_BRAND = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00M4A mp42" + b"\x00" * 200
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\x00" * 200
OLD_MOV = b"\x00\x00\x01\x00moov" + b"\x00" * 300
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 200
MATROSKA = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska" + b"\x00" * 200
AVI = b"RIFF\x00\x01\x00\x00AVI LIST" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'
BOM_SVG = b'\xef\xbb\xbf  <svg xmlns="http://www.w3.org/2000/svg"></svg>'
ZIP = b"PK\x03\x04" + b"\x00" * 200


def upload(data, name="evidence.bin"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# --- Sniffing: the bytes decide --------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (png_bytes(), "image/png"),
        (photo_bytes(1, size=(60, 40)), "image/jpeg"),
        (photo_bytes(1, size=(60, 40), image_format="WEBP"), "image/webp"),
        (PDF, "application/pdf"),
        (MP3_ID3, "audio/mpeg"),
        (MP3_FRAME, "audio/mpeg"),
        (WAV, "audio/wav"),
        (OGG, "audio/ogg"),
        (M4A, "audio/mp4"),
        (MP4_AUDIO_BRAND, "audio/mp4"),
        (MP4, "video/mp4"),
        (MOV, "video/quicktime"),
        (OLD_MOV, "video/quicktime"),
        (WEBM, "video/webm"),
    ],
)
def test_each_accepted_kind_is_told_by_its_bytes(data, content_type):
    assert files.sniff(data[: files.HEAD_BYTES]).content_type == content_type


@pytest.mark.skipif(not pictures.HEIC_READABLE, reason="pillow-heif is not installed")
def test_heic_is_accepted_where_pillow_heif_reads_it():
    assert files.sniff(heic_bytes()[:64]) == files.HEIC


@pytest.mark.parametrize(
    "data",
    [HTML, SVG, BOM_SVG, MATROSKA, AVI, ZIP, b"\x00" * 500, b"hello, world\n" * 20,
     b"\xff\xd8", b"GIF89a" + b"\x00" * 100, b"\xff\xf1\x50\x80" + b"\x00" * 100],
)  # fmt: skip
def test_other_bytes_are_not_a_type_we_take(data):
    assert files.sniff(data) is None


def test_html_and_svg_are_refused_as_script_carriers():
    utf16 = "\ufeff<html><script>x()</script></html>".encode("utf-16-le")
    for data in (HTML, SVG, BOM_SVG, b"  \n<html><p>x</p></html>", utf16):
        assert "can carry scripts" in files.refusal(data)


def test_zero_bytes_and_garbage_get_their_own_reasons():
    assert "zero bytes" in files.refusal(b"\x00" * 100)
    assert "its bytes do" in files.refusal(b"\x13\x37garbage" * 10)


def test_uploaders_names_lose_folders_and_control_characters():
    assert files.clean_name("..\\..\\evil\x00name\n.png") == "evilname.png"
    assert files.clean_name("/etc/passwd") == "passwd"
    assert len(files.clean_name("a" * 1000 + ".png")) == files.NAME_MAX_CHARS


# --- Checking a whole file ---------------------------------------------------------------


def test_a_pdf_named_png_is_taken_as_a_pdf():
    checked = files.check_file(upload(PDF, "photo.png"))
    assert checked.file_type == files.PDF
    assert checked.sha256 == hashlib.sha256(PDF).hexdigest()
    assert checked.picture is None


def test_a_photo_named_pdf_is_taken_as_a_photo():
    data = photo_bytes(2, size=(120, 80))
    checked = files.check_file(upload(data, "report.pdf"))
    assert checked.file_type == files.JPEG
    assert checked.picture.width == 120


def test_an_svg_named_png_is_refused():
    with pytest.raises(files.FileRefused, match="can carry scripts"):
        files.check_file(upload(SVG, "innocent.png"))


def test_an_empty_file_is_refused():
    with pytest.raises(files.FileRefused, match="empty"):
        files.check_file(upload(b"", "empty.png"))


def test_a_truncated_photo_is_refused():
    data = photo_bytes(3, size=(300, 200))
    with pytest.raises(files.FileRefused, match="damaged or truncated"):
        files.check_file(upload(data[: len(data) // 2], "cut.jpg"))


def test_a_truncated_pdf_is_refused():
    with pytest.raises(files.FileRefused, match="truncated"):
        files.check_file(upload(PDF[:-10] + b"x" * 3000, "cut.pdf"))


def test_a_wav_shorter_than_it_declares_is_refused():
    with pytest.raises(files.FileRefused, match="truncated"):
        files.check_file(upload(WAV[:80], "cut.wav"))


def test_a_signature_alone_is_too_short():
    with pytest.raises(files.FileRefused, match="too short"):
        files.check_file(upload(b"OggS\x00\x02", "tiny.ogg"))


def test_a_file_with_a_good_signature_and_nul_bytes_after_it_is_a_damaged_picture():
    with pytest.raises(files.FileRefused, match="damaged"):
        files.check_file(upload(b"\x89PNG\r\n\x1a\n" + b"\x00" * 5000, "nul.png"))


def test_oversized_files_are_refused_by_kind(settings):
    settings.EVIDENCE_MAX_BYTES = 100
    settings.EVIDENCE_IMAGE_MAX_BYTES = 10_000_000
    with pytest.raises(files.FileRefused, match="larger than 100 bytes"):
        files.check_file(upload(WAV, "big.wav"))
    assert files.check_file(upload(png_bytes(), "fine.png")).file_type == files.PNG
    settings.EVIDENCE_IMAGE_MAX_BYTES = 50
    with pytest.raises(files.FileRefused, match="larger than 50 bytes"):
        files.check_file(upload(png_bytes(), "big.png"))


def test_a_size_the_upload_understates_is_still_caught_while_reading(settings):
    settings.EVIDENCE_MAX_BYTES = 100
    lying = ContentFile(WAV, name="lying.wav")
    lying.size = 10  # what a client might claim
    with pytest.raises(files.FileRefused, match="larger than 100 bytes"):
        files.check_file(lying)


def png_bomb(width, height):
    """A PNG whose header claims width x height pixels, in a few hundred bytes."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_refused_before_decoding(settings):
    settings.EVIDENCE_MAX_PIXELS = 50_000_000
    bomb = png_bomb(100_000, 100_000)
    assert len(bomb) < 500
    with pytest.raises(files.FileRefused, match="too large to read safely"):
        files.check_file(upload(bomb, "bomb.png"))


def test_the_pixel_limit_comes_from_the_settings(settings):
    settings.EVIDENCE_MAX_PIXELS = 1000
    with pytest.raises(files.FileRefused, match="at most 1,000 pixels"):
        files.check_file(upload(png_bytes((40, 30)), "small.png"))


# --- Storing and citing -------------------------------------------------------------


def test_an_upload_is_stored_with_its_hash_and_logged(claim, bob):
    data = photo_bytes(1, taken_at="2022:01:05 14:03:07", make="Canon", model="EOS 6D")
    citation = files.attach_file(
        claim, actor=bob, upload=upload(data, "square.jpg"), stance="supports"
    )
    stored = citation.evidence.file
    assert citation.file_was_stored
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert (stored.kind, stored.content_type, stored.size) == ("image", "image/jpeg", len(data))
    assert citation.evidence.title == "square.jpg"
    with stored.file.open("rb") as kept:
        assert kept.read() == data
    assert stored.file.path.startswith(str(stored.file.storage.location))
    assert "/static/" not in stored.file.path
    entry = CollectionLogEntry.objects.get(evidence=citation.evidence)
    assert (entry.action, entry.outcome, entry.sha256) == ("upload", "stored", stored.sha256)
    assert entry.operator_name == "bob"
    assert "JPEG picture (image/jpeg)" in entry.detail
    assert f"{len(data):,} bytes" in entry.detail
    event = AuditEvent.objects.get(action="evidence.cite")
    assert event.after["file_sha256"] == stored.sha256


def test_the_same_bytes_twice_are_one_evidence_item_cited_again(source, bob):
    first_claim = make_claim(source, "about 1,200 homes were flooded in Marrow")
    second_claim = make_claim(source, "at least 14 people had died")
    data = png_bytes()
    first = files.attach_file(
        first_claim, actor=bob, upload=upload(data, "a.png"), stance="supports"
    )
    again = files.attach_file(
        second_claim, actor=bob, upload=upload(data, "renamed.png"), stance="refutes"
    )
    assert again.evidence_id == first.evidence_id
    assert not again.file_was_stored
    assert Evidence.objects.count() == EvidenceFile.objects.count() == 1
    assert CollectionLogEntry.objects.count() == 1
    with pytest.raises(AlreadyCited):
        files.attach_file(first_claim, actor=bob, upload=upload(data), stance="context")
    assert ClaimEvidence.objects.count() == 2


def test_the_same_bytes_in_another_investigation_are_stored_again(claim, bob):
    other = make_claim(make_source(make_investigation(slug="other", members=[(bob, "reviewer")])))
    data = png_bytes()
    files.attach_file(claim, actor=bob, upload=upload(data), stance="supports")
    files.attach_file(other, actor=bob, upload=upload(data), stance="supports")
    assert EvidenceFile.objects.count() == 2


def test_a_refused_upload_leaves_nothing(claim, bob, settings):
    with pytest.raises(files.FileRefused):
        files.attach_file(claim, actor=bob, upload=upload(HTML, "page.png"), stance="supports")
    assert not Evidence.objects.exists()
    assert not CollectionLogEntry.objects.exists()
    media = settings.MEDIA_ROOT / "evidence"
    assert not media.exists() or not any(media.rglob("*.*"))


def test_an_archived_investigation_takes_no_file_and_keeps_none(claim, bob, alice, settings):
    investigations.set_archived(claim.investigation, actor=alice, archived=True)
    with pytest.raises(InvestigationArchived):
        files.attach_file(claim, actor=bob, upload=upload(png_bytes()), stance="supports")
    assert not EvidenceFile.objects.exists()
    media = settings.MEDIA_ROOT / "evidence"
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_a_stored_file_never_changes(claim, bob):
    citation = files.attach_file(claim, actor=bob, upload=upload(png_bytes()), stance="supports")
    stored = EvidenceFile.objects.get(evidence=citation.evidence)
    stored.sha256 = "0" * 64
    with pytest.raises(EvidenceFileImmutable):
        stored.save()
    assert EvidenceFile.objects.get().sha256 != "0" * 64


def test_deleting_the_evidence_removes_its_files(claim, bob, django_capture_on_commit_callbacks):
    citation = files.attach_file(claim, actor=bob, upload=upload(photo_bytes(4)), stance="supports")
    stored = citation.evidence.file
    paths = [stored.file.path, stored.published_copy.path, stored.thumbnail.path]
    with django_capture_on_commit_callbacks(execute=True):
        citation.evidence.delete()
    import os

    assert not any(os.path.exists(path) for path in paths)


# --- What a sign-off approves pins the file --------------------------------------------


def _signed(claim, proposer, reviewer):
    from claims.models import Membership
    from claims.review import reviews

    verdict = reviews.propose_verdict(
        claim,
        proposer=proposer,
        membership=Membership.objects.get(user=proposer),
        rating="true",
        rationale="The photo shows it.",
    )
    reviews.sign_off_verdict(
        verdict, reviewer=reviewer, membership=Membership.objects.get(user=reviewer)
    )
    verdict.refresh_from_db()
    return verdict


def test_a_sign_off_pins_the_files_sha256(claim, bob, rita):
    from claims.review import signoff

    citation = files.attach_file(claim, actor=bob, upload=upload(png_bytes()), stance="supports")
    verdict = _signed(claim, bob, rita)
    (item,) = verdict.signed_content["citations"]
    assert item["file_sha256"] == citation.evidence.file.sha256
    assert signoff.content_sha256(verdict.signed_content) == verdict.signed_sha256
    committed = signoff.commitment(verdict.signed_content)["citations"][0]
    assert committed["file_sha256"] == citation.evidence.file.sha256


def test_content_signed_without_files_hashes_as_before():
    from claims.review import signoff

    citation = {"stance": "supports", "url": "https://example.org/", "title": "Page"}
    content = signoff.signed_content(
        statement="S", rating="true", rationale="R", citations=[citation]
    )
    assert "file_sha256" not in content["citations"][0]
    assert "file_sha256" not in signoff.commitment(content)["citations"][0]
    # The digest of this content as the sign-off code computed it before files existed.
    assert signoff.content_sha256(content) == signoff.content_sha256(
        {**content, "citations": [dict(content["citations"][0])]}
    )


def test_swapping_the_file_behind_a_citation_voids_the_sign_off(claim, bob, rita, erin):
    from claims.evidence.citations import retract_citation
    from claims.models import ClaimStatus, Membership
    from claims.review import reviews

    first = files.attach_file(
        claim, actor=bob, upload=upload(png_bytes(colour=(1, 2, 3))), stance="supports",
        title="Photo of the dam",
    )  # fmt: skip
    _signed(claim, bob, rita)
    retract_citation(
        first, actor=erin, membership=Membership.objects.get(user=erin), reason="Wrong file"
    )
    files.attach_file(
        claim, actor=erin, upload=upload(png_bytes(colour=(9, 9, 9))), stance="supports",
        title="Photo of the dam",
    )  # fmt: skip
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SIGN_OFF_VOID
    current = reviews.current_verdict(claim)
    rows = reviews.changes_since_sign_off(claim, current)
    (label, before, after) = rows[0]
    assert label == "Evidence: Photo of the dam"
    assert first.evidence.file.sha256[:12] in before
    assert first.evidence.file.sha256[:12] not in after
    assert "file " in after
