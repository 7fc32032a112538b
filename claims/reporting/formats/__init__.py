"""Renderers of a Report, one module per format, and the one place that picks among them.

    chunks = export_report(investigation, "csv", ReportOptions(verified_only=True))

Each module has a render_<format>(report); CSV, JSON and Markdown also have iter_<format>()
that writes a streamed report claim by claim.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass

from claims.consistency import consistent_reads
from claims.reporting import reports
from claims.reporting.formats.annotations import render_annotations
from claims.reporting.formats.bundle import write_bundle
from claims.reporting.formats.claimreview import render_claimreview
from claims.reporting.formats.csv import iter_csv
from claims.reporting.formats.html import render_html, render_pdf
from claims.reporting.formats.json import iter_json
from claims.reporting.formats.markdown import iter_markdown


@dataclass(frozen=True)
class ReportFormat:
    name: str
    label: str
    filename: str
    content_type: str
    # Streamed formats are written claim by claim from stream_report(); the others need
    # the whole report at once.
    is_streamed: bool = False


FORMATS = {
    f.name: f
    for f in [
        ReportFormat("html", "HTML", "report.html", "text/html; charset=utf-8"),
        ReportFormat("pdf", "PDF", "report.pdf", "application/pdf"),
        ReportFormat("md", "Markdown", "report.md", "text/markdown; charset=utf-8", True),
        ReportFormat("csv", "CSV", "report.csv", "text/csv; charset=utf-8", True),
        ReportFormat("json", "JSON", "report.json", "application/json; charset=utf-8", True),
        ReportFormat(
            "claimreview", "ClaimReview", "claimreview.jsonld", "application/ld+json; charset=utf-8"
        ),
        ReportFormat(
            "annotations",
            "Web Annotations",
            "annotations.jsonld",
            'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"; charset=utf-8',
        ),
        ReportFormat("bundle", "Bundle (zip)", "bundle.zip", "application/zip"),
    ]
}

_STREAMED = {"md": iter_markdown, "csv": iter_csv, "json": iter_json}
_WHOLE = {
    "html": render_html,
    "pdf": render_pdf,
    "claimreview": render_claimreview,
    "annotations": render_annotations,
}
# Chunks handed to the web server or file: big enough to keep writes cheap.
_BUFFER_CHARS = 64 * 1024


def export_report(investigation, format_name, options=None, *, now=None):
    """Yield the report in `format_name` as bytes chunks.

    Raises KeyError for an unknown format. CSV, JSON and Markdown read the database in chunks
    while they are consumed; consume the iterator while the database is reachable.
    """
    report_format = FORMATS[format_name]
    options = options or reports.ReportOptions()
    if report_format.is_streamed:
        return _streamed(investigation, format_name, options, now)
    with consistent_reads():  # the bundle reads archived pages after the report
        report = reports.build_report(investigation, options, now=now)
        if format_name == "bundle":
            snapshots = reports.snapshot_bodies(investigation, report)
    # Laid out outside the transaction: on SQLite it would keep every writer waiting.
    if format_name == "bundle":
        return iter([render_bundle(investigation, report, snapshots)])
    rendered = _WHOLE[format_name](report)
    return iter([rendered.encode("utf-8") if isinstance(rendered, str) else rendered])


def _streamed(investigation, format_name, options, now):
    # The read transaction (PostgreSQL only, see stream_reads) lasts as long as the consumer
    # reads: a download that stops early closes this generator, which ends the transaction.
    with reports.stream_reads():
        report = reports.stream_report(investigation, options, now=now)
        yield from _encoded(_STREAMED[format_name](report))


def _encoded(pieces: Iterator[str]):
    buffer, size = [], 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= _BUFFER_CHARS:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


def render_bundle(investigation, report, snapshots=None):
    """The zip bundle of a built report, as bytes.

    `snapshots` are the report's snapshot_bodies(), read now when None. Uploaded files go in
    as their records say (reports.file_record: the original, a clean copy of a picture, or
    nothing). Archived pages and uploaded files are left out of a pseudonymized bundle: they
    may name or show the very person the report hides, and rewriting them would break their
    hashes.
    """
    files = {FORMATS[name].filename: "".join(_STREAMED[name](report)) for name in _STREAMED} | {
        FORMATS[name].filename: render(report) for name, render in _WHOLE.items()
    }
    if snapshots is None:
        snapshots = reports.snapshot_bodies(investigation, report)
    withheld = []
    attached = reports.file_bodies(investigation, report)
    if report.options["pseudonymize"]:
        # Uploaded files too: a photo or a recording may show or name the hidden person.
        withheld, snapshots = [sha256 for sha256, _, _ in snapshots], []
        attached = []
    buffer = io.BytesIO()
    write_bundle(
        buffer,
        files=files,
        report=report,
        snapshots=snapshots,
        withheld=withheld,
        attached=attached,
    )
    return buffer.getvalue()
