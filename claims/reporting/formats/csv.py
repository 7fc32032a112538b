"""The report as CSV: one row per claim, for spreadsheets.

Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return that
hides one) as a formula, so a quote like "=HYPERLINK(...)" could act when an editor opens the
file. Such cells get a leading apostrophe, which spreadsheets show as text.
"""

import csv

COLUMNS = [
    "claim",
    "source",
    "start",
    "end",
    "quote",
    "statement",
    "quantities",
    "speaker",
    "attribution",
    "status",
    "verdict",
    "verdict_status",
    "rationale",
    "proposed_by",
    "signed_off_by",
    "evidence_count",
    "evidence_urls",
    "signoff_sha256",
    "independent_corroboration",
]
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def defuse(value):
    """Text safe to open in a spreadsheet: formula-like cells get a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def claim_row(source, claim):
    verdict = claim.verdict
    quantities = "; ".join(
        f"{q.text} = {q.display}{' ' + q.unit if q.unit else ''}" for q in claim.quantities
    )
    row = [
        claim.number,
        source.title,
        claim.start,
        claim.end,
        claim.quote,
        claim.statement,
        quantities,
        claim.speaker,
        claim.attribution_label,
        claim.status_label,
        verdict.rating_label if verdict else "",
        ("signed off" if verdict.is_signed_off else "awaiting sign-off") if verdict else "",
        verdict.rationale if verdict else "",
        verdict.proposed_by if verdict else "",
        (verdict.signed_off_by or "") if verdict else "",
        len(claim.evidence),
        " ".join(item.url for item in claim.evidence if item.url),
        (claim.signoff.sha256 or "") if claim.signoff else "",
        claim.independent_corroboration,
    ]
    return [defuse(cell) for cell in row]


class _Line:
    """A file-like object whose write() returns the line, so csv.writer can feed a stream."""

    def write(self, value):
        return value


def iter_csv(report):
    """Yield the CSV text: a byte-order mark (Excel needs it to read UTF-8), a header row,
    then one row per claim in report order."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(COLUMNS)
    for source in report.sources:
        for claim in source.claims:
            yield writer.writerow(claim_row(source, claim))


def render_csv(report):
    return "".join(iter_csv(report))
