"""Uploaded files, decided similar-claim links and testimony citations travel in the transfer
file (version 6): the imported copy gives the same report digest and sign-off digests, the
same file bytes and hashes, and the same decisions; a file that lies about any of them is
refused whole."""

import hashlib
import io
import json
import random
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from claims.corroboration import links, matching
from claims.devdata.photos import photo_bytes
from claims.evidence import files
from claims.models import (
    ClaimLink,
    CollectionLogEntry,
    Evidence,
    EvidenceFile,
    Role,
    Stance,
    Verdict,
)
from claims.reporting import transfer
from tests.factories import make_claim, make_investigation, make_similar_pair, make_source
from tests.reports.conftest import sign_off
from tests.reports.test_report_transfer import (
    _export,
    _media_files,
    _refused,
    _report_hashes,
    _rewrite,
    _with_data,
)
from tests.test_evidence_files import PDF

PHOTO = photo_bytes(
    2022,
    taken_at="2022:01:05 14:03:07",
    make="Apple",
    model="iPhone 12",
    gps=(43.2381, 76.9452),
    serial="DEMO-F17ZX0QH",
)
DECIDED = (
    ClaimLink.Status.CONFIRMED_SAME,
    ClaimLink.Status.CONFIRMED_CONTRADICTS,
    ClaimLink.Status.REJECTED,
)


@pytest.fixture
def cited_world(report_world, alice, bob, rita):
    """The report world, plus: a photo and a PDF cited on a claim that is then signed off; a
    confirmed same-claim link whose other end is cited as testimony and signed off; a rejected
    link; and a confirmed link to a claim of another investigation (which cannot travel)."""
    investigation = report_world["investigation"]
    named = report_world["claims"][3]
    for name, body, stance in (("square.jpg", PHOTO, "supports"), ("decree.pdf", PDF, "context")):
        files.attach_file(
            named, actor=bob, upload=SimpleUploadedFile(name, body), stance=stance, note="Seen."
        )
    sign_off(named, bob, rita, rationale="The photo shows the square.")

    first, _second, confirmed = make_similar_pair(investigation)
    links.decide(confirmed, actor=bob, decision="same", expected_version=confirmed.version)
    links.cite_testimony(confirmed, first, actor=bob, stance=Stance.SUPPORTS)
    sign_off(first, rita, bob, rationale="The wire says the same.")

    river = make_source(
        investigation,
        text="A resident said about 1,200 homes were flooded in Marrow overnight.",
        title="Resident",
        author="Resident",
    )
    rose = make_claim(river, "about 1,200 homes were flooded in Marrow overnight")
    matching.match_claim(rose.pk)
    rejected = ClaimLink.objects.filter(status=ClaimLink.Status.SUGGESTED).first()
    assert rejected is not None
    links.decide(rejected, actor=rita, decision="reject", expected_version=rejected.version)

    elsewhere = make_investigation(slug="alice-other", members=[(alice, Role.OWNER)])
    other = make_claim(
        make_source(elsewhere, text="The council counted 1,150 flooded homes in Marrow."),
        "The council counted 1,150 flooded homes in Marrow",
    )
    matching.match_claim(other.pk)
    across = ClaimLink.objects.filter(same_investigation=False, claim_b=other).first()
    links.decide(across, actor=alice, decision="same", expected_version=across.version)
    return investigation


def _signoffs(investigation):
    return sorted(
        (verdict.claim.statement, verdict.status, verdict.signed_sha256, verdict.signed_content)
        for verdict in Verdict.objects.filter(claim__investigation=investigation)
    )


def _read(field_file):
    with field_file.open("rb") as stored:
        return stored.read()


def _files(investigation):
    """Everything a stored file is, by its SHA-256, with the bytes of all three copies."""
    found = {}
    for stored in EvidenceFile.objects.filter(investigation=investigation):
        assert stored.evidence.investigation_id == investigation.pk
        found[stored.sha256] = {
            "evidence": stored.evidence.title,
            "kind": stored.kind,
            "content_type": stored.content_type,
            "size": stored.size,
            "original_name": stored.original_name,
            "uploaded_by": stored.uploaded_by.username,
            "uploaded_at": stored.uploaded_at,
            "original": hashlib.sha256(_read(stored.file)).hexdigest(),
            "published": (
                stored.published_sha256,
                stored.published_content_type,
                stored.published_copy and hashlib.sha256(_read(stored.published_copy)).hexdigest(),
            ),
            "thumbnail": stored.thumbnail and _read(stored.thumbnail),
            "picture": (stored.width, stored.height, stored.metadata, stored.dhash),
        }
    return found


def _decided_links(investigation):
    return sorted(
        (
            link.claim_a.quote,
            link.claim_b.quote,
            link.status,
            link.relation,
            link.score,
            link.reason,
            link.decided_by.username,
            link.decided_at,
            link.created_at,
        )
        for link in ClaimLink.objects.filter(
            claim_a__investigation=investigation,
            claim_b__investigation=investigation,
            status__in=DECIDED,
        )
    )


def _collection_log(investigation):
    return sorted(
        (
            entry.evidence.title,
            entry.snapshot and entry.snapshot.sha256,
            entry.action,
            entry.outcome,
            entry.at,
            entry.method,
            entry.operator and entry.operator.username,
            entry.operator_name,
            entry.sha256,
            entry.detail,
        )
        for entry in CollectionLogEntry.objects.filter(evidence__investigation=investigation)
    )


def _testimony(investigation):
    return sorted(
        (evidence.title, evidence.testimony.quote, evidence.testimony.source.title)
        for evidence in Evidence.objects.filter(
            investigation=investigation, testimony__isnull=False
        )
    )


def test_files_links_and_testimony_arrive_as_they_were(cited_world, media):
    investigation = cited_world
    reports_before = _report_hashes(investigation)
    signoffs, stored, decided = (
        _signoffs(investigation),
        _files(investigation),
        _decided_links(investigation),
    )
    testimony, log = _testimony(investigation), _collection_log(investigation)
    assert len(stored) == 2
    assert {entry[2] for entry in log} == {"upload"}
    assert {link[2] for link in decided} == {
        ClaimLink.Status.CONFIRMED_SAME,
        ClaimLink.Status.REJECTED,
    }
    assert len(testimony) == 1
    data = _export(investigation)
    investigation.delete()

    copy = transfer.import_investigation(io.BytesIO(data))

    assert _signoffs(copy) == signoffs
    assert _files(copy) == stored
    assert _decided_links(copy) == decided
    assert _testimony(copy) == testimony
    assert _collection_log(copy) == log
    assert _report_hashes(copy) == reports_before


def test_suggestions_are_made_again_after_the_import(
    cited_world, media, django_capture_on_commit_callbacks
):
    investigation = cited_world
    data = _export(investigation)
    investigation.delete()
    with django_capture_on_commit_callbacks(execute=True):
        copy = transfer.import_investigation(io.BytesIO(data))
    suggested = ClaimLink.objects.filter(
        claim_a__investigation=copy, status=ClaimLink.Status.SUGGESTED
    )
    assert suggested.exists()
    # The matcher leaves decided links as they were imported.
    assert {link[2] for link in _decided_links(copy)} == {
        ClaimLink.Status.CONFIRMED_SAME,
        ClaimLink.Status.REJECTED,
    }


def test_the_file_names_the_new_parts_and_no_link_leaves_the_investigation(cited_world, media):
    document = _document(_export(cited_world))
    assert document["version"] == 6
    claim_keys = {record["key"] for record in document["claims"]}
    assert len(document["claim_links"]) == 2  # not the link to the other investigation
    for record in document["claim_links"]:
        assert {record["claim_a"], record["claim_b"]} <= claim_keys
    assert [record["file"]["member"] for record in document["evidence_files"]] == [
        f"files/evidence-{record['key']}" for record in document["evidence_files"]
    ]


def _document(data):
    return json.loads(zipfile.ZipFile(io.BytesIO(data)).read("investigation.json"))


# --- What a forged or damaged file cannot bring in ---------------------------------------------

COUNTED = [EvidenceFile, ClaimLink, Evidence, CollectionLogEntry]


def _refused_whole(data, media, message):
    counts = {model.__name__: model.objects.count() for model in COUNTED}
    files_before = _media_files(media)
    _refused(data, media, message)
    assert {model.__name__: model.objects.count() for model in COUNTED} == counts
    assert _media_files(media) == files_before


@pytest.fixture
def exported_world(cited_world, media):
    data = _export(cited_world)
    cited_world.delete()
    return data


def _file_record(document, content_type):
    return next(r for r in document["evidence_files"] if r["content_type"] == content_type)


def _replace_file(content_type, body, *, rehash=True, record_too=True):
    """A change of the zip: the uploaded file of `content_type` gets `body`; the manifest (and
    the record's hash and size, with `record_too`) say so, as a forger would write them."""

    def change(members):
        document = json.loads(members["investigation.json"])
        record = _file_record(document, content_type)
        member = record["file"]["member"]
        members[member] = body
        if record_too:
            record["sha256"] = hashlib.sha256(body).hexdigest()
            record["size"] = len(body)
        members["investigation.json"] = json.dumps(document).encode()
        manifest = json.loads(members["manifest.json"])
        manifest["files"]["investigation.json"] = hashlib.sha256(
            members["investigation.json"]
        ).hexdigest()
        if rehash:
            manifest["files"][member] = hashlib.sha256(body).hexdigest()
        members["manifest.json"] = json.dumps(manifest).encode()

    return change


def test_a_file_whose_bytes_do_not_match_its_hash_is_refused(exported_world, media):
    damaged = _replace_file("image/jpeg", PHOTO[:-1] + b"\x00", rehash=False, record_too=False)
    _refused_whole(_rewrite(exported_world, damaged), media, "does not match its SHA-256")


def test_a_file_whose_record_names_other_bytes_is_refused(exported_world, media):
    other = photo_bytes(7)
    forged = _replace_file("image/jpeg", other, record_too=False)
    _refused_whole(
        _rewrite(exported_world, forged), media, r"File evidence \d+ is refused: .*sha256"
    )


def test_a_truncated_picture_is_refused(exported_world, media):
    cut = _replace_file("image/jpeg", PHOTO[: len(PHOTO) // 2])
    _refused_whole(
        _rewrite(exported_world, cut), media, r"File evidence \d+ is refused: .*truncated"
    )


def test_a_truncated_pdf_after_a_stored_picture_leaves_no_file_behind(exported_world, media):
    cut = _replace_file("application/pdf", PDF.replace(b"%%EOF", b""))
    _refused_whole(_rewrite(exported_world, cut), media, r"File evidence \d+ is refused: .*PDF")


def test_markup_named_a_picture_is_refused(exported_world, media):
    script = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>" * 3
    forged = _replace_file("image/jpeg", script)
    _refused_whole(_rewrite(exported_world, forged), media, r"File evidence \d+ is refused: .*HTML")


def test_the_type_is_read_from_the_bytes_not_the_file(exported_world, media):
    def call_the_pdf_a_picture(document):
        record = _file_record(document, "application/pdf")
        record["content_type"], record["kind"] = "image/png", "image"

    _refused_whole(
        _with_data(exported_world, call_the_pdf_a_picture),
        media,
        r"File evidence \d+ is refused: its bytes are a PDF document of kind 'pdf', not 'image'",
    )


def test_a_clean_copy_is_made_here_never_taken_from_the_file(exported_world, media, capsys):
    def claim_another_copy(document):
        _file_record(document, "image/jpeg")["published_sha256"] = "0" * 64

    copy = transfer.import_investigation(io.BytesIO(_with_data(exported_world, claim_another_copy)))

    stored = EvidenceFile.objects.get(investigation=copy, content_type="image/jpeg")
    assert stored.published_sha256 == hashlib.sha256(_read(stored.published_copy)).hexdigest()
    assert stored.published_sha256 != "0" * 64
    [note] = copy.transfer_notes
    assert "differs from the exporting installation's in published_sha256 (" in note


def _link(document, status):
    return next(r for r in document["claim_links"] if r["status"] == status)


def _link_to_unknown_claim(document):
    _link(document, "rejected")["claim_b"] = 999_999


def _link_to_itself(document):
    record = _link(document, "rejected")
    record["claim_b"] = record["claim_a"]


def _a_suggestion(document):
    _link(document, "rejected")["status"] = "suggested"


def _a_decision_never_made(document):
    _link(document, "rejected")["status"] = "approved_by_editor"


def _a_decision_without_a_time(document):
    _link(document, "confirmed_same")["decided_at"] = None


def _a_pair_twice(document):
    record = dict(_link(document, "confirmed_same"), key=999_999)
    document["claim_links"].append(record)


def _testimony_of_unknown_claim(document):
    next(r for r in document["evidence"] if r["testimony"])["testimony"] = 999_999


def _file_of_unknown_evidence(document):
    document["evidence_files"][0]["evidence"] = 999_999


def _file_without_bytes(document):
    del document["evidence_files"][0]["file"]


def _log_of_unknown_evidence(document):
    document["collection_log"][0]["evidence"] = 999_999


def _log_of_another_evidence_snapshot(document):
    entry = document["collection_log"][0]
    entry["snapshot"] = next(
        r["key"] for r in document["snapshots"] if r["evidence"] != entry["evidence"]
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_log_of_unknown_evidence, r"^Collection log entry \d+ belongs to evidence 999999"),
        (
            _log_of_another_evidence_snapshot,
            r"^Collection log entry \d+ names snapshot \d+, which the file does not hold for",
        ),
        (_link_to_unknown_claim, r"^Link \d+ names claim 999999, which the file does not hold\.$"),
        (_link_to_itself, r"^Link \d+ links claim \d+ to itself\.$"),
        (_a_suggestion, r"^Link \d+ records the decision 'suggested', which the workbench"),
        (_a_decision_never_made, r"^Link \d+ records the decision 'approved_by_editor'"),
        (_a_decision_without_a_time, r"^Link \d+ records the decision .* without a time"),
        (_a_pair_twice, r"^Link 999999 links claims \d+ and \d+ a second time\.$"),
        (_testimony_of_unknown_claim, r"^Evidence \d+ quotes claim 999999 as testimony"),
        (_file_of_unknown_evidence, r"^File evidence \d+ belongs to evidence 999999, which"),
        (_file_without_bytes, r"^File evidence \d+ is invalid: the export carries no file"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_a_file_that_links_wrongly_is_refused_whole(exported_world, media, change, message):
    _refused_whole(_with_data(exported_world, change), media, message)


def _as_version_5(document):
    document["version"] = 5
    for name in ("evidence_files", "claim_links", "collection_log"):
        del document[name]
    for record in document["evidence"]:
        del record["testimony"]


def test_a_version_5_file_still_imports(exported_world, media):
    def older(members):
        for name in [name for name in members if name.startswith("files/evidence-")]:
            del members[name]
        manifest = json.loads(members["manifest.json"])
        manifest["version"] = 5
        manifest["files"] = {
            name: digest
            for name, digest in manifest["files"].items()
            if not name.startswith("files/evidence-")
        }
        members["manifest.json"] = json.dumps(manifest).encode()

    copy = transfer.import_investigation(
        io.BytesIO(_rewrite(_with_data(exported_world, _as_version_5), older))
    )
    assert copy.claims.count() == len(_document(exported_world)["claims"])
    assert not EvidenceFile.objects.filter(investigation=copy).exists()
    assert not ClaimLink.objects.filter(claim_a__investigation=copy).exists()
    assert not Evidence.objects.filter(investigation=copy, testimony__isnull=False).exists()
    assert not CollectionLogEntry.objects.filter(evidence__investigation=copy).exists()


def test_the_import_command_prints_what_was_made_again(exported_world, media, tmp_path, capsys):
    def claim_another_copy(document):
        _file_record(document, "image/jpeg")["dhash"] = "0" * 16

    path = tmp_path / "copy.zip"
    path.write_bytes(_with_data(exported_world, claim_another_copy))
    call_command("import_investigation", str(path))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Imported 'flood-2026': ")
    assert len(lines) == 2
    assert lines[1].startswith("Note: File evidence ")
    assert "differs from the exporting installation's in dhash (" in lines[1]


def test_a_version_5_file_with_an_uploaded_file_is_refused(exported_world, media):
    def older(members):
        manifest = json.loads(members["manifest.json"])
        manifest["version"] = 5
        members["manifest.json"] = json.dumps(manifest).encode()

    older_file = _rewrite(_with_data(exported_world, _as_version_5), older)
    _refused_whole(older_file, media, r"unexpected entry 'files/evidence-\d+'")


def test_uploaded_files_are_streamed_into_the_export_not_held(report_world, bob, media, tmp_path):
    """A recording or video may be hundreds of megabytes: the export copies each stored file
    into the zip a chunk at a time, never whole in memory."""
    claim = report_world["claims"][3]
    body = b"%PDF-1.4\n" + random.Random(6).randbytes(16 * 1024**2) + b"\n%%EOF\n"
    files.attach_file(
        claim, actor=bob, upload=SimpleUploadedFile("large.pdf", body), stance="context"
    )
    digest = hashlib.sha256(body).hexdigest()
    del body
    out = tmp_path / "export.zip"
    tracemalloc.start()
    transfer.export_investigation(report_world["investigation"], out)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        [member] = [name for name in manifest["files"] if name.startswith("files/evidence-")]
        assert manifest["files"][member] == digest
        assert hashlib.sha256(archive.read(member)).hexdigest() == digest
    assert peak < 12 * 1024**2  # the 16 MB file never sits in memory
