"""The bundle: every format, the source texts and archived pages, and a manifest of hashes.

A bundle proves itself offline. `manifest.json` lists the SHA-256 of every other file; the
JSON report gives each source text's SHA-256 and each quote's offsets in it. `verify_bundle`
checks all of that and needs nothing but the zip.

The manifest is written in one canonical form (sorted keys, two-space indent, ASCII) and the
checker refuses any other form, so a changed byte anywhere in it is caught too: it either
breaks the JSON, changes a hash (the file no longer matches), changes a name (the file is
missing and an unlisted one appears) or changes the form. Hashes only prove that files agree
with the manifest: to prove the manifest itself is the one published, compare its SHA-256
(printed by verify_report) or the report's digest with the value the publisher announced.
"""

import hashlib
import json
import mimetypes
import zipfile
from dataclasses import dataclass

from claims.anchoring import sha256_text

MANIFEST = "manifest.json"
BUNDLE_FORMAT = "factcheck-report-bundle"
BUNDLE_VERSION = 1
REPORT_JSON = "report.json"
# A fixed time for every zip entry: the same report gives the same zip bytes.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


def canonical_manifest(manifest):
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=True) + "\n"


def snapshot_name(sha256, content_type):
    extension = mimetypes.guess_extension((content_type or "").split(";")[0].strip()) or ".bin"
    return f"snapshots/{sha256}{extension}"


def write_bundle(target, *, files, report, snapshots=(), withheld=()):
    """Write the bundle zip to `target` (a path or binary file).

    `files` maps names to the rendered formats (str or bytes); `report` gives the source
    texts; `snapshots` is [(sha256, content type, file to open)] and `withheld` the hashes of
    archived pages left out (the manifest says so rather than leaving a silent gap).
    """
    entries = {}
    for name, content in files.items():
        entries[name] = content.encode("utf-8") if isinstance(content, str) else content
    for source in report.sources:
        entries[source.text_file] = source.text.encode("utf-8")
    for sha256, content_type, stored in snapshots:
        with stored.open("rb") as body:
            entries[snapshot_name(sha256, content_type)] = body.read()
    manifest = {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "report_sha256": report.sha256,
        "audit_chain_head": report.audit_chain_head,
        "files": {name: sha256_bytes(data) for name, data in sorted(entries.items())},
        "withheld_snapshots": sorted(withheld),
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, data in [*sorted(entries.items()), (MANIFEST, canonical_manifest(manifest))]:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, data)


@dataclass
class BundleCheck:
    """What verify_bundle found: problems (each one line) and what was checked."""

    problems: list[str]
    checked_files: int = 0
    checked_sources: int = 0
    checked_claims: int = 0
    checked_snapshots: int = 0
    manifest_sha256: str = ""
    report_sha256: str = ""

    @property
    def is_valid(self):
        return not self.problems


def verify_bundle(path):
    """Check a bundle offline; return a BundleCheck (never raises for a bad bundle)."""
    check = BundleCheck(problems=[])
    try:
        with zipfile.ZipFile(path) as bundle:
            _verify(bundle, check)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        check.problems.append(f"not a readable zip file: {error}")
    return check


def _read(bundle, name, check):
    try:
        return bundle.read(name)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as error:
        check.problems.append(f"{name}: cannot be read ({error})")
        return None


def _verify(bundle, check):
    raw = _read(bundle, MANIFEST, check)
    if raw is None:
        return
    check.manifest_sha256 = sha256_bytes(raw)
    manifest = _parse_manifest(raw, check)
    if manifest is None:
        return
    listed = manifest["files"]
    # Folder entries carry no content; zip tools add them when a bundle is re-packed.
    present = [
        info.filename
        for info in bundle.infolist()
        if info.filename != MANIFEST and not info.is_dir()
    ]
    contents = {}
    for name in present:
        if name not in listed:
            check.problems.append(f"{name}: not listed in the manifest")
    for name, expected in sorted(listed.items()):
        if name not in present:
            check.problems.append(f"{name}: listed in the manifest but missing")
            continue
        data = _read(bundle, name, check)
        if data is None:
            continue
        check.checked_files += 1
        contents[name] = data
        if sha256_bytes(data) != expected:
            check.problems.append(f"{name}: SHA-256 does not match the manifest")
    _verify_report(contents, manifest, check)


def _parse_manifest(raw, check):
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        check.problems.append(f"{MANIFEST}: not valid JSON ({error})")
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        check.problems.append(f"{MANIFEST}: not a report bundle manifest")
        return None
    if manifest.get("version") != BUNDLE_VERSION:
        check.problems.append(f"{MANIFEST}: unknown bundle version {manifest.get('version')!r}")
        return None
    if not isinstance(manifest.get("files"), dict):
        check.problems.append(f"{MANIFEST}: has no file list")
        return None
    if canonical_manifest(manifest).encode("utf-8") != raw:
        check.problems.append(f"{MANIFEST}: altered (not in the form the workbench writes)")
    check.report_sha256 = str(manifest.get("report_sha256", ""))
    return manifest


def _verify_report(contents, manifest, check):
    # Imported here to keep the bundle format readable on its own; the digest lives with
    # the builder because the JSON renderer computes it while streaming.
    from claims.reports import digest_document

    raw = contents.get(REPORT_JSON)
    if raw is None:
        check.problems.append(f"{REPORT_JSON}: missing, so quotes cannot be checked")
        return
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        check.problems.append(f"{REPORT_JSON}: not valid JSON ({error})")
        return
    digest = digest_document(document)
    if document.get("report_sha256") != digest:
        check.problems.append(f"{REPORT_JSON}: report_sha256 does not match its content")
    if manifest.get("report_sha256") != digest:
        check.problems.append(f"{MANIFEST}: report_sha256 does not match {REPORT_JSON}")
    if manifest.get("audit_chain_head") != document.get("audit_chain_head"):
        check.problems.append(f"{MANIFEST}: audit_chain_head does not match {REPORT_JSON}")
    for source in document.get("sources", []):
        _verify_source(source, contents, check)
    withheld = set(manifest.get("withheld_snapshots", []))
    snapshot_files = {
        name.split("/", 1)[1].split(".", 1)[0]: name
        for name in contents
        if name.startswith("snapshots/")
    }
    for source in document.get("sources", []):
        for claim in source.get("claims", []):
            for item in claim.get("evidence", []):
                sha256 = item.get("archive_sha256")
                if not sha256 or sha256 in withheld or sha256 not in snapshot_files:
                    continue
                check.checked_snapshots += 1
                if sha256_bytes(contents[snapshot_files[sha256]]) != sha256:
                    check.problems.append(
                        f"{snapshot_files[sha256]}: does not match the archive hash "
                        f"cited by claim {claim.get('number')}"
                    )


def _verify_source(source, contents, check):
    name = source.get("text_file", "")
    raw = contents.get(name)
    if raw is None:
        check.problems.append(f"source {source.get('number')}: text file {name!r} is missing")
        return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        check.problems.append(f"{name}: not UTF-8 text")
        return
    check.checked_sources += 1
    if sha256_text(text) != source.get("sha256"):
        check.problems.append(f"{name}: SHA-256 differs from the one the report records")
    for claim in source.get("claims", []):
        check.checked_claims += 1
        start, end = claim.get("start"), claim.get("end")
        at_offsets = text[start:end] if isinstance(start, int) and isinstance(end, int) else None
        if at_offsets != claim.get("quote"):
            check.problems.append(
                f"claim {claim.get('number')}: quote is not at characters {start}–{end} of {name}"
            )
