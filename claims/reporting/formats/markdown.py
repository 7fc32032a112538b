"""The report as Markdown, for editors who paste it into a CMS or a pull request.

Everything that comes from users is escaped, but only where Markdown would read it: a quote
such as "[click](https://evil.example)" or "<img src=x onerror=...>" must not become a live
link or HTML in whatever renders the file, while an address, a date or a sentence should
read in the file as it does on the page (no `https\\://example\\.org`). Bare addresses are
left to become links, as GitHub's flavour makes them: such a link shows exactly where it goes,
and the addresses the report cites are written as links to themselves. Line breaks are folded
so user text cannot start a heading, list or table of its own.
"""

import re

from claims.reporting.numbers import NumbersCollector
from claims.reporting.reports import (
    DRAFT_MARK,
    ReportDigest,
    claim_fields,
    header_fields,
    source_fields,
)

# Characters that make markup wherever they stand: code, emphasis, link and image text, raw
# HTML and autolinks, and the backslash itself (so text ending in one escapes nothing of ours).
_ALWAYS = frozenset("\\`*[<")
# Delimiters that need a partner: GitHub strikethrough (~) and math ($). Escaped when a text
# holds two or more, so "~20,000" and "$5" stay as they are.
_PAIRED = "~$"
# An entity or character reference, which a renderer would decode: "&amp;", "&#65;".
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What starts a block at the beginning of a line: a quote, a heading ("# " but not "#tag"),
# a list item or thematic break ("- ", "+ ", "---"), an ordered list ("1. ", "2) "). Fences
# and the other breaks start with ` * _ or a pair of ~, escaped already.
_LINE_START = re.compile(r"^(?:>|#{1,6}(?=\s|$)|[-+](?=[\s-]|$)|\d{1,9}(?=[.)](?:\s|$)))")
# Closing hashes of an ATX heading ("Vote for #1 #"), dropped by renderers unless escaped.
_CLOSING_HASHES = re.compile(r"(?:^|(?<= ))#+$")


def escape(text):
    """User text as literal Markdown on one line, anywhere in a line (its start included)."""
    if not text:
        return ""
    folded = " ".join(str(text).split())
    paired = {ch for ch in _PAIRED if folded.count(ch) > 1}
    out = []
    for index, ch in enumerate(folded):
        if ch in _ALWAYS or ch in paired or (ch == "_" and not _intraword(folded, index)):
            out.append("\\" + ch)
        elif ch == "&" and _ENTITY.match(folded, index):
            out.append("\\&")
        else:
            out.append(ch)
    escaped = "".join(out)
    start = _LINE_START.match(escaped)
    if start and not escaped.startswith("\\"):
        # "1." becomes "1\\.", a heading mark or list bullet gets its backslash.
        cut = start.end() if start.group().isdigit() else 0
        escaped = escaped[:cut] + "\\" + escaped[cut:]
    closing = _CLOSING_HASHES.search(escaped)
    if closing:
        escaped = escaped[: closing.start()] + "\\" + escaped[closing.start() :]
    return escaped


def _intraword(text, index):
    # An underscore between two letters or digits never opens or closes emphasis.
    return 0 < index < len(text) - 1 and text[index - 1].isalnum() and text[index + 1].isalnum()


def _link(url):
    """A cited address as a link to itself; anything that is not a plain address as text."""
    if re.fullmatch(r"https?://[^\s<>]+", url or ""):
        return f"<{url}>"
    return escape(url)


def _hash(value):
    """A hex digest as code; anything else (a hash field is filled by capture) as text."""
    if value and all(ch in "0123456789abcdef" for ch in value):
        return f"`{value}`"
    return escape(value)


def _date(value):
    return value[:10] if value else ""


def iter_markdown(report):
    """Yield the Markdown document in pieces: header, then each source and claim."""
    digest = ReportDigest()
    numbers = NumbersCollector()
    digest.add(header_fields(report))
    yield f"# {escape(report.title)}\n\n"
    if report.draft:
        yield f"**{DRAFT_MARK}.** {escape(report.draft_notice)}\n\n"
    if report.introduction:
        yield f"{escape(report.introduction)}\n\n"
    yield f"- Investigation: {escape(report.investigation['title'])}\n"
    if report.publisher:
        yield f"- Published by: {escape(report.publisher)}\n"
    yield f"- Generated: {escape(report.generated_at)}\n"
    if report.options["verified_only"]:
        yield "- Only claims whose verdict was signed off by a second reviewer\n"
    if report.options["redact_reviewers"]:
        yield "- Reviewer names are replaced by numbered stand-ins\n"
    if report.pseudonyms:
        yield f"- Names of private persons are replaced: {escape(', '.join(report.pseudonyms))}\n"
    yield "\n"
    for source in report.sources:
        digest.add(source_fields(source))
        yield from _source(source)
        for claim in source.claims:
            digest.add(claim_fields(claim))
            numbers.add(source, claim)
            yield from _claim(claim)
    yield from _numbers(numbers.measures())
    yield "## Verifying this report\n\n"
    yield (
        "Each source is identified by the SHA-256 of its text. The digest of this report's "
        "content (`report_sha256` in the JSON) is:\n\n"
    )
    yield f"{_hash(digest.hexdigest())}\n"


def _source(source):
    yield f"## Source {source.number}: {escape(source.title)}\n\n"
    details = [source.kind_label]
    for value in (source.author, source.publisher, _date(source.published_on)):
        if value:
            details.append(escape(value))
    yield f"- {' · '.join(details)}\n"
    if source.origin_url:
        yield f"- Origin: {_link(source.origin_url)}\n"
    yield f"- SHA-256 of the text: {_hash(source.sha256)} ({source.length:,} characters)\n\n"


def _claim(claim):
    title = claim.statement or claim.quote
    yield f"### Claim {claim.number}: {escape(title)}\n\n"
    # The context keeps the source's own spacing around the quote: "**quote**, he said",
    # not "**quote** , he said".
    before = _spaced(claim.context_before, at_end=True)
    after = _spaced(claim.context_after, at_end=False)
    yield f"> …{before}**{escape(claim.quote)}**{after}…\n\n"
    speaker = f"{escape(claim.speaker)} ({claim.attribution_label})" if claim.speaker else ""
    yield f"- Speaker: {speaker or claim.attribution_label}\n"
    yield f"- Characters {claim.start}–{claim.end} of the source · status: {claim.status_label}\n"
    if claim.quantities:
        numbers = "; ".join(
            f"“{escape(q.text)}” {escape(q.display)}{' ' + escape(q.unit) if q.unit else ''}"
            for q in claim.quantities
        )
        yield f"- Numbers: {numbers}\n"
    yield from _verdict(claim.verdict)
    if claim.signoff is not None:
        yield _signoff_line(claim.signoff)
    if claim.translation_of is not None:
        original = claim.translation_of
        where = f" (source {original['source_number']})" if original["source_number"] else ""
        yield f"- Translates the original{where}: “{escape(original['quote'])}”\n"
    if claim.independent_corroboration:
        yield (
            f"- Independent corroboration: {claim.independent_corroboration} "
            "source(s) with another author and publisher state the same claim\n"
        )
    if claim.evidence:
        yield "- Evidence:\n"
        for item in claim.evidence:
            yield from _evidence_item(item)
    yield "\n"


def _spaced(context, *, at_end):
    """Escaped context with one space on the side that meets the quote, if the source has
    whitespace there."""
    text = escape(context)
    if not text:
        return ""
    if at_end:
        return text + " " if context[-1].isspace() else text
    return " " + text if context[0].isspace() else text


def _cell(text):
    """User text in a table cell: escaped as anywhere, and its pipes kept from ending the
    cell."""
    return escape(text).replace("|", "\\|")


def _numbers(measures):
    """The "Numbers across sources" section: a table per measure."""
    yield "## Numbers across sources\n\n"
    if not measures:
        yield "No claim in this report gives a figure for a count that can be compared.\n\n"
        return
    for measure in measures:
        yield f"### {escape(measure.label)}: {escape(measure.verdict_words)}\n\n"
        yield f"{escape(measure.why)}\n\n"
        yield "| Figure | Reads as | Compared | Claim | Source | Speaker | Date | Verified |\n"
        yield "|---|---|---|---|---|---|---|---|\n"
        for figure, standing in measure.rows:
            speaker = _cell(figure.speaker) or _cell(figure.attribution)
            cells = [
                f"“{_cell(figure.text)}”",
                _cell(figure.value_range),
                "—" if standing == "single" else standing,
                f"{figure.claim}",
                f"{figure.source_number}: {_cell(figure.source)}",
                speaker,
                figure.date.isoformat() if figure.date else "undated",
                "yes" if figure.is_verified else "no",
            ]
            yield "| " + " | ".join(cells) + " |\n"
        yield "\n"


def _verdict(verdict):
    if verdict is None:
        yield "- Verdict: none yet\n"
        return
    state = "signed off" if verdict.is_signed_off else "awaiting sign-off"
    yield f"- **Verdict: {verdict.rating_label}** ({state})\n"
    yield f"- Rationale: {escape(verdict.rationale)}\n"
    people = f"- Proposed by {escape(verdict.proposed_by)} on {_date(verdict.proposed_at)}"
    if verdict.signed_off_by:
        people += (
            f"; signed off by {escape(verdict.signed_off_by)} on {_date(verdict.signed_off_at)}"
        )
    yield people + "\n"


def _signoff_line(signoff):
    if signoff.sha256:
        return f"- Sign-off SHA-256: {_hash(signoff.sha256)}\n"
    return "- Sign-off SHA-256: withheld (a signed text names a pseudonymized person)\n"


def _evidence_item(item):
    line = f"  - {item.stance_label}: {escape(item.title)}"
    if item.publisher:
        line += f" ({escape(item.publisher)})"
    if item.url:
        line += f" — {_link(item.url)}"
    if item.archive_sha256:
        line += f" · archived {_date(item.archived_at)}, SHA-256 {_hash(item.archive_sha256)}"
    yield line + "\n"
    if item.file:
        yield from _file_lines(item.file)
    if item.excerpt:
        yield f"    - Excerpt: {escape(item.excerpt)}\n"


def _file_lines(record):
    """An uploaded file: type, size, who and when, both hashes, and its metadata."""
    who = escape(record["uploaded_by"] or "unknown")
    yield (
        f"    - File: {record['content_type']}, {record['size']:,} bytes, uploaded by {who} "
        f"{_date(record['uploaded_at'])}; original SHA-256 {_hash(record['sha256'])}\n"
    )
    published = record["published"]
    if published["copy"] == "re-encoded without metadata":
        yield (
            "    - Published copy: re-encoded without metadata (GPS and personal metadata "
            f"removed), SHA-256 {_hash(published['sha256'])}\n"
        )
    elif published["copy"] == "withheld":
        yield "    - Not in the bundle: its metadata could not be removed\n"
    for label, value in _metadata_lines(record["metadata"]):
        yield f"    - {label}: {escape(value)}\n"


def _metadata_lines(metadata):
    labels = (
        ("taken_at", "Taken"),
        ("camera_make", "Camera make"),
        ("camera_model", "Camera model"),
        ("software", "Software"),
        ("camera_serial", "Camera serial"),
        ("lens_serial", "Lens serial"),
        ("owner", "Owner"),
        ("artist", "Artist"),
    )
    for key, label in labels:
        if metadata.get(key):
            yield label, str(metadata[key])
    if metadata.get("gps"):
        yield "GPS", f"{metadata['gps']['latitude']}, {metadata['gps']['longitude']}"


def render_markdown(report):
    return "".join(iter_markdown(report))
