"""Measure what makes a PDF or bundle slow to build, for report_files.estimated_seconds().

    .venv/bin/python benchmarks/report_cost.py                 # SQLite, a throwaway file
    .venv/bin/python benchmarks/report_cost.py --repeat 3 --check 480

Four investigations that differ in one thing at a time (claims, citations per claim, source
text that no claim quotes) are built with make_bulk_claims (tests/factories.py), and each is
exported as PDF and as bundle `--repeat` times: the least CPU seconds of this process (the
build runs in it), with each run's wall seconds beside them. `--check N` also times, once, an
investigation of N claims with three citations each (the size of the report that timed out).
A least-squares fit over these five gives seconds per claim, per citation and per million
characters of source text: the figures for claims/reporting/report_files.py; the check's estimate is
printed beside its measurement.

Writes benchmarks/results/report_cost.json and prints a summary. No test asserts on timings.
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-any-deployment")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F, Value  # noqa: E402
from django.db.models.functions import Concat  # noqa: E402

from claims.models import Investigation, Source  # noqa: E402
from claims.reporting import report_files  # noqa: E402
from claims.reporting.formats import export_report  # noqa: E402
from tests.factories import make_bulk_claims  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "report_cost.json"
FORMATS = ["pdf", "bundle"]
BASE_CLAIMS = 120
MORE_CLAIMS = 240
BASE_CITATIONS = 1
MORE_CITATIONS = 5
EXTRA_TEXT_CHARS = 2_000_000
# Unclaimed narration appended to every source of the "text" investigation.
FILLER = "The committee met again in the afternoon and nothing of note was decided. "


def build(slug, claims, citations, extra_chars, proposer, signer):
    investigation = Investigation.objects.create(slug=slug, title=slug)
    sources = make_bulk_claims(
        investigation,
        claims,
        evidence_per_claim=citations,
        claims_per_source=100,
        proposer=proposer,
        signer=signer,
    )
    if extra_chars:
        # Appended after the last claim: every anchor stays where it was. A queryset update,
        # since Source.save() refuses a changed text.
        per_source = extra_chars // len(sources)
        filler = "\n" + (FILLER * (per_source // len(FILLER) + 1))[:per_source]
        Source.objects.filter(pk__in=[source.pk for source in sources]).update(
            text=Concat(F("text"), Value(filler))
        )
    return investigation


def seconds(investigation, format_name, repeat):
    """The least CPU seconds of this process over `repeat` builds (the build runs in it,
    single-threaded; other load on a shared machine inflates wall time far more, and CPU time
    too, never deflates it), and each run's wall seconds."""
    cpus, walls = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        for _chunk in export_report(investigation, format_name):
            pass
        cpus.append(time.process_time() - started_cpu)
        walls.append(round(time.perf_counter() - started, 3))
    return round(min(cpus), 3), walls


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--check", type=int, default=480, help="claims of the check run")
    args = parser.parse_args()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        # Not the test suite's file: a test run in this checkout may be using it.
        connection.settings_dict["TEST"]["NAME"] = str(ROOT / "var" / "bench-report-cost.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        results = run(args.repeat, args.check)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    recorded = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    recorded[results["database"]] = results
    RESULTS.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def run(repeat, check_claims):
    User = get_user_model()
    proposer = User.objects.create(username="bench-proposer")
    signer = User.objects.create(username="bench-signer")
    plans = {
        "base": (BASE_CLAIMS, BASE_CITATIONS, 0),
        "claims": (MORE_CLAIMS, BASE_CITATIONS, 0),
        "citations": (BASE_CLAIMS, MORE_CITATIONS, 0),
        "text": (BASE_CLAIMS, BASE_CITATIONS, EXTRA_TEXT_CHARS),
    }
    runs = {}
    for name, (claims, citations, extra) in plans.items():
        investigation = build(f"cost-{name}", claims, citations, extra, proposer, signer)
        entry = {"size": report_files.report_size(investigation)._asdict()}
        for format_name in FORMATS:
            entry[format_name], entry[f"{format_name}_wall_each"] = seconds(
                investigation, format_name, repeat
            )
        runs[name] = entry
        print(name, entry, flush=True)
    check = build("cost-check", check_claims, 3, 0, proposer, signer)
    check_entry = {"size": report_files.report_size(check)._asdict()}
    for format_name in FORMATS:
        check_entry[format_name], check_entry[f"{format_name}_wall_each"] = seconds(
            check, format_name, 1
        )
    points = [*runs.values(), check_entry]
    factors = {format_name: fit(points, format_name) for format_name in FORMATS}
    for format_name in FORMATS:
        check_entry[f"{format_name}_estimate"] = round(
            estimate(factors[format_name], check_entry["size"]), 3
        )
    results = {
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average": os.getloadavg(),
        "repeat": repeat,
        "runs": runs,
        "factors": factors,
        "check": check_entry,
    }
    print_summary(results)
    return results


def fit(points, format_name):
    """Seconds per claim, per citation and per million characters: the least-squares fit,
    without a constant, of seconds = a * claims + b * citations + c * characters over every
    run (each run changes one of the three, and the check run all of them)."""
    rows = [
        (
            [point["size"]["claims"], point["size"]["citations"], point["size"]["text_chars"]],
            point[format_name],
        )
        for point in points
    ]
    # Normal equations (X'X) f = X'y, solved by Gaussian elimination: three unknowns.
    matrix = [
        [sum(x[i] * x[j] for x, _ in rows) for j in range(3)] + [sum(x[i] * y for x, y in rows)]
        for i in range(3)
    ]
    for column in range(3):
        pivot = max(range(column, 3), key=lambda row: abs(matrix[row][column]))
        matrix[column], matrix[pivot] = matrix[pivot], matrix[column]
        for row in range(3):
            if row != column:
                ratio = matrix[row][column] / matrix[column][column]
                matrix[row] = [
                    a - ratio * b for a, b in zip(matrix[row], matrix[column], strict=True)
                ]
    per_claim, per_citation, per_char = (matrix[i][3] / matrix[i][i] for i in range(3))
    return {
        "seconds_per_claim": round(per_claim, 5),
        "seconds_per_citation": round(per_citation, 5),
        "seconds_per_million_chars": round(per_char * 1_000_000, 3),
    }


def estimate(factors, size):
    return (
        factors["seconds_per_claim"] * size["claims"]
        + factors["seconds_per_citation"] * size["citations"]
        + factors["seconds_per_million_chars"] * size["text_chars"] / 1_000_000
    )


def print_summary(results):
    print(f"Report build cost on {results['database']} ({results['machine']})")
    print(f"load average {results['load_average']}")
    for name, entry in results["runs"].items():
        size = entry["size"]
        print(
            f"{name:>10}: {size['claims']:>5} claims {size['citations']:>5} citations "
            f"{size['text_chars']:>9} chars  "
            f"pdf {entry['pdf']:.2f} s  bundle {entry['bundle']:.2f} s"
        )
    for format_name, factors in results["factors"].items():
        print(f"{format_name}: {factors}")
    check = results["check"]
    for format_name in FORMATS:
        print(
            f"check {check['size']['claims']} claims, {format_name}: "
            f"{check[format_name]:.2f} CPU s measured "
            f"(wall {check[f'{format_name}_wall_each']}), "
            f"{check[f'{format_name}_estimate']:.2f} s estimated"
        )
    print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
