"""Logging out a user's other sessions (second_factor.end_sessions) as the session table grows.

    DATABASE_URL=postgres://... python -m benchmarks.session_logout [--sessions 10000,100000]

Needs a throwaway PostgreSQL database with the project migrated and no sessions (it fills and
empties the session table). Sessions carry no user column, so set-up, moving
and turning off the second factor decode every unexpired session to find the user's: this
measures what that costs. For each size it fills the session table with logged-in sessions
of 999 users, gives another user 5, and times end_sessions for that user (3 runs, least
CPU and wall seconds). Prints the figures and writes benchmarks/results/session_logout.json.
"""

import argparse
import importlib
import json
import time
from datetime import timedelta
from pathlib import Path

import django

RESULTS = Path(__file__).with_name("results") / "session_logout.json"
USERS = 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    django.setup()
    from django.conf import settings
    from django.contrib.auth import SESSION_KEY, get_user_model
    from django.db import connection
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from claims.access import second_factor

    if connection.vendor != "postgresql":
        raise SystemExit("Run with DATABASE_URL naming a PostgreSQL database.")
    store = importlib.import_module(settings.SESSION_ENGINE).SessionStore
    sessions = store.get_model_class().objects
    if sessions.exists():
        raise SystemExit("Run on a throwaway database: this one has sessions, which it deletes.")
    users = get_user_model().objects
    users.bulk_create(
        [users.model(username=f"bench-{n}") for n in range(USERS)], ignore_conflicts=True
    )
    target = users.get(username="bench-0")
    others = list(
        users.filter(username__startswith="bench-")
        .exclude(pk=target.pk)
        .values_list("pk", flat=True)
    )
    expires = timezone.now() + timedelta(days=14)
    encoder = store()

    def session_row(user_id):
        data = encoder.encode({SESSION_KEY: str(user_id), "_auth_user_hash": "x" * 64})
        return sessions.model(
            session_key=get_random_string(32), session_data=data, expire_date=expires
        )

    figures = []
    for size in (int(n) for n in args.sessions.split(",")):
        sessions.all().delete()
        for start in range(0, size, 5000):
            rows = [
                session_row(others[n % len(others)]) for n in range(start, min(size, start + 5000))
            ]
            sessions.bulk_create(rows)
        runs = []
        for _ in range(args.repeat):
            sessions.bulk_create([session_row(target.pk) for _ in range(5)])
            wall, cpu = time.perf_counter(), time.process_time()
            ended = second_factor.end_sessions(target)
            runs.append((time.perf_counter() - wall, time.process_time() - cpu, ended))
        figure = {
            "sessions": size + 5,
            "ended": runs[-1][2],
            "wall_seconds": round(min(run[0] for run in runs), 3),
            "cpu_seconds": round(min(run[1] for run in runs), 3),
        }
        print(json.dumps(figure))
        figures.append(figure)
    sessions.all().delete()
    users.filter(username__startswith="bench-").delete()
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
