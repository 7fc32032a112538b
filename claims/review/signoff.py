"""What a sign-off approves, written down so that any later change shows.

A second reviewer signs off a verdict resting on a claim's statement and the evidence cited for
it. `signed_content` freezes that as plain values; `content_sha256` hashes it. The hash is taken
over a *commitment* form in which every free text is replaced by its own SHA-256: a report that
leaves excerpts out, or pseudonymizes a statement, can still print the field hashes, and
`verify_report` can still recompute the digest from them. Plain Python, no database.
"""

import hashlib
import json

# Free-text fields replaced by their SHA-256 in the commitment form.
TEXT_FIELDS = ("statement", "rationale")
CITATION_TEXT_FIELDS = ("excerpt", "note")
CITATION_PLAIN_FIELDS = ("stance", "url", "title", "snapshot_sha256")
CITATION_FIELDS = CITATION_PLAIN_FIELDS + CITATION_TEXT_FIELDS
# Present only when set: the SHA-256 of an uploaded file cited as evidence. Left out of a
# citation that has none, so contents signed before files existed hash as they did.
CITATION_OPTIONAL_FIELDS = ("file_sha256",)


def sha256_text(text):
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


def canonical_json(value):
    """One spelling of a JSON value: keys sorted, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def signed_content(*, statement, rating, rationale, citations):
    """The plain content a sign-off approves.

    `citations` is an iterable of mappings with the keys of CITATION_FIELDS (retracted
    citations are left out by the caller). They are sorted, so the order a page lists them
    in does not change the digest.
    """
    items = [_citation_item(c) for c in citations]
    items.sort(key=canonical_json)
    return {
        "statement": statement or "",
        "rating": rating or "",
        "rationale": rationale or "",
        "citations": items,
    }


def _citation_item(citation):
    item = {name: str(citation.get(name) or "") for name in CITATION_FIELDS}
    for name in CITATION_OPTIONAL_FIELDS:
        if citation.get(name):
            item[name] = str(citation[name])
    return item


def commitment(content):
    """`content` with each free text replaced by `<name>_sha256`.

    A field may already be given as its hash (`excerpt_sha256` instead of `excerpt`), as a
    report that leaves excerpts out prints it; the result is the same either way.
    """
    committed = {"rating": content["rating"]}
    for name in TEXT_FIELDS:
        committed[f"{name}_sha256"] = _text_hash(content, name)
    citations = []
    for citation in content["citations"]:
        item = {name: citation.get(name) or "" for name in CITATION_PLAIN_FIELDS}
        for name in CITATION_OPTIONAL_FIELDS:
            if citation.get(name):
                item[name] = citation[name]
        for name in CITATION_TEXT_FIELDS:
            item[f"{name}_sha256"] = _text_hash(citation, name)
        citations.append(item)
    committed["citations"] = sorted(citations, key=canonical_json)
    return committed


def _text_hash(mapping, name):
    if name in mapping:
        return sha256_text(mapping[name])
    return mapping[f"{name}_sha256"]


def content_sha256(content):
    """The SHA-256 a sign-off records: over the commitment form of `content`."""
    return hashlib.sha256(canonical_json(commitment(content)).encode("utf-8")).hexdigest()


def differences(before, after):
    """What changed between two signed contents, as (what, before, after) rows for people.

    Citations are matched by URL, or title for typed evidence and files (one item is cited
    once per claim); a citation present on one side only is shown as added or taken back.
    """
    rows = []
    for name, label in (
        ("statement", "Statement"),
        ("rating", "Rating"),
        ("rationale", "Rationale"),
    ):
        if before.get(name) != after.get(name):
            rows.append((label, before.get(name, ""), after.get(name, "")))
    old = {_citation_key(c): c for c in before.get("citations", [])}
    new = {_citation_key(c): c for c in after.get("citations", [])}
    for key in sorted(old.keys() | new.keys()):
        was, now = old.get(key), new.get(key)
        label = f"Evidence: {key}"
        if was is None:
            rows.append((label, "(not cited)", _describe(now)))
        elif now is None:
            rows.append((label, _describe(was), "(no longer cited)"))
        elif was != now:
            rows.append((label, _describe(was), _describe(now)))
    return rows


def _citation_key(citation):
    return citation.get("url") or citation.get("title") or ""


def _describe(citation):
    parts = [citation["stance"]]
    if citation.get("excerpt"):
        parts.append(f"“{citation['excerpt']}”")
    if citation.get("note"):
        parts.append(f"note: {citation['note']}")
    if citation.get("snapshot_sha256"):
        parts.append(f"archive {citation['snapshot_sha256'][:12]}…")
    if citation.get("file_sha256"):
        parts.append(f"file {citation['file_sha256'][:12]}…")
    return " · ".join(parts)
