"""Uploaded files in reports: listed with hash, type, who and when in every format; GPS and
personal metadata left out unless the exporter includes it; the bundle carries the picture
as a clean copy (or the original when metadata is included) and verifies."""

import hashlib
import io
import json
import shutil
import subprocess
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from claims.devdata.photos import photo_bytes
from claims.evidence import files
from claims.models import Membership
from claims.reporting import reports
from claims.reporting.formats import export_report
from claims.reporting.formats.bundle import verify_bundle
from claims.review import reviews
from tests.test_evidence_files import PDF

GEOTAGGED = photo_bytes(
    1,
    taken_at="2022:01:05 14:03:07",
    make="Canon",
    model="EOS 6D",
    gps=(43.2381, 76.9452),
    serial="SERIAL-083024",
    owner="Aigerim Owner",
)
PERSONAL = ["43.2381", "76.9452", "SERIAL-083024", "Aigerim Owner"]
TEXT_FORMATS = ["html", "md", "csv", "json", "claimreview", "annotations"]


@pytest.fixture
def cited(claim, bob, rita):
    """The claim cites a geotagged photo and a PDF; its verdict is signed off."""
    photo = files.attach_file(
        claim, actor=bob, upload=SimpleUploadedFile("street.jpg", GEOTAGGED), stance="supports"
    )
    document = files.attach_file(
        claim, actor=bob, upload=SimpleUploadedFile("decree.pdf", PDF), stance="context"
    )
    verdict = reviews.propose_verdict(
        claim,
        proposer=bob,
        membership=Membership.objects.get(user=bob),
        rating="true",
        rationale="The photo shows the square.",
    )
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=Membership.objects.get(user=rita))
    return photo.evidence.file, document.evidence.file


def export(investigation, name, **options):
    return b"".join(export_report(investigation, name, reports.ReportOptions(**options)))


@pytest.mark.parametrize("name", TEXT_FORMATS)
def test_personal_metadata_is_left_out_by_default(claim, cited, name):
    text = export(claim.investigation, name).decode()
    for value in PERSONAL:
        assert value not in text, f"{value} in {name}"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_personal_metadata_is_left_out_of_the_pdf(claim, cited, tmp_path):
    (tmp_path / "r.pdf").write_bytes(export(claim.investigation, "pdf"))
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert cited[0].sha256[:20] in text.replace("\n", "")
    for value in PERSONAL:
        assert value not in text


@pytest.mark.parametrize("name", ["html", "md", "json"])
def test_files_are_listed_with_hash_type_who_and_when(claim, cited, name):
    photo, document = cited
    text = export(claim.investigation, name).decode()
    for stored in (photo, document):
        assert stored.sha256 in text
        assert stored.content_type in text
    assert photo.published_sha256 in text
    assert "bob" in text
    assert "2022-01-05T14:03:07" in text  # capture time is not personal
    assert "Canon" in text


def test_csv_lists_each_file(claim, cited):
    text = export(claim.investigation, "csv").decode()
    photo, document = cited
    assert f"image/jpeg sha256:{photo.sha256} by bob" in text
    assert f"application/pdf sha256:{document.sha256} by bob" in text


@pytest.mark.parametrize("name", ["html", "md", "json"])
def test_chosen_metadata_is_published(claim, cited, name):
    text = export(claim.investigation, name, include_file_metadata=True).decode()
    for value in PERSONAL:
        assert value in text, f"{value} missing from {name}"


def test_json_follows_the_schema_and_states_both_hashes(claim, cited):
    document = json.loads(export(claim.investigation, "json"))
    assert document["schema_version"] == "1.5"
    assert "include_file_metadata" not in document["options"]
    photo_item, pdf_item = (item for item in document["sources"][0]["claims"][0]["evidence"])
    photo, _pdf = cited
    assert photo_item["file"]["sha256"] == photo.sha256
    assert photo_item["file"]["published"] == {
        "copy": "re-encoded without metadata",
        "sha256": photo.published_sha256,
        "path": f"files/{photo.published_sha256}.jpg",
    }
    assert "gps" not in photo_item["file"]["metadata"]
    assert pdf_item["file"]["published"]["copy"] == "withheld"
    chosen = json.loads(export(claim.investigation, "json", include_file_metadata=True))
    assert chosen["options"]["include_file_metadata"] is True
    item = chosen["sources"][0]["claims"][0]["evidence"][0]
    assert item["file"]["metadata"]["gps"] == {"latitude": 43.2381, "longitude": 76.9452}
    assert item["file"]["published"]["copy"] == "original"


def _bundle(claim, **options):
    return zipfile.ZipFile(io.BytesIO(export(claim.investigation, "bundle", **options)))


def test_the_bundle_carries_a_clean_copy_and_verifies(claim, cited, tmp_path):
    photo, document = cited
    bundle = _bundle(claim)
    names = bundle.namelist()
    copy_name = f"files/{photo.published_sha256}.jpg"
    assert copy_name in names
    assert not any(document.sha256 in name for name in names)  # the PDF is withheld
    assert f"files/{photo.sha256}.jpg" not in names
    data = bundle.read(copy_name)
    assert hashlib.sha256(data).hexdigest() == photo.published_sha256
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()
    for value in PERSONAL:
        assert value.encode() not in data
    path = tmp_path / "bundle.zip"
    path.write_bytes(export(claim.investigation, "bundle"))
    check = verify_bundle(path)
    assert check.problems == []
    assert check.recomputed_signoffs == 1


def test_with_metadata_the_bundle_carries_the_originals(claim, cited, tmp_path):
    photo, document = cited
    bundle = _bundle(claim, include_file_metadata=True)
    assert bundle.read(f"files/{photo.sha256}.jpg") == GEOTAGGED
    assert bundle.read(f"files/{document.sha256}.pdf") == PDF
    path = tmp_path / "bundle.zip"
    path.write_bytes(export(claim.investigation, "bundle", include_file_metadata=True))
    assert verify_bundle(path).problems == []


def test_a_swapped_file_in_the_bundle_is_caught(claim, cited, tmp_path):
    _photo, _ = cited
    source = _bundle(claim)
    path = tmp_path / "tampered.zip"
    with zipfile.ZipFile(path, "w") as tampered:
        for name in source.namelist():
            data = source.read(name)
            if name.startswith("files/"):
                data = photo_bytes(9)
            tampered.writestr(name, data)
    problems = verify_bundle(path).problems
    assert any("does not match the file hash" in problem for problem in problems)


def test_a_pseudonymized_bundle_carries_no_files(claim, cited):
    names = _bundle(claim, pseudonymize=True).namelist()
    assert not [name for name in names if name.startswith("files/")]


def test_reports_without_files_keep_their_digest(claim, bob):
    """A report with no uploaded file hashes as before files existed: no `file` key and no
    new option in what the digest covers."""
    from claims.evidence import citations

    citations.cite_evidence(
        claim, actor=bob, stance="supports", url="https://example.org/a", title="Page"
    )
    report = reports.build_report(claim.investigation)
    assert "include_file_metadata" not in reports.header_fields(report)["options"]
    (item,) = reports.claim_fields(report.claims[0])["evidence"]
    assert "file" not in item
