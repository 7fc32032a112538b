"""Web benchmark: the workbench's busiest pages under gunicorn and wrk, at 1k, 10k, 100k claims.

    make bench-web            # or: .venv/bin/python benchmarks/web.py [--seconds 3 --rounds 3]

Creates a throwaway PostgreSQL database (`bench_web`, dropped afterwards) on the server in
BENCH_DATABASE_URL (default: the local one) holding three investigations of 1,000, 10,000
and 100,000 synthetic claims, and loads, logged in, these pages of each: the claim list (50
per page), a claim page (rotating over 200 claims), the investigation page, Django's admin
changelist of the same claims (as a superuser, filtered to the investigation), the numbers
page (figures across sources), and two bare views through the same middleware: /healthz,
which touches neither the database nor the session, and a logged-in view
(benchmarks/urls.py) that loads the session and the user and renders nothing, the least any
member's page costs. The claim list, the investigation page and the numbers page are
measured twice: as served (a repeated load reuses the rendered page until the database
changes, see claims/listing/page_cache.py; the workers share kept pages through a cache
directory of the run's own, empty at the start) and, from a second gunicorn with
PAGE_CACHE_SECONDS=0, rendered on every load, which is what each load costs on a desk where
something changed since the last one. Sizes and pages are measured in interleaved rounds, so
that a busy spell of the machine falls on all of them alike; per page and size the figures
add up the rounds' requests and take the median of their percentiles. Every query of those
pages is EXPLAINed and any sequential scan of a large table recorded. Results:
benchmarks/results/web.json.

--pages picks some of the pages (all by default), for a quicker look at one.

--database names the database (default bench_web), so that two checkouts benchmarking on
one server do not drop each other's; --keep-database leaves it in place and, on the next
run, reuses it and skips generating the sizes it already holds.
"""

import argparse
import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import harness

SIZES = [1_000, 10_000, 100_000]
PAGES = [
    "claim_list",
    "claim_list_rendered",
    "claim_page",
    "claim_page_rendered",
    "dashboard",
    "dashboard_rendered",
    "numbers",
    "numbers_rendered",
    "admin_changelist",
    "bare",
    "bare_logged_in",
]
# The claim list and the investigation page again, from a second server with the page cache
# off (PAGE_CACHE_SECONDS=0): what every load costs when something changed since the last one.
RENDERED_PAGES = {
    "claim_list_rendered",
    "claim_page_rendered",
    "dashboard_rendered",
    "numbers_rendered",
}
# Pages whose p99 latency must stay flat from the smallest size to the largest.
P99_PAGES = (
    "claim_list",
    "claim_list_rendered",
    "claim_page",
    "claim_page_rendered",
    "dashboard",
    "dashboard_rendered",
    "numbers",
    "numbers_rendered",
)
# Pages that render nothing, or repeat another's queries: measured, never EXPLAINed.
BARE_PAGES = {"bare", "bare_logged_in", *RENDERED_PAGES}
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

# Each query is recorded with its parameters as the page sends it (prepared statements log
# $1, $2 in place of values) and EXPLAINed with them.
PLANS = """
import json
from django.db import connection
from django.test import Client
from django.contrib.auth import get_user_model

LARGE = %(large)r
report = {}
for page, (username, path) in %(pages)r.items():
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    captured = []

    def record(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        status = client.get(path).status_code
    scans = []
    for sql, params in captured:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
        plan = plan if isinstance(plan, list) else json.loads(plan)
        stack = [plan[0]["Plan"]]
        while stack:
            node = stack.pop()
            if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in LARGE:
                scans.append({"table": node["Relation Name"], "rows": node["Plan Rows"],
                              "sql": sql[:300]})
            stack.extend(node.get("Plans", []))
    report[page] = {"status": status, "queries": len(captured),
                    "sequential_scans_of_large_tables": scans}
print(json.dumps(report))
"""


def _slug(size):
    return f"bench-{size}"


def _paths(env, size):
    slug = _slug(size)
    code = f"""
import json
from claims.models import Claim, Investigation
investigation = Investigation.objects.get(slug={slug!r})
ids = list(
    Claim.objects.filter(investigation=investigation)
    .exclude(status__in=["suggested", "dismissed"])
    .order_by("pk")
    .values_list("pk", flat=True)
)
step = max(1, len(ids) // 200)
print(json.dumps({{"id": investigation.pk, "claims": ids[::step][:200]}}))
"""
    found = json.loads(harness.django_snippet(env, code))
    return {
        "claim_list": [f"/i/{slug}/claims/"],
        "claim_list_rendered": [f"/i/{slug}/claims/"],
        "claim_page": [f"/claims/{pk}/" for pk in found["claims"]],
        "claim_page_rendered": [f"/claims/{pk}/" for pk in found["claims"]],
        "dashboard": [f"/i/{slug}/"],
        "dashboard_rendered": [f"/i/{slug}/"],
        "numbers": [f"/i/{slug}/numbers/"],
        "numbers_rendered": [f"/i/{slug}/numbers/"],
        "admin_changelist": [f"/admin/claims/claim/?investigation__id__exact={found['id']}"],
        "bare": ["/healthz"],
        "bare_logged_in": ["/bench/logged-in/"],
    }


def _measure(env, servers, cookies, sizes, args):
    """Interleaved rounds over sizes and pages; returns ({size: {page: figures}}, plans).

    `servers`: {"cached": base URL, "rendered": base URL of the server without page cache}.
    """
    paths = {size: _paths(env, size) for size in sizes}
    pages = args.pages
    rounds = {size: {page: [] for page in pages} for size in sizes}
    for number in range(args.rounds):
        print(f"  round {number + 1} of {args.rounds}")
        for size in sizes:
            for page in pages:
                cookie = cookies["admin"] if page == "admin_changelist" else cookies["member"]
                server = servers["rendered" if page in RENDERED_PAGES else "cached"]
                if number == 0:
                    # A short warm-up fills each worker's template cache and connection pool.
                    harness.wrk(server, paths[size][page], cookie, 1, args.connections)
                for url in servers.values():
                    harness.wait_until_idle(url)
                rounds[size][page].append(
                    harness.wrk(server, paths[size][page], cookie, args.seconds, args.connections)
                )
    for url in servers.values():
        harness.wait_until_idle(url)
    results = {
        size: {page: _combine(runs) for page, runs in pages.items()}
        for size, pages in rounds.items()
    }
    plans = {}
    for size in sizes:
        plan_pages = {
            page: (
                "bench-admin" if page == "admin_changelist" else "synthetic-owner",
                paths[size][page][0],
            )
            for page in pages
            if page not in BARE_PAGES
        }
        plans[size] = json.loads(
            harness.django_snippet(env, PLANS % {"pages": plan_pages, "large": LARGE_TABLES})
        )
    return results, plans


def _median(values):
    values = sorted(values)
    return values[len(values) // 2]


def _latency(run, key):
    # A round in which no request finished has no latencies (wrk reports 0): each took at
    # least the whole round, which is what it counts as. A 0 made such a page look fastest.
    if not run["requests"]:
        return run["duration_us"] / 1000
    return run["latency_ms"][key]


def _combine(runs):
    requests = sum(run["requests"] for run in runs)
    seconds = sum(run["duration_us"] for run in runs) / 1e6
    return {
        "requests_per_second": round(requests / seconds, 1),
        "requests": requests,
        "rounds_without_a_response": sum(1 for run in runs if not run["requests"]),
        "latency_ms": {
            key: round(_median([_latency(run, key) for run in runs]), 1)
            for key in ("mean", "p50", "p90", "p99", "max")
        },
        "errors": {key: sum(run["errors"][key] for run in runs) for key in runs[0]["errors"]},
        "rounds": runs,
    }


def _ratio(numerator, denominator, digits):
    return round(numerator / denominator, digits) if denominator else float("inf")


# Throughput targets per size: (name, page, the page it is held against, ratio, digits).
# A pair whose pages a run did not measure is left out.
THROUGHPUT_TARGETS = (
    ("claim list >= 2x admin changelist", "claim_list", "admin_changelist", 2.0, 2),
    ("claim list >= 0.25x bare view", "claim_list", "bare", 0.25, 3),
    (
        "claim list, page cache off, >= 2x admin changelist",
        "claim_list_rendered",
        "admin_changelist",
        2.0,
        2,
    ),
    ("claim list >= 0.25x logged-in bare view", "claim_list", "bare_logged_in", 0.25, 3),
    # As served (a repeated load of an unchanged claim is reused), and rendered on every load.
    ("claim page >= 0.15x logged-in bare view", "claim_page", "bare_logged_in", 0.15, 3),
    (
        "claim page, page cache off, >= 0.15x logged-in bare view",
        "claim_page_rendered",
        "bare_logged_in",
        0.15,
        3,
    ),
)


def _throughput_targets(size, pages):
    verdicts = {}
    for name, page, against, target, digits in THROUGHPUT_TARGETS:
        if page in pages and against in pages:
            verdicts[f"{size}: {name} req/s"] = {
                "ratio": _ratio(
                    pages[page]["requests_per_second"],
                    pages[against]["requests_per_second"],
                    digits,
                ),
                "target": target,
            }
    return verdicts


def _scale_targets(sizes):
    """No sequential scan at the largest size; p99 grows little from the smallest to it."""
    verdicts = {}
    small, large = str(SIZES[0]), str(SIZES[-1])
    if large not in sizes:
        return verdicts
    scans = sum(
        len(plan["sequential_scans_of_large_tables"]) for plan in sizes[large]["plans"].values()
    )
    verdicts[f"{large}: no sequential scans of large tables"] = {
        "ratio": scans,
        "target": 0,
        "lower_is_better": True,
    }
    if small not in sizes:
        return verdicts
    for page in P99_PAGES:
        if page in sizes[large]["pages"]:
            verdicts[f"{page}: p99 at {large} <= 1.5x p99 at {small}"] = {
                "ratio": _ratio(
                    sizes[large]["pages"][page]["latency_ms"]["p99"],
                    sizes[small]["pages"][page]["latency_ms"]["p99"],
                    2,
                ),
                "target": 1.5,
                "lower_is_better": True,
            }
    return verdicts


def _targets(sizes):
    verdicts = {}
    for size, data in sizes.items():
        verdicts.update(_throughput_targets(size, data["pages"]))
    verdicts.update(_scale_targets(sizes))
    for verdict in verdicts.values():
        if verdict.get("lower_is_better"):
            verdict["met"] = verdict["ratio"] <= verdict["target"]
        else:
            verdict["met"] = verdict["ratio"] >= verdict["target"]
    return verdicts


@contextmanager
def _database(args):
    """Yield (URL of the benchmark database, slugs of the investigations it already holds)."""
    if not args.keep_database:
        with harness.throwaway_database(args.server, args.database) as url:
            yield url, set()
        return
    with psycopg.connect(args.server, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [args.database]
        ).fetchone()
        if not found:
            connection.execute(f'CREATE DATABASE "{args.database}"')
    url = f"{args.server.rsplit('/', 1)[0]}/{args.database}"
    existing = set()
    with psycopg.connect(url) as connection:
        table = connection.execute("SELECT to_regclass('claims_investigation')").fetchone()[0]
        if table:
            rows = connection.execute("SELECT slug FROM claims_investigation").fetchall()
            existing = {slug for (slug,) in rows}
    yield url, existing


def main():
    harness.prepare_process()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="load per page, size and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 3)))
    parser.add_argument("--sizes", default=",".join(str(size) for size in SIZES))
    parser.add_argument(
        "--pages",
        default=",".join(PAGES),
        help="which pages to load (default: all), e.g. numbers,numbers_rendered,bare_logged_in",
    )
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_NAME", "bench_web"))
    parser.add_argument(
        "--keep-database",
        action="store_true",
        help="leave the database in place; reuse it (and its claims) when it exists",
    )
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="PostgreSQL server (any database on it) where bench_web is created",
    )
    args = parser.parse_args()
    args.pages = [page for page in PAGES if page in args.pages.split(",")]
    harness.require_wrk()
    sizes = [int(size) for size in args.sizes.split(",")]
    output = {
        "machine": harness.machine(),
        "settings": {
            "seconds_per_page_and_round": args.seconds,
            "rounds": args.rounds,
            "connections": args.connections,
            "gunicorn_workers": args.workers,
            "worker_class": "sync",
            "debug": False,
        },
        "sizes": {},
    }
    with _database(args) as (database_url, existing):
        # The benchmark's settings add the logged-in bare view to the project's URLs.
        env = harness.app_env(database_url, DJANGO_SETTINGS_MODULE="benchmarks.settings")
        harness.manage(env, "migrate", "--noinput", "-v0")
        harness.manage(env, "collectstatic", "--noinput", "-v0")
        cookies = {
            "member": harness.session_cookie(env, "synthetic-owner"),
            "admin": harness.session_cookie(env, "bench-admin", superuser=True),
        }
        for size in sizes:
            if _slug(size) in existing:
                output["sizes"][str(size)] = {"generate_seconds": None, "reused": True}
                continue
            started = time.perf_counter()
            harness.manage(
                env,
                "generate_synthetic",
                "--investigation",
                _slug(size),
                "--claims",
                str(size),
                "--seed",
                str(size),
            )
            output["sizes"][str(size)] = {
                "generate_seconds": round(time.perf_counter() - started, 1)
            }
        # Autovacuum would get there; a benchmark should not wait for it to.
        harness.django_snippet(
            env, "from django.db import connection\nconnection.cursor().execute('VACUUM ANALYZE')"
        )
        uncached = {**env, "PAGE_CACHE_SECONDS": "0"}
        with (
            harness.gunicorn(env, args.workers) as (cached_url, _),
            harness.gunicorn(uncached, args.workers) as (rendered_url, _),
        ):
            servers = {"cached": cached_url, "rendered": rendered_url}
            results, plans = _measure(env, servers, cookies, sizes, args)
        for size in sizes:
            output["sizes"][str(size)].update(pages=results[size], plans=plans[size])
            print(f"  {size:,} claims:")
            for page, figures in results[size].items():
                latency = figures["latency_ms"]
                print(
                    f"    {page:19} {figures['requests_per_second']:8.1f} req/s   "
                    f"p50 {latency['p50']:7.1f} ms   p99 {latency['p99']:7.1f} ms   "
                    f"non-2xx {figures['errors']['status']}"
                )
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
