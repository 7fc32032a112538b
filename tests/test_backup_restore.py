"""The documented backup procedure (README, "Backup and restore") gives back the same report.

SQLite: the sqlite3 backup API copies the live database into a new file. PostgreSQL:
pg_dump in custom format, pg_restore into a new database. Either way a separate process
pointed at the copy must export a report with the same hash as the original (the report's
generation time aside).
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from claims.devdata import synthetic
from claims.reporting.reports import build_report, digest_report
from tests.factories import make_investigation

BASE_DIR = Path(__file__).resolve().parent.parent

REPORT_HASH = """
import hashlib, json, django
django.setup()
from claims.models import Investigation
from claims.reporting.reports import build_report, digest_report
print(digest_report(build_report(Investigation.objects.get(slug="backup"))))
"""


def report_hash(investigation):
    # The report digest covers every claim, quote, verdict and evidence item, not the time
    # the report was generated.
    return digest_report(build_report(investigation))


def hash_from_copy(database_url):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", REPORT_HASH],
        cwd=BASE_DIR,
        env={**env, "PYTHONPATH": str(BASE_DIR)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def investigation(transactional_db):
    # Committed data (transactional_db): the copy is made by another connection or process.
    investigation = make_investigation(slug="backup", title="Backup drill")
    synthetic.generate(investigation, claims=150, evidence_per_claim=2, seed=9)
    return investigation


def test_sqlite_backup_restores_the_same_report(investigation, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("this half runs on SQLite")
    copy = tmp_path / "backup.sqlite3"
    connection.ensure_connection()
    destination = sqlite3.connect(copy)
    with destination:
        connection.connection.backup(destination)
    destination.close()
    assert hash_from_copy(f"sqlite:///{copy}") == report_hash(investigation)


def test_postgresql_dump_restores_the_same_report(investigation, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("this half runs on PostgreSQL")
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip("pg_dump/pg_restore not installed (apt-get install postgresql-client)")
    settings = connection.settings_dict
    server = (
        f"postgresql://{settings['USER'] or 'postgres'}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}"
    )
    dump = tmp_path / "factcheck.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={dump}", f"{server}/{settings['NAME']}"],
        check=True,
        timeout=120,
    )
    restored = f"restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={server}/{restored}", str(dump)],
            check=True,
            timeout=120,
        )
        assert hash_from_copy(f"{server}/{restored}") == report_hash(investigation)
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
