"""Production mode: deploy checks, security headers, the outage page and the health probe."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent


def test_check_deploy_reports_nothing_in_production_mode():
    # The test run's own settings (and the browser tests' async switch) are no production's.
    test_only = ("DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {name: value for name, value in os.environ.items() if name not in test_only}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="workbench.example.org",
        CSRF_TRUSTED_ORIGINS="https://workbench.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy


def test_cookies_are_secure_and_hidden_from_scripts(client, alice):
    page = client.get(reverse("login"), secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"]
    assert csrf["httponly"]
    client.post(
        reverse("login"),
        {"username": "alice", "password": "pw-for-tests-123"},
        secure=True,
    )
    session = client.cookies["sessionid"]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"


def _raise(error):
    def fail(*args, **kwargs):
        raise error

    return fail


@pytest.fixture
def quiet_client():
    """A client that returns the error page instead of re-raising the view's exception."""
    return Client(raise_request_exception=False)


def test_database_down_while_loading_the_session_is_a_503(quiet_client, alice, monkeypatch):
    quiet_client.force_login(alice)
    monkeypatch.setattr(
        f"{settings.SESSION_ENGINE}.SessionStore.load",
        _raise(OperationalError("connection refused")),
    )
    response = quiet_client.get(reverse("claims:investigation-list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Temporarily unavailable" in response.content.decode()
    assert "Content-Security-Policy" in response


def test_connection_lost_inside_a_view_is_a_503(quiet_client, alice, investigation, monkeypatch):
    quiet_client.force_login(alice)
    monkeypatch.setattr(
        "claims.views.investigation_page.get_investigation_for_user",
        _raise(InterfaceError("connection already closed")),
    )
    response = quiet_client.get(investigation.get_absolute_url())
    assert response.status_code == 503
    assert response["Retry-After"]


def test_other_errors_stay_a_plain_500(quiet_client, alice, investigation, monkeypatch):
    quiet_client.force_login(alice)
    monkeypatch.setattr(
        "claims.views.investigation_page.get_investigation_for_user", _raise(ValueError("bug"))
    )
    response = quiet_client.get(investigation.get_absolute_url())
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Something went wrong" in response.content.decode()


def test_health_probe_is_public_and_touches_no_database(client):
    # No `db` fixture: pytest-django makes any query in this test raise.
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "sessionid" not in response.cookies
    assert "Content-Security-Policy" in response


def test_health_probe_refuses_post(client):
    assert client.post(reverse("healthz")).status_code == 405
