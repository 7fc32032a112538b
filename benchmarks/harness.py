"""What the benchmark scripts share: a throwaway database, the app under gunicorn, wrk.

Everything listens on and connects to loopback only, and every run is bounded in time.
The scripts run from a fresh clone after `make setup` (see README, "Benchmarks").
"""

import atexit
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
PYTHON = sys.executable
LOOPBACK = "127.0.0.1"


def prepare_process():
    """Print lines as they come, and clean up (servers, databases) when terminated too."""
    sys.stdout.reconfigure(line_buffering=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))


def free_port():
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex((LOOPBACK, port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {LOOPBACK}:{port} after {timeout:.0f} s")


def app_env(database_url, **extra):
    """Production-like settings: DEBUG off, a random key, plain HTTP on loopback, and a cache
    directory of this run's own, which its server processes share and nothing before it left
    pages in (removed when the run ends)."""
    cache_dir = tempfile.mkdtemp(prefix="bench-cache-")
    atexit.register(shutil.rmtree, cache_dir, ignore_errors=True)
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{LOOPBACK},localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "ERROR",
        "CACHE_DIR": cache_dir,
    }
    env.update(extra)
    return env


def manage(env, *args, capture=False):
    command = [PYTHON, str(ROOT / "manage.py"), *args]
    if capture:
        return subprocess.run(
            command, env=env, check=True, capture_output=True, text=True
        ).stdout.strip()
    subprocess.run(command, env=env, check=True)
    return ""


def django_snippet(env, code):
    """Run `code` with Django set up in a child process; return what it prints."""
    program = "import django\ndjango.setup()\n" + code
    result = subprocess.run(
        [PYTHON, "-c", program],
        env={**env, "DJANGO_SETTINGS_MODULE": "factcheck.settings", "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


@contextmanager
def throwaway_database(server_url, name):
    """Create database `name` on the server at `server_url`; drop it afterwards."""
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    base = server_url.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def gunicorn(env, workers, port=None, extra_args=()):
    """Serve the app with gunicorn on loopback; yield (base URL, process)."""
    port = port or free_port()
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "factcheck.wsgi",
        "--bind",
        f"{LOOPBACK}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
        "--error-logfile",
        "-",
        "--log-level",
        "warning",
        *extra_args,
    ]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    try:
        wait_for_port(port)
        yield f"http://{LOOPBACK}:{port}", process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_idle(base_url, timeout=120.0):
    """Wait until the server answers /healthz promptly, twice in a row.

    wrk stops at its deadline, but requests it left queued in the server's backlog are still
    served afterwards; measuring the next page before they drain would charge it for them.
    """
    host, port = base_url.removeprefix("http://").split(":")
    deadline = time.monotonic() + timeout
    prompt = 0
    while prompt < 2 and time.monotonic() < deadline:
        started = time.monotonic()
        connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
        try:
            connection.request("GET", "/healthz")
            connection.getresponse().read()
        finally:
            connection.close()
        prompt = prompt + 1 if time.monotonic() - started < 0.5 else 0


def session_cookie(env, username, superuser=False):
    """A logged-in session for `username` (created if missing), as a Cookie header value."""
    code = f"""
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
user, created = get_user_model().objects.get_or_create(username={username!r})
if created:
    user.set_unusable_password()
if {superuser!r}:
    user.is_staff = user.is_superuser = True
user.save()
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""
    return f"sessionid={django_snippet(env, code)}"


WRK_REPORT = """
local paths = {%(paths)s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write("WRK_JSON ", string.format(
    '{"requests": %%d, "duration_us": %%d, "bytes": %%d, ' ..
    '"errors": {"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}, ' ..
    '"latency_ms": {"mean": %%.3f, "p50": %%.3f, "p90": %%.3f, "p99": %%.3f, "max": %%.3f}}',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000), "\\n")
end
"""


def require_wrk():
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk (or run `make bench-web`)")


def wrk(base_url, paths, cookie, seconds, connections, threads=2, script_dir=RESULTS):
    """Load `paths` (rotated) for `seconds`; return wrk's figures as a dict."""
    script = script_dir / f"wrk-{os.getpid()}.lua.tmp"
    script.write_text(WRK_REPORT % {"paths": ", ".join(json.dumps(p) for p in paths)})
    try:
        result = subprocess.run(
            [
                "wrk",
                f"--threads={threads}",
                f"--connections={connections}",
                f"--duration={seconds}s",
                "--timeout=10s",
                f"--script={script}",
                "--header",
                f"Cookie: {cookie}",
                base_url + paths[0],
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        script.unlink(missing_ok=True)
    line = next(line for line in result.stdout.splitlines() if line.startswith("WRK_JSON "))
    figures = json.loads(line.removeprefix("WRK_JSON "))
    figures["requests_per_second"] = round(figures["requests"] / (figures["duration_us"] / 1e6), 1)
    return figures


def setup_in_process(database_url, settings_module="factcheck.settings"):
    """Django in this process on `database_url`, as in production but with the page cache
    off, for the benchmarks that time one page through Django's test client."""
    os.environ.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        PAGE_CACHE_SECONDS="0",
        LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE=settings_module,
    )
    import django

    django.setup()


def percentiles(samples_ms, digits=1):
    """{"runs", "median_ms", "p99_ms"} of `samples_ms`; nearest rank, so that with fewer than
    100 samples the p99 is the slowest."""
    ordered = sorted(samples_ms)
    p99 = ordered[min(len(ordered) - 1, -(-99 * len(ordered) // 100) - 1)]
    return {
        "runs": len(ordered),
        "median_ms": round(statistics.median(ordered), digits),
        "p99_ms": round(p99, digits),
    }


def machine():
    return {
        "cpus": os.cpu_count(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "python": sys.version.split()[0],
    }
