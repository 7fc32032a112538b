"""A bundle proves itself: verify_report passes it whole and catches any changed byte."""

import hashlib
import io
import json
import random
import tracemalloc
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.reporting.formats import export_report
from claims.reporting.formats.bundle import MANIFEST, canonical_manifest, verify_bundle


@pytest.fixture
def bundle(report_world, tmp_path):
    path = tmp_path / "bundle.zip"
    path.write_bytes(b"".join(export_report(report_world["investigation"], "bundle")))
    return path


def _members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rezip(path, members):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_bundle_holds_every_format_texts_snapshots_and_manifest(bundle):
    names = set(_members(bundle))
    assert {"report.html", "report.pdf", "report.md", "report.csv", "report.json"} <= names
    assert {"claimreview.jsonld", "annotations.jsonld", MANIFEST} <= names
    assert {"sources/source-1.txt", "sources/source-2.txt"} <= names
    assert [name for name in names if name.startswith("snapshots/")] != []


def test_a_whole_bundle_verifies(bundle):
    check = verify_bundle(bundle)
    assert check.problems == []
    assert check.checked_claims == 6
    assert check.checked_snapshots == 1
    assert check.checked_files == len(_members(bundle)) - 1


def test_exporting_again_gives_the_same_report_digest(report_world, bundle):
    members = _members(bundle)
    again = io.BytesIO(b"".join(export_report(report_world["investigation"], "bundle")))
    with zipfile.ZipFile(again) as archive:
        # The report's generated_at differs; everything about the data does not.
        manifest = json.loads(archive.read(MANIFEST))
    assert manifest["report_sha256"] == json.loads(members[MANIFEST])["report_sha256"]


def test_a_changed_byte_in_any_file_is_caught(bundle, tmp_path):
    members = _members(bundle)
    tampered = tmp_path / "tampered.zip"
    for name in sorted(members):
        size = len(members[name])
        for index in sorted({0, size // 2, size - 1}):
            data = bytearray(members[name])
            data[index] ^= 0x01
            _rezip(tampered, members | {name: bytes(data)})
            check = verify_bundle(tampered)
            assert check.problems, f"a changed byte at {index} of {name} went unnoticed"


def test_a_moved_quote_is_reported_by_claim(bundle, tmp_path):
    members = _members(bundle)
    document = json.loads(members["report.json"])
    document["sources"][0]["claims"][0]["start"] += 1
    members["report.json"] = json.dumps(document).encode()
    tampered = tmp_path / "tampered.zip"
    _rezip(tampered, members)
    problems = verify_bundle(tampered).problems
    assert "claim 1: quote is not at characters" in " ".join(problems)


def test_missing_and_extra_files_are_reported(bundle, tmp_path):
    members = _members(bundle)
    del members["report.md"]
    members["extra.txt"] = b"hello"
    tampered = tmp_path / "tampered.zip"
    _rezip(tampered, members)
    problems = verify_bundle(tampered).problems
    assert "report.md: listed in the manifest but missing" in problems
    assert "extra.txt: not listed in the manifest" in problems


def test_a_missing_source_text_is_reported_by_its_source(bundle, tmp_path):
    members = _members(bundle)
    del members["sources/source-1.txt"]
    tampered = tmp_path / "tampered.zip"
    _rezip(tampered, members)
    assert verify_bundle(tampered).problems == [
        "sources/source-1.txt: listed in the manifest but missing",
        "source 1: text file 'sources/source-1.txt' is missing",
    ]


def test_folder_entries_added_by_repacking_are_not_files(bundle, tmp_path):
    members = _members(bundle)
    repacked = tmp_path / "repacked.zip"
    with zipfile.ZipFile(repacked, "w") as archive:
        archive.mkdir("sources")
        for name, data in members.items():
            archive.writestr(name, data)
    check = verify_bundle(repacked)
    assert check.problems == []
    assert check.checked_files == len(members) - 1


def test_without_a_manifest_nothing_else_is_checked(bundle, tmp_path):
    members = _members(bundle)
    del members[MANIFEST]
    tampered = tmp_path / "tampered.zip"
    _rezip(tampered, members)
    check = verify_bundle(tampered)
    assert [problem.split(" (")[0] for problem in check.problems] == [f"{MANIFEST}: cannot be read"]
    assert check.checked_files == 0
    assert check.manifest_sha256 == ""


def test_verify_report_command_prints_result_and_exit_status(bundle, tmp_path, capsys):
    call_command("verify_report", str(bundle))
    assert "OK: every file matches" in capsys.readouterr().out
    not_a_zip = tmp_path / "x.zip"
    not_a_zip.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="1 problem: the bundle FAILS"):
        call_command("verify_report", str(not_a_zip))
    assert "PROBLEM Not a readable zip file" in capsys.readouterr().err


def test_export_report_command_writes_a_bundle_that_verifies(report_world, tmp_path, capsys):
    path = tmp_path / "out.zip"
    call_command(
        "export_report",
        "--investigation=flood-2026",
        "--format=bundle",
        f"--out={path}",
        "--verified-only",
        "--redact-reviewers",
        "--pseudonymize",
        "--publication-url=https://news.example/almaty",
    )
    assert "Wrote Bundle (zip) report" in capsys.readouterr().out
    assert verify_bundle(path).is_valid
    document = json.loads(_members(path)["report.json"])
    assert document["options"]["verified_only"] is True
    assert document["publication_url"] == "https://news.example/almaty"


def test_export_report_command_names_an_unknown_investigation(db, tmp_path):
    with pytest.raises(CommandError, match="No investigation with slug 'nope'"):
        call_command("export_report", "--investigation=nope", "--format=csv", f"--out={tmp_path}/x")


def test_verify_report_refuses_a_bundle_over_the_limits_in_one_line(bundle, settings, capsys):
    settings.ZIP_MAX_TOTAL_BYTES = 10_000
    with pytest.raises(CommandError, match="1 problem: the bundle FAILS"):
        call_command("verify_report", str(bundle))
    problems = [line for line in capsys.readouterr().err.splitlines() if line.startswith("PROB")]
    assert len(problems) == 1
    assert "would unpack to" in problems[0]
    assert "the limit is 10,000 bytes" in problems[0]


def test_verify_report_refuses_a_zip_bomb_before_it_inflates(bundle, tmp_path):
    members = _members(bundle)
    members["snapshots/bomb.html"] = b"\0" * 50 * 1024**2  # deflates to about 50 kB
    tampered = tmp_path / "bomb.zip"
    with zipfile.ZipFile(tampered, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    problems = verify_bundle(tampered).problems
    assert problems == ["snapshots/bomb.html is compressed too well to be genuine (zip bomb?)."]


def test_verify_report_reads_large_files_in_chunks(bundle, tmp_path):
    members = _members(bundle)
    big = random.Random(8).randbytes(24 * 1024**2)
    manifest = json.loads(members[MANIFEST])
    manifest["files"]["snapshots/big.bin"] = hashlib.sha256(big).hexdigest()
    members |= {"snapshots/big.bin": big, MANIFEST: canonical_manifest(manifest).encode()}
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    del members, big
    tracemalloc.start()
    check = verify_bundle(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert check.problems == []
    assert check.checked_files == len(_members(path)) - 1
    assert peak < 12 * 1024**2  # the 24 MB file is hashed on the way through
