"""The report as a JSON document following schemas/report-1.5.schema.json.

Written piece by piece so a streamed report never has to be held whole; `report_sha256`
(see claims.reports.ReportDigest) comes last because it is known only at the end, after the
"numbers" section, which is collected from the claims as they are written.
"""

import json
import textwrap

from claims.reporting.numbers import NumbersCollector
from claims.reporting.reports import ReportDigest, claim_fields, header_fields, source_fields

SCHEMA_FILE = "schemas/report-1.5.schema.json"


def _dump(value, indent):
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return textwrap.indent(text, " " * indent)[indent:]


def _members(data, indent):
    pad = " " * indent
    return ",\n".join(
        f"{pad}{json.dumps(key)}: {_dump(value, indent)}" for key, value in data.items()
    )


def iter_json(report):
    """Yield the JSON document as text chunks: the header, then one chunk per claim."""
    digest = ReportDigest()
    numbers = NumbersCollector()
    header = header_fields(report)
    digest.add(header)
    yield "{\n" + _members(header, 2) + ',\n  "sources": ['
    for source_index, source in enumerate(report.sources):
        fields = source_fields(source)
        digest.add(fields)
        yield (
            ("," if source_index else "")
            + "\n    {\n"
            + _members(fields, 6)
            + ',\n      "claims": ['
        )
        for claim_index, claim in enumerate(source.claims):
            # One claim per line, written as the digest's canonical JSON (sorted keys, no
            # spaces): a claim has no field the digest leaves out, so the line hashed is the
            # claim whole, and encoding it once instead of twice saves a fifth of an export.
            line = digest.add(claim_fields(claim))
            numbers.add(source, claim)
            yield ("," if claim_index else "") + "\n        " + line
        yield "\n      ]\n    }"
    measures = [measure.as_data() for measure in numbers.measures()]
    yield f'\n  ],\n  "numbers": {_dump(measures, 2)},'
    yield f'\n  "report_sha256": "{digest.hexdigest()}"\n}}\n'


def render_json(report):
    """The whole JSON document as one string."""
    return "".join(iter_json(report))


def report_document(report):
    """The report as the dict its JSON parses to (for built reports)."""
    return json.loads(render_json(report))
