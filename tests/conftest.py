import ipaddress
import socket
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from claims.models import Role
from tests.clients import HtmxClient
from tests.factories import make_claim, make_investigation, make_source, make_user
from tests.pages import PageServer


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """Remove the write-ahead log a crashed run left beside the SQLite test database.

    Django replaces the database file itself but not its -wal and -shm files; SQLite would
    replay a stale log into the fresh database. Kept with --reuse-db, whose log is its own.
    """
    database = django_settings.DATABASES["default"]
    name = database.get("TEST", {}).get("NAME")
    if database["ENGINE"].endswith("sqlite3") and name and not request.config.getvalue("reuse_db"):
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db):
    """Owner of the `flood-2026` investigation."""
    return make_user("alice")


@pytest.fixture
def bob(db):
    """Reviewer in Alice's investigation."""
    return make_user("bob")


@pytest.fixture
def rita(db):
    """A second reviewer in Alice's investigation (for four-eyes sign-off)."""
    return make_user("rita")


@pytest.fixture
def erin(db):
    """Editor in Alice's investigation."""
    return make_user("erin")


@pytest.fixture
def victor(db):
    """Viewer in Alice's investigation."""
    return make_user("victor")


@pytest.fixture
def carol(db):
    """Outsider: a user of the installation with no membership in Alice's investigation."""
    return make_user("carol")


@pytest.fixture
def investigation(alice, bob, rita, erin, victor, carol):
    return make_investigation(
        members=[
            (alice, Role.OWNER),
            (bob, Role.REVIEWER),
            (rita, Role.REVIEWER),
            (erin, Role.EDITOR),
            (victor, Role.VIEWER),
        ]
    )


@pytest.fixture
def source(investigation):
    return make_source(investigation)


@pytest.fixture
def claim(source, bob):
    return make_claim(source, actor=bob)


@pytest.fixture
def htmx(db):
    """A client whose every request carries htmx's header; log it in as the test needs."""
    return HtmxClient()


@pytest.fixture
def people(alice, bob, erin, victor, carol):
    """Users by role name, for permission tables."""
    return {
        "owner": alice,
        "reviewer": bob,
        "editor": erin,
        "viewer": victor,
        "outsider": carol,
    }


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Hashed static names need `collectstatic` first; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    # Pages and counts are cached per process; no test may see another's.
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    # Tasks run inside the request that enqueues them (after commit); the worker test switches
    # back to the database backend to exercise the real queue.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch):
    """A second net under the capture guard: in tests no name lookup or connection may leave
    this machine, so even a broken guard sends nothing to another host."""
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.create_connection

    def getaddrinfo(host, *args, **kwargs):
        if str(host) not in LOOPBACK_NAMES and not str(host).startswith("127."):
            raise socket.gaierror(socket.EAI_NONAME, f"tests resolve only loopback, not {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    def create_connection(address, *args, **kwargs):
        # A loopback name (the live server's "localhost") is let through as its address is.
        host = str(address[0])
        if host not in LOOPBACK_NAMES and not ipaddress.ip_address(host).is_loopback:
            raise OSError(f"tests connect only to loopback, not {address[0]}")
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)


@pytest.fixture(scope="session")
def page_server():
    server = PageServer()
    yield server
    server.close()


@pytest.fixture
def pages(page_server, settings):
    """The loopback page server, let through the guard for this test only (its port only)."""
    page_server.routes.clear()
    page_server.requests.clear()
    settings.CAPTURE_ALLOWED_LOOPBACK = [page_server.endpoint]
    settings.CAPTURE_READ_TIMEOUT = 1.0
    settings.CAPTURE_CONNECT_TIMEOUT = 1.0
    return page_server


@pytest.fixture
def other_session():
    """Opens connections of their own to the test database's server (PostgreSQL), as another
    process would; not autocommit. Each is closed after the test, before the database is
    emptied."""
    import psycopg
    from django.db import connection

    opened = []

    def connect(dbname=None):
        settings = connection.settings_dict
        session = psycopg.connect(
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
            user=settings["USER"] or None,
            password=settings["PASSWORD"] or None,
            dbname=dbname or settings["NAME"],
        )
        opened.append(session)
        return session

    yield connect
    for session in opened:
        session.close()
