"""The report as CSV: one row per claim, for spreadsheets; then, after an empty row, the
"Numbers across sources" table with a header of its own (NUMBER_COLUMNS), one row per figure.
Readers of the claims stop at the first empty row.

Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return that
hides one) as a formula, so a quote like "=HYPERLINK(...)" could act when an editor opens the
file. Such cells get a leading apostrophe, which spreadsheets show as text.
"""

import csv

from claims.reporting.numbers import NumbersCollector

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
    "evidence_files",
]
NUMBER_COLUMNS = [
    "measure",
    "verdict",
    "why",
    "claim",
    "source",
    "date",
    "speaker",
    "attribution",
    "text",
    "value",
    "low",
    "high",
    "approximate",
    "verified",
    "compared",
    "quote",
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
        "; ".join(_file_cell(item.file) for item in claim.evidence if item.file),
    ]
    return [defuse(cell) for cell in row]


def _file_cell(record):
    """An uploaded file in one cell: type, SHA-256, who and when (never its metadata)."""
    who = record["uploaded_by"] or "unknown"
    return f"{record['content_type']} sha256:{record['sha256']} by {who} {record['uploaded_at']}"


def number_rows(measures):
    """The rows of the numbers table, one per figure, defused like the claim rows."""
    for measure in measures:
        for figure, standing in measure.rows:
            row = [
                measure.label,
                measure.verdict,
                measure.why,
                figure.claim,
                f"{figure.source_number}: {figure.source}",
                figure.date.isoformat() if figure.date else "",
                figure.speaker,
                figure.attribution,
                figure.text,
                figure.value,
                figure.low,
                "" if figure.high is None else figure.high,
                figure.approximate,
                figure.is_verified,
                standing,
                figure.quote,
            ]
            yield [defuse(cell) for cell in row]


class _Line:
    """A file-like object whose write() returns the line, so csv.writer can feed a stream."""

    def write(self, value):
        return value


def iter_csv(report):
    """Yield the CSV text: a byte-order mark (Excel needs it to read UTF-8), a header row,
    one row per claim in report order; then an empty row and the numbers table."""
    writer = csv.writer(_Line())
    numbers = NumbersCollector()
    yield "\ufeff" + writer.writerow(COLUMNS)
    for source in report.sources:
        for claim in source.claims:
            numbers.add(source, claim)
            yield writer.writerow(claim_row(source, claim))
    yield writer.writerow([])
    yield writer.writerow(NUMBER_COLUMNS)
    for row in number_rows(numbers.measures()):
        yield writer.writerow(row)


def render_csv(report):
    return "".join(iter_csv(report))


def read_tables(text):
    """(claim rows, figure rows) of a CSV report, each a list of dicts by column name.

    The inverse of iter_csv() for readers and tests: the two tables are split at the first
    empty row, which no claim row can be (each has its number).
    """
    tables: list[list[list[str]]] = [[]]
    for row in csv.reader(text.lstrip("\ufeff").splitlines(keepends=True)):
        if not row and len(tables) == 1:
            tables.append([])
            continue
        tables[-1].append(row)
    claims, numbers = tables if len(tables) == 2 else (tables[0], [])
    return [_as_dict(table) for table in (claims, numbers)]


def _as_dict(rows):
    if not rows:
        return []
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]
