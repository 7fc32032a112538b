"""Numbers page benchmark, in one process: fresh renders at each size, what one recompute of the
kept summary costs, and what the figures-generation triggers add to one claim write.

    .venv/bin/python benchmarks/numbers_page.py --database bench_web [--repeats 30]

Reads the investigations benchmarks/web.py generates (bench-1000, bench-10000, bench-100000;
run it once with --keep-database first) on the PostgreSQL server in BENCH_DATABASE_URL.
Without a server, page caching or wrk in the way, this times what the numbers page itself
costs: the request through Django's test client as the synthetic owner, page cache off.

- rendered, summary fresh: what nearly every load costs (median and p99, queries);
- rendered, summary stale: the load right after a write that changed figures, when the worker
  has not refreshed yet (the page recomputes and keeps it);
- recompute: summaries' live computation of page 1 and keeping it;
- trigger: microseconds per claim write (a status move across the page's lines, and a save
  that moves nothing) and per quantity insert and delete, timed inside PostgreSQL with the
  figures triggers enabled and disabled (rolled back).
Results: benchmarks/results/numbers_page.json.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402


def _timed(function, repeats):
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return harness.percentiles(samples)


def _size(slug, repeats, client, baseline):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from claims.models import Claim, ClaimStatus, Investigation, Quantity

    investigation = Investigation.objects.get(slug=slug)
    url = f"/i/{slug}/numbers/"
    result = {
        "figures": Quantity.objects.filter(claim__investigation=investigation)
        .exclude(measure="other")
        .count()
    }

    def load():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    load()  # keeps the summary (and warms the templates)
    with CaptureQueriesContext(connection) as captured:
        load()
    result["queries_fresh"] = len(captured.captured_queries)
    if baseline:  # the code before summaries: every load computes
        return result
    from claims.corroboration import generation, summaries

    claim = (
        Claim.objects.filter(investigation=investigation, status=ClaimStatus.OPEN)
        .order_by("pk")
        .first()
    )

    def stale_load():
        # A figure change (its claim dismissed, then back): the summary is stale for the load.
        Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.DISMISSED)
        Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.OPEN)
        started = time.perf_counter()
        load()
        return (time.perf_counter() - started) * 1000

    result["rendered_stale"] = harness.percentiles(
        [stale_load() for _ in range(max(3, repeats // 5))]
    )

    def recompute():
        current = generation.current(investigation.pk)
        summaries._recompute(investigation, False, summaries.FIGURES_PER_PAGE, current)

    result["recompute"] = _timed(recompute, max(3, repeats // 5))
    if connection.vendor == "postgresql":
        result["trigger_us_per_write"] = _trigger_cost(claim, 2000)
    return result


# Server-side loops: PL/pgSQL timing one kind of write `n` times, so that the few microseconds
# a trigger adds are not lost in the round trips and the noise of a shared machine.
_LOOPS = {
    "claim status moved (dismissed / open in turn)": (
        "FOR i IN 1..n LOOP UPDATE claims_claim SET status = "
        "CASE WHEN i % 2 = 0 THEN 'open' ELSE 'dismissed' END WHERE id = claim; END LOOP;"
    ),
    "claim saved, status unchanged": (
        "FOR i IN 1..n LOOP UPDATE claims_claim SET priority = priority WHERE id = claim; END LOOP;"
    ),
    "quantity inserted, then deleted (two writes)": (
        "FOR i IN 1..n LOOP INSERT INTO claims_quantity (claim_id, investigation_id, start, "
        '"end", text, value, unit, approximate, bound, kind, measure, measure_reason, '
        "measure_set_by_reviewer, place) VALUES (claim, (SELECT investigation_id FROM "
        "claims_claim WHERE id = claim), 0, 1, '1', 1, '', false, 'exact', '', 'other', '', "
        "false, '') "
        "RETURNING id INTO made; DELETE FROM claims_quantity WHERE id = made; END LOOP;"
    ),
}
_FIGURES_TRIGGERS = {
    "claims_claim": ["figures_generation_claims_claim_update"],
    "claims_quantity": [
        "figures_generation_claims_quantity_insert",
        "figures_generation_claims_quantity_delete",
    ],
}


def _trigger_cost(claim, repeats):
    """Microseconds per write, the figures triggers enabled and disabled, in rolled-back
    transactions (the data version's triggers fire in both)."""
    from django.db import connection, transaction

    result = {}
    for name, loop in _LOOPS.items():
        timings = {}
        for state in ("enabled", "disabled", "enabled again"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "CREATE FUNCTION pg_temp.writes(claim bigint, n int) RETURNS float "
                    "LANGUAGE plpgsql AS $$ DECLARE started timestamptz := clock_timestamp(); "
                    f"made bigint; BEGIN {loop} "
                    "RETURN extract(epoch FROM clock_timestamp() - started) * 1e6 / n; END $$"
                )
                if state == "disabled":
                    for table, triggers in _FIGURES_TRIGGERS.items():
                        for trigger in triggers:
                            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
                cursor.execute("SELECT pg_temp.writes(%s, %s)", [claim.pk, 50])  # warm
                cursor.execute("SELECT pg_temp.writes(%s, %s)", [claim.pk, repeats])
                timings[state] = round(cursor.fetchone()[0], 1)
                transaction.set_rollback(True)
        result[name] = timings
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="bench_web")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument(
        "--baseline", action="store_true", help="only fresh renders (code without summaries)"
    )
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    args = parser.parse_args()
    harness.setup_in_process(f"{args.server.rsplit('/', 1)[0]}/{args.database}")
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="synthetic-owner"))
    output = {"load_average": list(os.getloadavg()), "repeats": args.repeats, "sizes": {}}
    sizes = args.sizes.split(",")
    for size in sizes:
        output["sizes"][size] = _size(f"bench-{size}", args.repeats, client, args.baseline)
    # Fresh renders in interleaved rounds, so that a busy spell of the machine (shared here)
    # falls on every size alike.
    samples = {size: [] for size in sizes}
    for _ in range(args.repeats):
        for size in sizes:
            started = time.perf_counter()
            response = client.get(f"/i/bench-{size}/numbers/")
            samples[size].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
    for size in sizes:
        output["sizes"][size]["rendered_fresh"] = harness.percentiles(samples[size])
        print(size, json.dumps(output["sizes"][size]), flush=True)
    output["load_average_after"] = list(os.getloadavg())
    found = output["sizes"]
    small, large = sizes[0], sizes[-1]
    output["p99_ratio_rendered_fresh"] = round(
        found[large]["rendered_fresh"]["p99_ms"] / found[small]["rendered_fresh"]["p99_ms"], 2
    )
    print("p99 ratio (fresh renders)", output["p99_ratio_rendered_fresh"])
    name = "numbers_page_baseline.json" if args.baseline else "numbers_page.json"
    path = ROOT / "benchmarks" / "results" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(output, indent=2) + "\n")


if __name__ == "__main__":
    main()
