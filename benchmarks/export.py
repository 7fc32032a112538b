"""Measure CSV and JSON report exports at 2,000 and 20,000 claims.

    .venv/bin/python benchmarks/export.py                      # SQLite, in memory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_reports .venv/bin/python benchmarks/export.py

Creates a throwaway test database (Django's test database naming: test_<name>), fills one
investigation per size with claims that each have a quantity, three pieces of evidence and (every
other claim) a signed-off verdict, then exports each format twice: once timed, once under
tracemalloc for the peak of Python allocations. On PostgreSQL it also times `psql \\copy` of the
same joined rows as a floor: what the database alone needs to produce them as CSV.

Writes benchmarks/results/export.json (one entry per database) and prints a summary. Timings
are for reading only; no test asserts on them.
"""

import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-any-deployment")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from claims.models import Investigation  # noqa: E402
from claims.report_formats import export_report  # noqa: E402
from tests.reports.bulk import make_many_claims  # noqa: E402

SIZES = [2_000, 20_000]
FORMATS = ["csv", "json"]
EVIDENCE_PER_CLAIM = 3
RESULTS = ROOT / "benchmarks" / "results" / "export.json"

# The rows one CSV line holds, joined in the database: what psql \copy writes as a floor.
COPY_QUERY = """
WITH ours AS (SELECT id FROM claims_claim WHERE investigation_id = {investigation}),
quantities AS (
    SELECT claim_id, string_agg(text || ' ' || unit, '; ' ORDER BY start) AS texts
    FROM claims_quantity WHERE claim_id IN (SELECT id FROM ours) GROUP BY claim_id),
evidence AS (
    SELECT ce.claim_id, count(*) AS n, string_agg(e.url, ' ' ORDER BY ce.id) AS urls
    FROM claims_claimevidence ce JOIN claims_evidence e ON e.id = ce.evidence_id
    WHERE ce.claim_id IN (SELECT id FROM ours) GROUP BY ce.claim_id)
SELECT s.title, c.quote, c.statement, q.texts, c.speaker, c.status, v.rating, v.rationale,
       coalesce(ev.n, 0), ev.urls
FROM claims_claim c
JOIN claims_source s ON s.id = c.source_id
LEFT JOIN quantities q ON q.claim_id = c.id
LEFT JOIN evidence ev ON ev.claim_id = c.id
LEFT JOIN claims_verdict v ON v.claim_id = c.id AND v.status IN ('proposed', 'signed_off')
WHERE c.investigation_id = {investigation} AND c.status NOT IN ('suggested', 'dismissed')
ORDER BY c.source_id, c.start, c.id
"""


def consume(investigation, format_name):
    """Export to nowhere; return the number of bytes written."""
    return sum(len(chunk) for chunk in export_report(investigation, format_name))


def measure(investigation, format_name):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        size = consume(investigation, format_name)
        seconds = time.perf_counter() - started
    tracemalloc.start()
    consume(investigation, format_name)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": round(seconds, 3),
        "peak_python_bytes": peak,
        "output_bytes": size,
        "queries": len(queries.captured_queries),
    }


def psql_copy_seconds(investigation):
    psql = shutil.which("psql")
    settings = connection.settings_dict
    if connection.vendor != "postgresql" or psql is None:
        return None
    query = " ".join(COPY_QUERY.format(investigation=investigation.pk).split())
    command = [
        psql,
        "-X",
        "-q",
        "-h",
        settings["HOST"] or "127.0.0.1",
        "-p",
        str(settings["PORT"] or 5432),
        "-U",
        settings["USER"],
        "-d",
        settings["NAME"],
        "-c",
        f"\\copy ({query}) TO '/dev/null' WITH CSV HEADER",
    ]
    environment = os.environ | (
        {"PGPASSWORD": settings["PASSWORD"]} if settings["PASSWORD"] else {}
    )
    # Fresh tables have no planner statistics yet; without them PostgreSQL picks nested
    # loops and the copy takes minutes, which says nothing about exporting.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    started = time.perf_counter()
    subprocess.run(command, check=True, env=environment)  # noqa: S603 - fixed arguments
    return round(time.perf_counter() - started, 3)


def main():
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        results = run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    # One entry per database, so SQLite and PostgreSQL runs sit side by side.
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    recorded = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    if "database" in recorded:  # the old single-run layout
        recorded = {}
    recorded[results["database"]] = results
    RESULTS.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print_summary(results)


def run():
    User = get_user_model()
    proposer = User.objects.create(username="bench-proposer")
    signer = User.objects.create(username="bench-signer")
    runs = []
    for size in SIZES:
        investigation = Investigation.objects.create(slug=f"bench-{size}", title=f"{size} claims")
        started = time.perf_counter()
        make_many_claims(
            investigation,
            size,
            evidence_per_claim=EVIDENCE_PER_CLAIM,
            proposer=proposer,
            signer=signer,
        )
        setup_seconds = round(time.perf_counter() - started, 1)
        entry = {
            "claims": size,
            "evidence_per_claim": EVIDENCE_PER_CLAIM,
            "setup_seconds": setup_seconds,
        }
        for format_name in FORMATS:
            entry[format_name] = measure(investigation, format_name)
        entry["psql_copy_seconds"] = psql_copy_seconds(investigation)
        runs.append(entry)
    return {
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "process_max_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "runs": runs,
    }


def print_summary(results):
    print(
        f"Report export on {results['database']} (Python {results['python']}, {results['machine']})"
    )
    header = ("claims", "format", "seconds", "peak MiB", "output MiB", "queries")
    print("{:>7} {:<6} {:>8} {:>9} {:>11} {:>8}".format(*header))
    for entry in results["runs"]:
        for format_name in FORMATS:
            run = entry[format_name]
            print(
                f"{entry['claims']:>7} {format_name:<6} {run['seconds']:>8.2f} "
                f"{run['peak_python_bytes'] / 2**20:>9.1f} {run['output_bytes'] / 2**20:>11.1f} "
                f"{run['queries']:>8}"
            )
        if entry["psql_copy_seconds"] is not None:
            seconds = entry["psql_copy_seconds"]
            print(f"{entry['claims']:>7} psql \\copy of the same joined rows: {seconds:.2f} s")
    print(f"Process peak RSS: {results['process_max_rss_bytes'] / 2**20:.0f} MiB")
    print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
