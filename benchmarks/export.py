"""Measure CSV and JSON report exports at 2,000 and 20,000 claims.

    .venv/bin/python benchmarks/export.py                      # SQLite, in memory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_reports .venv/bin/python benchmarks/export.py
    .venv/bin/python benchmarks/export.py --repeat 5 --sizes 2000  # see --help

Creates a throwaway test database (Django's test database naming: test_<name>), fills one
investigation per size with claims that each have a quantity, three pieces of evidence and
(every other claim) a signed-off verdict, in sources of 100 claims each, as testimonies and
articles come (--claims-per-source; 0 puts every claim in one source, whose text then grows
with them), then exports each format `--repeat` times timed (wall and CPU seconds of this
process; the summary gives medians), and once more under tracemalloc for the peak of Python
allocations. On PostgreSQL it also times `psql \\copy` of the same joined rows as a floor
(as often, median): what the database alone needs to produce them as CSV.

Writes benchmarks/results/export.json (one entry per database) and prints a summary. Timings
are for reading only; no test asserts on them.
"""

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
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
from claims.reporting.formats import export_report  # noqa: E402
from tests.factories import make_bulk_claims  # noqa: E402

SIZES = [2_000, 20_000]
FORMATS = ["csv", "json"]
EVIDENCE_PER_CLAIM = 3
CLAIMS_PER_SOURCE = 100
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


def measure(investigation, format_name, repeat):
    walls, cpus = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            size = consume(investigation, format_name)
            walls.append(round(time.perf_counter() - started, 3))
            cpus.append(round(time.process_time() - started_cpu, 3))
    tracemalloc.start()
    consume(investigation, format_name)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": statistics.median(walls),
        "cpu_seconds": statistics.median(cpus),
        "seconds_each": walls,
        "cpu_seconds_each": cpus,
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
    started = time.perf_counter()
    subprocess.run(command, check=True, env=environment)
    return round(time.perf_counter() - started, 3)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        help="claims per investigation, comma-separated",
    )
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="timed exports per format and size")
    parser.add_argument(
        "--claims-per-source",
        type=int,
        default=CLAIMS_PER_SOURCE,
        help="claims in each source (0: all of a size's claims in one source)",
    )
    return parser.parse_args()


def main():
    args = parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    formats = args.formats.split(",")
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        results = run(sizes, formats, args.repeat, args.claims_per_source)
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


def run(sizes, formats, repeat, claims_per_source):
    User = get_user_model()
    proposer = User.objects.create(username="bench-proposer")
    signer = User.objects.create(username="bench-signer")
    runs = []
    for size in sizes:
        investigation = Investigation.objects.create(slug=f"bench-{size}", title=f"{size} claims")
        started = time.perf_counter()
        make_bulk_claims(
            investigation,
            size,
            evidence_per_claim=EVIDENCE_PER_CLAIM,
            claims_per_source=claims_per_source or None,
            proposer=proposer,
            signer=signer,
        )
        setup_seconds = round(time.perf_counter() - started, 1)
        # Fresh tables have no planner statistics yet; without them PostgreSQL picks plans
        # that autovacuum's statistics would not (nested loops: the psql copy then takes
        # minutes). Both the exports and the copy run after ANALYZE, as on a live database.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        entry = {
            "claims": size,
            "evidence_per_claim": EVIDENCE_PER_CLAIM,
            "setup_seconds": setup_seconds,
        }
        for format_name in formats:
            entry[format_name] = measure(investigation, format_name, repeat)
        copies = [psql_copy_seconds(investigation) for _ in range(repeat)]
        entry["psql_copy_seconds"] = None if None in copies else statistics.median(copies)
        entry["psql_copy_seconds_each"] = copies
        runs.append(entry)
    return {
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "process_max_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "repeat": repeat,
        "claims_per_source": claims_per_source or "all in one source",
        "formats": formats,
        "runs": runs,
    }


def print_summary(results):
    print(
        f"Report export on {results['database']} (Python {results['python']}, {results['machine']})"
    )
    print(f"Medians of {results['repeat']} runs; x psql = wall seconds over psql \\copy seconds")
    header = ("claims", "format", "wall s", "CPU s", "x psql", "peak MiB", "output MiB", "queries")
    print("{:>7} {:<6} {:>7} {:>7} {:>7} {:>9} {:>11} {:>8}".format(*header))
    peaks = {}
    for entry in results["runs"]:
        copy_seconds = entry["psql_copy_seconds"]
        for format_name in results["formats"]:
            run = entry[format_name]
            ratio = f"{run['seconds'] / copy_seconds:.1f}" if copy_seconds else "-"
            peaks.setdefault(format_name, []).append(run["peak_python_bytes"])
            print(
                f"{entry['claims']:>7} {format_name:<6} {run['seconds']:>7.2f} "
                f"{run['cpu_seconds']:>7.2f} {ratio:>7} "
                f"{run['peak_python_bytes'] / 2**20:>9.1f} {run['output_bytes'] / 2**20:>11.1f} "
                f"{run['queries']:>8}"
            )
        if copy_seconds is not None:
            print(f"{entry['claims']:>7} psql \\copy of the same joined rows: {copy_seconds:.2f} s")
    for format_name, values in peaks.items():
        if len(values) > 1:
            ratio = values[-1] / values[0]
            print(f"{format_name} peak memory, largest size over smallest: {ratio:.2f}x")
    print(f"Process peak RSS: {results['process_max_rss_bytes'] / 2**20:.0f} MiB")
    print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
