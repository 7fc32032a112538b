"""Web benchmark: the workbench's busiest pages under gunicorn and wrk, at 1k, 10k, 100k claims.

    make bench-web            # or: .venv/bin/python benchmarks/web.py [--seconds 5]

Creates a throwaway PostgreSQL database (`bench_web`, dropped afterwards) on the server in
BENCH_DATABASE_URL (default: the local one), fills one investigation with synthetic claims
in three steps, and at each size loads five pages for a few seconds each, logged in: the
claim list (50 per page), a claim page (rotating over 200 claims), the investigation page,
Django's admin changelist of claims (as a superuser) and /healthz, a view that touches no
database, through the same middleware. It also EXPLAINs every query those pages make and
records any sequential scan of a large table. Results: benchmarks/results/web.json.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import harness  # noqa: E402

SLUG = "bench"
SIZES = [1_000, 10_000, 100_000]
PAGES = ["claim_list", "claim_page", "dashboard", "admin_changelist", "bare"]
LARGE_TABLES = {
    "claims_claim",
    "claims_auditevent",
    "claims_comment",
    "claims_claimevidence",
    "claims_quantity",
    "claims_verdict",
    "claims_evidence",
    "claims_source",
}

PLANS = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.contrib.auth import get_user_model

LARGE = %(large)r
report = {}
for page, (username, path) in %(pages)r.items():
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    scans = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
        plan = plan if isinstance(plan, list) else json.loads(plan)
        stack = [plan[0]["Plan"]]
        while stack:
            node = stack.pop()
            if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in LARGE:
                scans.append({"table": node["Relation Name"], "rows": node["Plan Rows"],
                              "sql": sql[:300]})
            stack.extend(node.get("Plans", []))
    report[page] = {"status": status, "queries": len(captured.captured_queries),
                    "sequential_scans_of_large_tables": scans}
print(json.dumps(report))
"""


def _paths(env):
    code = f"""
import json
from claims.models import Claim
ids = list(
    Claim.objects.filter(investigation__slug={SLUG!r})
    .exclude(status__in=["suggested", "dismissed"])
    .order_by("pk")
    .values_list("pk", flat=True)
)
step = max(1, len(ids) // 200)
print(json.dumps(ids[::step][:200]))
"""
    claim_ids = json.loads(harness.django_snippet(env, code))
    return {
        "claim_list": [f"/i/{SLUG}/claims/"],
        "claim_page": [f"/claims/{pk}/" for pk in claim_ids],
        "dashboard": [f"/i/{SLUG}/"],
        "admin_changelist": ["/admin/claims/claim/"],
        "bare": ["/healthz"],
    }


def _measure_size(env, base_url, cookies, args):
    paths = _paths(env)
    results = {}
    for page in PAGES:
        cookie = cookies["admin"] if page == "admin_changelist" else cookies["member"]
        # A short warm-up fills each worker's template cache and connection pool.
        harness.wrk(base_url, paths[page], cookie, 1, args.connections)
        harness.wait_until_idle(base_url)
        results[page] = harness.wrk(base_url, paths[page], cookie, args.seconds, args.connections)
        harness.wait_until_idle(base_url)
        figures = results[page]
        latency = figures["latency_ms"]
        print(
            f"    {page:17} {figures['requests_per_second']:8.1f} req/s   "
            f"p50 {latency['p50']:7.1f} ms   p99 {latency['p99']:7.1f} ms   "
            f"non-2xx {figures['errors']['status']}"
        )
    plan_pages = {
        "claim_list": ("synthetic-owner", paths["claim_list"][0]),
        "claim_page": ("synthetic-owner", paths["claim_page"][0]),
        "dashboard": ("synthetic-owner", paths["dashboard"][0]),
        "admin_changelist": ("bench-admin", paths["admin_changelist"][0]),
    }
    plans = json.loads(
        harness.django_snippet(env, PLANS % {"pages": plan_pages, "large": LARGE_TABLES})
    )
    return results, plans


def _targets(sizes):
    verdicts = {}

    def ratio(numerator, denominator, digits):
        return round(numerator / denominator, digits) if denominator else float("inf")

    for size, data in sizes.items():
        pages = data["pages"]
        listing = pages["claim_list"]["requests_per_second"]
        verdicts[f"{size}: claim list >= 2x admin changelist req/s"] = {
            "ratio": ratio(listing, pages["admin_changelist"]["requests_per_second"], 2),
            "target": 2.0,
        }
        verdicts[f"{size}: claim list >= 0.25x bare view req/s"] = {
            "ratio": ratio(listing, pages["bare"]["requests_per_second"], 3),
            "target": 0.25,
        }
    small, large = str(SIZES[0]), str(SIZES[-1])
    if small in sizes and large in sizes:
        for page in ("claim_list", "claim_page", "dashboard"):
            verdicts[f"{page}: p99 at {large} <= 1.5x p99 at {small}"] = {
                "ratio": ratio(
                    sizes[large]["pages"][page]["latency_ms"]["p99"],
                    sizes[small]["pages"][page]["latency_ms"]["p99"],
                    2,
                ),
                "target": 1.5,
                "lower_is_better": True,
            }
    for verdict in verdicts.values():
        if verdict.get("lower_is_better"):
            verdict["met"] = verdict["ratio"] <= verdict["target"]
        else:
            verdict["met"] = verdict["ratio"] >= verdict["target"]
    return verdicts


def main():
    harness.prepare_process()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="load per page and size")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 3)))
    parser.add_argument("--sizes", default=",".join(str(size) for size in SIZES))
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="PostgreSQL server (any database on it) where bench_web is created",
    )
    args = parser.parse_args()
    harness.require_wrk()
    sizes = [int(size) for size in args.sizes.split(",")]
    output = {
        "machine": harness.machine(),
        "settings": {
            "seconds_per_page": args.seconds,
            "connections": args.connections,
            "gunicorn_workers": args.workers,
            "worker_class": "sync",
            "debug": False,
        },
        "sizes": {},
    }
    with harness.throwaway_database(args.server, "bench_web") as database_url:
        env = harness.app_env(database_url)
        harness.manage(env, "migrate", "--noinput", "-v0")
        harness.manage(env, "collectstatic", "--noinput", "-v0")
        cookies = {
            "member": harness.session_cookie(env, "synthetic-owner"),
            "admin": harness.session_cookie(env, "bench-admin", superuser=True),
        }
        with harness.gunicorn(env, args.workers) as (base_url, _):
            have = 0
            for size in sizes:
                started = time.perf_counter()
                harness.manage(
                    env,
                    "generate_synthetic",
                    "--investigation",
                    SLUG,
                    "--claims",
                    str(size - have),
                    "--seed",
                    str(size),
                )
                generated = time.perf_counter() - started
                have = size
                # Autovacuum would get there; a benchmark should not wait for it to.
                harness.django_snippet(
                    env,
                    "from django.db import connection\n"
                    "connection.cursor().execute('VACUUM ANALYZE')",
                )
                print(f"  {size:,} claims (generated in {generated:.0f} s):")
                pages, plans = _measure_size(env, base_url, cookies, args)
                output["sizes"][str(size)] = {
                    "generate_seconds": round(generated, 1),
                    "pages": pages,
                    "plans": plans,
                }
    output["targets"] = _targets(output["sizes"])
    harness.RESULTS.mkdir(parents=True, exist_ok=True)
    path = harness.RESULTS / "web.json"
    path.write_text(json.dumps(output, indent=2) + "\n")
    print(f"\nTargets ({path.relative_to(harness.ROOT)}):")
    for name, verdict in output["targets"].items():
        mark = "met " if verdict["met"] else "MISSED"
        print(f"  {mark:6} {name}: {verdict['ratio']} (target {verdict['target']})")
    # At 1k and 10k claims a sequential scan is often the planner's cheapest choice; at the
    # largest size every one of them is worth a look.
    largest = output["sizes"][str(sizes[-1])]["plans"]
    scans = [
        (page, scan)
        for page, plan in largest.items()
        for scan in plan["sequential_scans_of_large_tables"]
    ]
    print(f"Sequential scans of large tables at {sizes[-1]:,} claims: {len(scans)}")
    for page, scan in scans:
        print(f"  {page}: {scan['table']} (~{scan['rows']:,} rows) in {scan['sql'][:120]}")


if __name__ == "__main__":
    main()
