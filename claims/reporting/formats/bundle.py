"""The bundle: every format, the source texts and archived pages, and a manifest of hashes.

A bundle proves itself offline. `manifest.json` lists the SHA-256 of every other file; the
JSON report gives each source text's SHA-256, each quote's offsets in it, and each sign-off's
SHA-256 with the content it covers. `verify_bundle` checks all of that and needs nothing but
the zip.

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

from claims.review import signoff
from claims.sources.anchoring import sha256_text
from claims.sources.unpacking import BoundedZip, ZipRefused, ZipTooLarge

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


def write_bundle(target, *, files, report, snapshots=(), withheld=(), attached=()):
    """Write the bundle zip to `target` (a path or binary file).

    `files` maps names to the rendered formats (str or bytes); `report` gives the source
    texts; `snapshots` is [(sha256, content type, file to open)] and `withheld` the hashes of
    archived pages left out (the manifest says so rather than leaving a silent gap);
    `attached` is [(path, file to open)] of uploaded files (files/<sha256>.<extension>).
    """
    entries = {}
    for name, content in files.items():
        entries[name] = content.encode("utf-8") if isinstance(content, str) else content
    for source in report.sources:
        entries[source.text_file] = source.text.encode("utf-8")
    for sha256, content_type, stored in snapshots:
        with stored.open("rb") as body:
            entries[snapshot_name(sha256, content_type)] = body.read()
    for path, stored in attached:
        with stored.open("rb") as body:
            entries[path] = body.read()
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
    # Sign-off digests recomputed from their content; of those, the ones with a problem.
    recomputed_signoffs: int = 0
    mismatched_signoffs: int = 0
    # Withheld by a pseudonymized report; signed off with no digest in the report (one
    # written before reports carried them, or one whose record was taken out).
    withheld_signoffs: int = 0
    unrecorded_signoffs: int = 0
    manifest_sha256: str = ""
    report_sha256: str = ""
    # Claims in the report, and of those without a verdict signed off (a draft holds any).
    claims_in_report: int = 0
    unverified_claims: int = 0

    @property
    def is_valid(self):
        return not self.problems


def verify_bundle(path):
    """Check a bundle offline; return a BundleCheck (never raises for a bad bundle).

    The zip is read within the bounds of claims/sources/unpacking.py: a bundle over them is one
    problem and nothing more is checked. Only the manifest, the report and one source text
    at a time are held in memory; every other file is hashed a chunk at a time.
    """
    check = BundleCheck(problems=[])
    try:
        with BoundedZip(path) as bundle:
            _verify(bundle, check)
    except ZipRefused as error:
        check.problems.append(str(error))
    return check


def _entry(bundle, name, check, *, keep):
    """(SHA-256, bytes if `keep` else None) of entry `name`, or (None, None) when it cannot be
    read (a problem is recorded). A limit broken while reading stops the whole check."""
    try:
        info = bundle.getinfo(name)
        if keep:
            data = bundle.read(info)
            return sha256_bytes(data), data
        return bundle.sha256(info), None
    except ZipTooLarge:
        raise
    except (ZipRefused, KeyError) as error:
        check.problems.append(f"{name}: cannot be read ({error})")
        return None, None


def _verify(bundle, check):
    manifest = _read_manifest(bundle, check)
    if manifest is None:
        return
    listed = manifest["files"]
    present = _present_files(bundle, listed, check)
    # The report comes first: it says which files are source texts, and each text is checked
    # against its quotes as it is read, then let go.
    report_digest, document = _read_report(bundle, manifest, present, check)
    sources_by_text = _sources_by_text(document)
    hashes = _verify_listed(bundle, listed, present, report_digest, sources_by_text, check)
    _report_unread_sources(sources_by_text, check)
    if document is not None:
        _verify_snapshots(document, manifest, hashes, check)
        _verify_files(document, hashes, check)
        _verify_signoffs(document, check)
        _verify_draft(document, check)


def _read_manifest(bundle, check):
    """The parsed manifest, or None when it cannot be read or is not a bundle manifest."""
    digest, raw = _entry(bundle, MANIFEST, check, keep=True)
    if raw is None:
        return None
    check.manifest_sha256 = digest
    return _parse_manifest(raw, check)


def _present_files(bundle, listed, check):
    """Names of the files in the zip besides the manifest; those it does not list are problems."""
    # Folder entries carry no content; zip tools add them when a bundle is re-packed.
    present = [
        info.filename for info in bundle.infos if info.filename != MANIFEST and not info.is_dir()
    ]
    for name in present:
        if name not in listed:
            check.problems.append(f"{name}: not listed in the manifest")
    return present


def _sources_by_text(document):
    """The report's sources grouped by the name of their text file."""
    sources_by_text: dict[str, list[dict]] = {}
    for source in document.get("sources", []) if document else []:
        sources_by_text.setdefault(source.get("text_file", ""), []).append(source)
    return sources_by_text


def _verify_listed(bundle, listed, present, report_digest, sources_by_text, check):
    """Hash every listed file against the manifest, checking source texts as they are read.

    Returns {name: SHA-256} of the files read; the texts checked leave `sources_by_text`.
    """
    hashes = {}
    for name, expected in sorted(listed.items()):
        if name not in present:
            check.problems.append(f"{name}: listed in the manifest but missing")
            continue
        if name == REPORT_JSON:
            digest, data = report_digest, None
        else:
            digest, data = _entry(bundle, name, check, keep=name in sources_by_text)
        if digest is None:
            continue
        check.checked_files += 1
        hashes[name] = digest
        if digest != expected:
            check.problems.append(f"{name}: SHA-256 does not match the manifest")
        for source in sources_by_text.pop(name, []) if data is not None else []:
            _verify_source(source, name, data, check)
    return hashes


def _report_unread_sources(sources_by_text, check):
    """Texts the report names that were not read: missing, unlisted or unreadable."""
    for sources in sources_by_text.values():
        for source in sources:
            check.problems.append(
                f"source {source.get('number')}: text file {source.get('text_file', '')!r} "
                "is missing"
            )


def _parse_manifest(raw, check):
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except RecursionError:
        check.problems.append(f"{MANIFEST}: not valid JSON (nested too deeply)")
        return None
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


def _read_report(bundle, manifest, present, check):
    """(SHA-256 of report.json, its parsed document), either None when it cannot be used."""
    # Imported here to keep the bundle format readable on its own; the digest lives with
    # the builder because the JSON renderer computes it while streaming.
    from claims.reporting.reports import digest_document

    if REPORT_JSON not in manifest["files"] or REPORT_JSON not in present:
        check.problems.append(f"{REPORT_JSON}: missing, so quotes cannot be checked")
        return None, None
    report_digest, raw = _entry(bundle, REPORT_JSON, check, keep=True)
    if raw is None:
        return None, None
    try:
        document = json.loads(raw.decode("utf-8"))
    except RecursionError:
        check.problems.append(f"{REPORT_JSON}: not valid JSON (nested too deeply)")
        return report_digest, None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        check.problems.append(f"{REPORT_JSON}: not valid JSON ({error})")
        return report_digest, None
    digest = digest_document(document)
    if document.get("report_sha256") != digest:
        check.problems.append(f"{REPORT_JSON}: report_sha256 does not match its content")
    if manifest.get("report_sha256") != digest:
        check.problems.append(f"{MANIFEST}: report_sha256 does not match {REPORT_JSON}")
    if manifest.get("audit_chain_head") != document.get("audit_chain_head"):
        check.problems.append(f"{MANIFEST}: audit_chain_head does not match {REPORT_JSON}")
    return report_digest, document


def _verify_snapshots(document, manifest, hashes, check):
    withheld = set(manifest.get("withheld_snapshots", []))
    snapshot_files = {
        name.split("/", 1)[1].split(".", 1)[0]: name
        for name in hashes
        if name.startswith("snapshots/")
    }
    for source in document.get("sources", []):
        for claim in source.get("claims", []):
            for item in claim.get("evidence", []):
                sha256 = item.get("archive_sha256")
                if not sha256 or sha256 in withheld or sha256 not in snapshot_files:
                    continue
                check.checked_snapshots += 1
                if hashes[snapshot_files[sha256]] != sha256:
                    check.problems.append(
                        f"{snapshot_files[sha256]}: does not match the archive hash "
                        f"cited by claim {claim.get('number')}"
                    )


def _verify_files(document, hashes, check):
    """Each uploaded file the report says it publishes is there, with the hash it gives."""
    for source in document.get("sources", []):
        for claim in source.get("claims", []):
            for item in claim.get("evidence", []):
                published = (item.get("file") or {}).get("published") or {}
                path = published.get("path")
                if not path or document.get("options", {}).get("pseudonymize"):
                    continue
                if path not in hashes:
                    check.problems.append(f"{path}: missing, cited by claim {claim.get('number')}")
                elif hashes[path] != published.get("sha256"):
                    check.problems.append(
                        f"{path}: does not match the file hash cited by claim {claim.get('number')}"
                    )


def _verify_source(source, name, raw, check):
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


def _verify_draft(document, check):
    """Count the claims the report holds and those not verified, and hold the report's own
    counts (schema 1.5 and later) against them: a report must not call itself final."""
    claims = [claim for source in document.get("sources", []) for claim in source.get("claims", [])]
    check.claims_in_report = len(claims)
    check.unverified_claims = sum(1 for claim in claims if claim.get("status") != "verified")
    if "unverified_claims" not in document:
        return
    stated = (document.get("claim_count"), document.get("unverified_claims"), document.get("draft"))
    counted = (check.claims_in_report, check.unverified_claims, check.unverified_claims > 0)
    if stated != counted:
        check.problems.append(
            f"report.json: says {stated[1]} of {stated[0]} claims are unverified "
            f"(draft: {stated[2]}), its claims show {counted[1]} of {counted[0]}"
        )


def _verify_signoffs(document, check):
    """Recompute each claim's sign-off digest, and hold what the claim shows against it."""
    options = document.get("options")
    excerpts_left_out = isinstance(options, dict) and options.get("include_excerpts") is False
    for source in document.get("sources", []):
        for claim in source.get("claims", []):
            record = claim.get("signoff")
            if record is None:
                verdict = claim.get("verdict")
                if isinstance(verdict, dict) and verdict.get("status") == "signed_off":
                    check.unrecorded_signoffs += 1
                continue
            if isinstance(record, dict) and record.get("withheld"):
                check.withheld_signoffs += 1
                continue
            check.recomputed_signoffs += 1
            problems = _signoff_problems(claim, record, excerpts_left_out)
            if problems:
                check.mismatched_signoffs += 1
                check.problems += [f"claim {claim.get('number')}: {text}" for text in problems]


def _signoff_problems(claim, record, excerpts_left_out):
    try:
        recomputed = signoff.content_sha256(record["content"])
        signed = signoff.commitment(record["content"])
        shown = signoff.commitment(_shown_content(claim))
    except (KeyError, TypeError, AttributeError):
        return ["sign-off content cannot be read"]
    if recomputed != record.get("sha256"):
        return ["sign-off SHA-256 does not match its content"]
    problems = [
        f"the {what} is not the one signed off"
        for what, key in (
            ("statement", "statement_sha256"),
            ("rating", "rating"),
            ("rationale", "rationale_sha256"),
        )
        if shown[key] != signed[key]
    ]
    shown_citations, signed_citations = shown["citations"], signed["citations"]
    if excerpts_left_out:
        # The report prints no excerpts, only their hashes in the sign-off: nothing to compare.
        shown_citations = _without_excerpts(shown_citations)
        signed_citations = _without_excerpts(signed_citations)
    if shown_citations != signed_citations:
        problems.append("the evidence is not what was signed off")
    return problems


def _without_excerpts(citations):
    items = [{k: v for k, v in item.items() if k != "excerpt_sha256"} for item in citations]
    return sorted(items, key=signoff.canonical_json)


def _shown_content(claim):
    """The content a sign-off covers, as the claim in the report shows it (a claim without
    a statement of its own is checked as its quote, as the claim page shows it)."""
    verdict = claim["verdict"]
    return {
        "statement": claim["statement"] or claim["quote"],
        "rating": verdict["rating"],
        "rationale": verdict["rationale"],
        "citations": [
            {
                "stance": item["stance"],
                "url": item["url"],
                "title": item["title"],
                "snapshot_sha256": item["archive_sha256"],
                "file_sha256": (item.get("file") or {}).get("sha256", ""),
                "excerpt": item["excerpt"],
                "note": item["note"],
            }
            for item in claim["evidence"]
        ],
    }
