"""Load and fault test: readers and writers at once, then PostgreSQL restarted under load.

    make bench-load           # or: .venv/bin/python benchmarks/load.py [--seconds 60]

Starts its own PostgreSQL cluster (initdb in a temporary folder, a spare loopback port; never
the machine's shared server), fills it with synthetic claims, serves the app with gunicorn
and runs two bounded phases against it from loopback:

1. steady: readers and writers on 32 connections for 60 s. Every write carries a unique
   token; afterwards every acknowledged write (a 302 answer) must be in the database, the
   counts of comments, claims and audit events must have grown by exactly the acknowledged
   writes, and no answer may be a 5xx.
2. outage: the same load for 30 s, with the cluster stopped for a few seconds in the middle.
   Errors must be clean 503 pages with Retry-After, never another 5xx; the app must serve
   again within seconds of the database, without being restarted; acknowledged writes must
   all be there.

Results: benchmarks/results/load.json.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import string
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import harness

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
SLUG = "load"
WRITERS = ["synthetic-reviewer-1", "synthetic-reviewer-2", "synthetic-reviewer-3"]
READERS = ["synthetic-owner", "synthetic-viewer", "synthetic-editor"]


# --- a throwaway PostgreSQL cluster ------------------------------------------------------


class Cluster:
    """A PostgreSQL cluster in a temporary folder, on a spare loopback port."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self.port = harness.free_port()
        self.url = f"postgres://postgres@{harness.LOOPBACK}:{self.port}/postgres"

    def _run(self, *command):
        # initdb and postgres refuse to run as root; the Debian package's user runs them.
        if os.geteuid() == 0:
            command = ("runuser", "-u", "postgres", "--", *command)
        subprocess.run(command, check=True, capture_output=True, text=True)

    def init(self):
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
        )

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses={harness.LOOPBACK} -k {self.folder} "
            "-c fsync=off -c max_connections=60"
        )
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self):
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


@contextmanager
def throwaway_cluster():
    folder = tempfile.mkdtemp(prefix="factcheck-load-")
    cluster = Cluster(folder)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        with suppress(subprocess.CalledProcessError):  # already stopped
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


# --- the load ------------------------------------------------------------------------------


@dataclass
class Result:
    at: float  # seconds since the phase started
    kind: str
    status: int
    seconds: float
    token: str = ""
    retry_after: str = ""
    clean_503: bool = False


@dataclass
class Phase:
    results: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, result):
        with self.lock:
            self.results.append(result)


def _request(port, method, path, cookie, body=None):
    connection = http.client.HTTPConnection(harness.LOOPBACK, port, timeout=30)
    headers = {"Cookie": cookie, "Host": harness.LOOPBACK}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["X-CSRFToken"] = cookie.split("csrftoken=")[1]
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        return response.status, response.getheader("Retry-After", ""), content
    except (OSError, http.client.HTTPException):
        return 0, "", b""
    finally:
        connection.close()


def _reader(port, cookie, paths, phase, started, deadline, rng):
    while time.monotonic() < deadline:
        path = rng.choice(paths)
        begun = time.monotonic()
        status, retry, content = _request(port, "GET", path, cookie)
        phase.add(
            Result(
                at=begun - started,
                kind="read",
                status=status,
                seconds=time.monotonic() - begun,
                retry_after=retry,
                clean_503=status == 503 and b"Temporarily unavailable" in content,
            )
        )


def _writer(port, cookie, plan, phase, started, deadline, rng):
    while time.monotonic() < deadline:
        token = "load-" + secrets.token_hex(8)
        if rng.random() < 0.6 or not plan["spans"]:
            kind, path = "comment", f"/claims/{rng.choice(plan['claims'])}/comments/"
            body = urlencode({"body": f"Checked against the register. {token}"})
        else:
            source_id, start, end = plan["spans"].pop()
            kind, path = "mark", f"/sources/{source_id}/claims/"
            body = urlencode({"start": start, "end": end, "statement": token})
        begun = time.monotonic()
        status, retry, content = _request(port, "POST", path, cookie, body)
        phase.add(
            Result(
                at=begun - started,
                kind=kind,
                status=status,
                seconds=time.monotonic() - begun,
                token=token,
                retry_after=retry,
                clean_503=status == 503 and b"Temporarily unavailable" in content,
            )
        )


def run_phase(port, cookies, plan, seconds, connections, during=None):
    """Run readers and writers for `seconds`; `during(started)` runs alongside (faults)."""
    phase = Phase()
    writers = max(1, connections // 4)
    started = time.monotonic()
    deadline = started + seconds
    threads = []
    for number in range(connections):
        rng = random.Random(number)
        if number < writers:
            user = WRITERS[number % len(WRITERS)]
            spans = plan["spans"][number::writers]  # each writer its own spans
            args = (port, cookies[user], {**plan, "spans": spans}, phase, started, deadline, rng)
            target = _writer
        else:
            user = READERS[number % len(READERS)]
            args = (port, cookies[user], plan["paths"], phase, started, deadline, rng)
            target = _reader
        threads.append(threading.Thread(target=target, args=args, daemon=True))
    for thread in threads:
        thread.start()
    fault = {}
    if during:
        fault = during(started)
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return phase.results, fault


# --- checks --------------------------------------------------------------------------------

COUNTS = """
import json
from claims.models import AuditEvent, Claim, Comment
print(json.dumps({
    "comments": Comment.objects.count(),
    "claims": Claim.objects.count(),
    "audit_events": AuditEvent.objects.count(),
}))
"""

TOKENS = """
import json
from collections import Counter
from claims.models import Claim, Comment
tokens = %(tokens)r
stored = {
    "comment": Counter(
        body.rsplit(" ", 1)[-1]
        for body in Comment.objects.filter(body__contains="load-").values_list("body", flat=True)
    ),
    "mark": Counter(Claim.objects.filter(statement__startswith="load-").values_list(
        "statement", flat=True)),
}
print(json.dumps({kind: {t: stored[kind][t] for t in tokens[kind]} for kind in tokens}))
"""


def _tokens(results, acknowledged):
    chosen = {"comment": [], "mark": []}
    for result in results:
        if result.kind in chosen and (result.status == 302) == acknowledged:
            chosen[result.kind].append(result.token)
    return chosen


def summarize(results):
    statuses = {}
    for result in results:
        statuses[str(result.status)] = statuses.get(str(result.status), 0) + 1
    latencies = sorted(result.seconds for result in results if result.status in (200, 302))
    acknowledged = _tokens(results, acknowledged=True)
    return {
        "requests": len(results),
        "statuses": statuses,
        "reads": sum(1 for r in results if r.kind == "read"),
        "acknowledged_comments": len(acknowledged["comment"]),
        "acknowledged_marks": len(acknowledged["mark"]),
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
        "p99_ms": round(1000 * latencies[int(len(latencies) * 0.99)], 1) if latencies else None,
    }


def check_writes(env, results, before, after, exact):
    acknowledged = _tokens(results, acknowledged=True)
    found = json.loads(harness.django_snippet(env, TOKENS % {"tokens": acknowledged}))
    missing = [t for kind in found for t, n in found[kind].items() if n != 1]
    attempted = {kind: sum(1 for r in results if r.kind == kind) for kind in ("comment", "mark")}
    grown = {name: after[name] - before[name] for name in before}
    expected = {
        "comments": len(acknowledged["comment"]),
        "claims": len(acknowledged["mark"]),
        "audit_events": len(acknowledged["comment"]) + len(acknowledged["mark"]),
    }
    if exact:
        counts_add_up = grown == expected
    else:
        # A write may commit and still lose its answer to the outage: between acknowledged
        # and attempted, and every audit event belongs to one of them.
        counts_add_up = (
            expected["comments"] <= grown["comments"] <= attempted["comment"]
            and expected["claims"] <= grown["claims"] <= attempted["mark"]
            and grown["audit_events"] == grown["comments"] + grown["claims"]
        )
    return {
        "acknowledged_writes_missing": missing,
        "grown": grown,
        "expected_from_acknowledged": expected,
        "attempted": attempted,
        "counts_add_up": counts_add_up,
    }


# --- set-up --------------------------------------------------------------------------------

PLAN = """
import json
from claims.models import Claim, Source
claims = list(
    Claim.objects.filter(investigation__slug=%(slug)r)
    .exclude(status__in=["suggested", "dismissed"]).values_list("pk", flat=True)[:300]
)
spans = []
for source in Source.objects.filter(investigation__slug=%(slug)r).order_by("pk")[:40]:
    taken = set(source.claims.values_list("start", "end"))
    text = source.text
    for claim in source.claims.order_by("start")[:30]:
        for end in range(claim.start + 12, claim.end):
            if not text[end - 1].isspace() and (claim.start, end) not in taken:
                spans.append((source.pk, claim.start, end))
paths = ["/i/%(slug)s/claims/", "/i/%(slug)s/", "/i/%(slug)s/claims/?status=open"]
paths += [f"/claims/{pk}/" for pk in claims[:100]]
paths += [f"/sources/{pk}/" for pk in Source.objects.filter(
    investigation__slug=%(slug)r).values_list("pk", flat=True)[:20]]
print(json.dumps({"claims": claims, "spans": spans, "paths": paths}))
"""


def main():
    harness.prepare_process()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="steady phase")
    parser.add_argument("--outage-phase", type=int, default=30, help="phase with the restart")
    # Longer than the pool's 5 s wait, so that requests see the outage as 503s.
    parser.add_argument("--outage", type=float, default=8.0, help="seconds the cluster is down")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--claims", type=int, default=2000)
    args = parser.parse_args()
    if not (PG_BIN / "initdb").exists():
        sys.exit(f"PostgreSQL server binaries not found in {PG_BIN} (set PG_BIN)")
    output = {"machine": harness.machine(), "settings": vars(args)}
    with throwaway_cluster() as cluster:
        env = harness.app_env(cluster.url)
        harness.manage(env, "migrate", "--noinput", "-v0")
        harness.manage(env, "collectstatic", "--noinput", "-v0")
        harness.manage(
            env, "generate_synthetic", "--investigation", SLUG, "--claims", str(args.claims)
        )
        csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        cookies = {
            user: f"{harness.session_cookie(env, user)}; csrftoken={csrf}"
            for user in WRITERS + READERS
        }
        plan = json.loads(harness.django_snippet(env, PLAN % {"slug": SLUG}))
        random.Random(0).shuffle(plan["spans"])
        with harness.gunicorn(env, args.workers) as (base_url, server):
            port = int(base_url.rsplit(":", 1)[1])

            print(f"steady: {args.connections} connections for {args.seconds} s")
            before = json.loads(harness.django_snippet(env, COUNTS))
            # Each phase marks its own spans: a span marked twice is refused as a duplicate.
            steady_plan = {**plan, "spans": plan["spans"][0::2]}
            results, _ = run_phase(port, cookies, steady_plan, args.seconds, args.connections)
            after = json.loads(harness.django_snippet(env, COUNTS))
            steady = summarize(results)
            steady.update(check_writes(env, results, before, after, exact=True))
            steady["server_errors"] = sum(1 for r in results if r.status >= 500 or r.status == 0)
            output["steady"] = steady
            print(json.dumps(steady, indent=2))

            def outage(started):
                time.sleep(args.outage_phase / 3)
                down = time.monotonic() - started
                cluster.stop()
                time.sleep(args.outage)
                cluster.start()
                return {"down_at": round(down, 2), "up_at": round(time.monotonic() - started, 2)}

            print(f"outage: {args.outage_phase} s, database down for {args.outage} s")
            before = json.loads(harness.django_snippet(env, COUNTS))
            outage_plan = {**plan, "spans": plan["spans"][1::2]}
            results, fault = run_phase(
                port, cookies, outage_plan, args.outage_phase, args.connections, during=outage
            )
            after = json.loads(harness.django_snippet(env, COUNTS))
            failures = [r for r in results if r.status >= 500 or r.status == 0]
            last_failure = max((r.at + r.seconds for r in failures), default=None)
            # Serving again: the first success answered after the database came back (the
            # request may have been waiting in the backlog or for a connection meanwhile).
            first_success = min(
                (
                    r.at + r.seconds
                    for r in results
                    if r.status in (200, 302) and r.at + r.seconds >= fault["up_at"]
                ),
                default=None,
            )
            report = summarize(results)
            report.update(check_writes(env, results, before, after, exact=False))
            report.update(
                fault=fault,
                errors=len(failures),
                errors_all_clean_503=all(
                    r.status == 503 and r.clean_503 and r.retry_after for r in failures
                ),
                other_errors={
                    str(r.status): sum(1 for x in failures if x.status == r.status)
                    for r in failures
                    if r.status != 503
                },
                first_success_after_up_s=(
                    round(first_success - fault["up_at"], 2) if first_success else None
                ),
                last_error_after_up_s=(
                    round(last_failure - fault["up_at"], 2) if last_failure else None
                ),
                server_still_running=server.poll() is None,
            )
            output["outage"] = report
            print(json.dumps({k: v for k, v in report.items() if k != "statuses"}, indent=2))

    steady, outage_report = output["steady"], output["outage"]
    output["verdicts"] = {
        "steady: no 5xx": steady["server_errors"] == 0,
        "steady: every acknowledged write stored": not steady["acknowledged_writes_missing"],
        "steady: counts add up": steady["counts_add_up"],
        "outage: errors are clean 503s with Retry-After": outage_report["errors_all_clean_503"],
        "outage: acknowledged writes stored": not outage_report["acknowledged_writes_missing"],
        "outage: counts add up": outage_report["counts_add_up"],
        "outage: serving again within 10 s of the database": (
            outage_report["first_success_after_up_s"] is not None
            and outage_report["first_success_after_up_s"] <= 10
        ),
        "outage: no restart of the app": outage_report["server_still_running"],
    }
    harness.RESULTS.mkdir(parents=True, exist_ok=True)
    path = harness.RESULTS / "load.json"
    path.write_text(json.dumps(output, indent=2) + "\n")
    print(f"\n{path.relative_to(harness.ROOT)}:")
    for name, met in output["verdicts"].items():
        print(f"  {'met   ' if met else 'FAILED'} {name}")
    sys.exit(0 if all(output["verdicts"].values()) else 1)


if __name__ == "__main__":
    main()
