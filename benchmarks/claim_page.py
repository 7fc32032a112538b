"""Claim page benchmark, in one process: what rendering one claim page costs, against the
logged-in bare view, at each size.

    .venv/bin/python benchmarks/claim_page.py --database bench_web [--repeats 3] [--profile]

Reads the investigations benchmarks/web.py generates (bench-1000, bench-10000, bench-100000;
run it once with --keep-database first) on the PostgreSQL server in BENCH_DATABASE_URL.
Without gunicorn, wrk or the page cache in the way, this times what the claim page itself
costs: the 200 claims web.py loads, each requested through Django's test client as the
synthetic owner with the page cache off, `--repeats` times over. For the claim page and for
the logged-in bare view it reports wall time and this process's CPU time per request
(median and p99), the queries a page makes, and the bare view's CPU time over the page's,
which is what bounds the throughput ratio web.py measures. `--profile` prints the 25
functions taking the most cumulative time over one pass at the first size.
Results: benchmarks/results/claim_page.json.
"""

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402

SIZES = (1_000, 10_000, 100_000)


def _timed(client, urls, repeats):
    """Wall and CPU figures of GETting each of `urls`, `repeats` times over."""
    wall, cpu = [], []
    for _ in range(repeats):
        for url in urls:
            started_wall, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started_wall) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
    return {
        "requests": len(wall),
        "wall": harness.percentiles(wall, 2),
        "cpu": harness.percentiles(cpu, 2),
    }


def _claim_urls(slug):
    from claims.models import Claim

    # The same 200 claims benchmarks/web.py rotates over.
    ids = list(
        Claim.objects.filter(investigation__slug=slug)
        .exclude(status__in=["suggested", "dismissed"])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    step = max(1, len(ids) // 200)
    return [f"/claims/{pk}/" for pk in ids[::step][:200]]


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_NAME", "bench_web"))
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--sizes", default=",".join(str(size) for size in SIZES))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    harness.setup_in_process(
        f"{args.server.rsplit('/', 1)[0]}/{args.database}", "benchmarks.settings"
    )

    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(secure=True)
    client.force_login(get_user_model().objects.get(username="synthetic-owner"))
    bare = ["/bench/logged-in/"] * 200
    results = {"repeats": args.repeats, "sizes": {}}
    for number, size in enumerate(int(size) for size in args.sizes.split(",")):
        urls = _claim_urls(f"bench-{size}")
        _timed(client, urls[:20] + bare[:20], 1)  # warm the template and URL caches
        if args.profile and number == 0:
            profile = cProfile.Profile()
            profile.runcall(_timed, client, urls, 1)
            stats = pstats.Stats(profile)
            stats.sort_stats("tottime").print_stats(30)
            stats.sort_stats("cumulative").print_stats(60)
        page = _timed(client, urls, args.repeats)
        baseline = _timed(client, bare, args.repeats)
        page["queries"] = _queries(client, urls[0])
        page["bytes"] = len(client.get(urls[0]).content)
        results["sizes"][str(size)] = {
            "claim_page": page,
            "bare_logged_in": baseline,
            "cpu_ratio_bare_over_page": round(
                baseline["cpu"]["median_ms"] / page["cpu"]["median_ms"], 3
            ),
        }
        print(
            f"{size:>7} claims: claim page {page['cpu']['median_ms']} ms CPU "
            f"({page['wall']['median_ms']} ms wall, p99 {page['wall']['p99_ms']}), "
            f"{page['queries']} queries, {page['bytes']:,} bytes; bare "
            f"{baseline['cpu']['median_ms']} ms CPU; ratio "
            f"{results['sizes'][str(size)]['cpu_ratio_bare_over_page']}"
        )
    output = ROOT / "benchmarks" / "results" / "claim_page.json"
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written to {output.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
