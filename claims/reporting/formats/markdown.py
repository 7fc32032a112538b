"""The report as Markdown, for editors who paste it into a CMS or a pull request.

Everything that comes from users is escaped: Markdown would otherwise turn a quote such as
"[click](https://evil.example)" or "<img src=x onerror=...>" into a live link or HTML in
whatever renders the file. We backslash every punctuation character Markdown (and its GitHub
flavour, which links bare URLs and e-mail addresses) gives a meaning to, and fold line breaks
so user text cannot start a heading, list or table of its own.
"""

from claims.reporting.numbers import NumbersCollector
from claims.reporting.reports import ReportDigest, claim_fields, header_fields, source_fields

_SPECIAL = frozenset("\\`*_{}[]()<>#+-.!|~:&@$=^")


def escape(text):
    """User text as literal Markdown on one line."""
    if not text:
        return ""
    folded = " ".join(str(text).split())
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in folded)


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
        "content (report\\_sha256 in the JSON) is:\n\n"
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
        yield f"- Origin: {escape(source.origin_url)}\n"
    yield f"- SHA-256 of the text: {_hash(source.sha256)} ({source.length:,} characters)\n\n"


def _claim(claim):
    title = claim.statement or claim.quote
    yield f"### Claim {claim.number}: {escape(title)}\n\n"
    yield (
        f"> …{escape(claim.context_before)} **{escape(claim.quote)}** "
        f"{escape(claim.context_after)}…\n\n"
    )
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
    if claim.evidence:
        yield "- Evidence:\n"
        for item in claim.evidence:
            yield from _evidence_item(item)
    yield "\n"


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
            speaker = escape(figure.speaker) or figure.attribution
            cells = [
                f"“{escape(figure.text)}”",
                escape(figure.value_range),
                "—" if standing == "single" else standing,
                f"{figure.claim}",
                f"{figure.source_number}: {escape(figure.source)}",
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
        line += f" — {escape(item.url)}"
    if item.archive_sha256:
        line += f" · archived {_date(item.archived_at)}, SHA-256 {_hash(item.archive_sha256)}"
    yield line + "\n"
    if item.excerpt:
        yield f"    - Excerpt: {escape(item.excerpt)}\n"


def render_markdown(report):
    return "".join(iter_markdown(report))
