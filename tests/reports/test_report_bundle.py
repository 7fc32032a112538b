"""A bundle proves itself: verify_report passes it whole and catches any changed byte."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.report_formats import export_report
from claims.report_formats.bundle import MANIFEST, verify_bundle


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
    assert check.checked_claims == 6 and check.checked_snapshots == 1
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


def test_verify_report_command_prints_result_and_exit_status(bundle, tmp_path, capsys):
    call_command("verify_report", str(bundle))
    assert "OK: every file matches" in capsys.readouterr().out
    not_a_zip = tmp_path / "x.zip"
    not_a_zip.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="1 problem: the bundle FAILS"):
        call_command("verify_report", str(not_a_zip))
    assert "PROBLEM not a readable zip file" in capsys.readouterr().err


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
