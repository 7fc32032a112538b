from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import throttling
from claims.models import LoginThrottle

PASSWORD = "pw-for-tests-123"


@pytest.fixture
def clock(monkeypatch):
    """The throttle's notion of now, moved by tests instead of waiting."""

    class Clock:
        now = timezone.now()

        def advance(self, **delta):
            self.now += timedelta(**delta)

    clock = Clock()
    monkeypatch.setattr(throttling, "_now", lambda: clock.now)
    return clock


def _login(client, username, password, address="198.51.100.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _logged_in(response):
    return response.status_code == 302


def test_failures_for_one_account_slow_it_down_then_lock_it(client, alice, clock):
    for attempt in range(6):
        clock.advance(seconds=61)  # past each short wait
        # A fresh address each time: only the account's count can be at work here.
        response = _login(client, "alice", "wrong", address=f"203.0.113.{attempt}")
    assert "Too many failed attempts; try again in 15 minutes." in response.content.decode()
    clock.advance(seconds=61)
    response = _login(client, "alice", PASSWORD, address="203.0.113.99")
    assert not _logged_in(response)
    assert "Too many failed attempts; try again in 14 minutes." in response.content.decode()
    clock.advance(minutes=14)
    assert _logged_in(_login(client, "alice", PASSWORD, address="203.0.113.99"))


def test_a_few_failures_make_the_next_attempt_wait_seconds(client, alice, clock):
    for _ in range(3):
        _login(client, "alice", "wrong")
    response = _login(client, "alice", PASSWORD)
    assert not _logged_in(response)
    assert "Too many failed attempts; try again in 2 seconds." in response.content.decode()
    clock.advance(seconds=3)
    assert _logged_in(_login(client, "alice", PASSWORD))


def test_success_resets_the_account_count(client, alice, clock):
    for _ in range(2):
        _login(client, "alice", "wrong", address="203.0.113.1")
    assert _logged_in(_login(client, "alice", PASSWORD, address="203.0.113.2"))
    client.logout()
    for _ in range(2):
        _login(client, "alice", "wrong", address="203.0.113.3")
    # Four failures in all, but only two since the success: no wait yet.
    assert _logged_in(_login(client, "alice", PASSWORD, address="203.0.113.4"))


def test_failures_from_one_address_lock_that_address(client, alice, clock):
    for attempt in range(30):
        # A different (unknown) account each time: only the address's count grows.
        response = _login(client, f"guess-{attempt}", "wrong", address="192.0.2.66")
        clock.advance(seconds=61)
    assert "Too many failed attempts" in response.content.decode()
    assert not _logged_in(_login(client, "alice", PASSWORD, address="192.0.2.66"))
    assert _logged_in(_login(client, "alice", PASSWORD, address="192.0.2.67"))


def test_usernames_are_not_stored_in_clear(client, alice, clock):
    _login(client, "alice-typed-her-password-here", "wrong")
    keys = list(LoginThrottle.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert all("alice" not in key and len(key) == 64 for key in keys)


def test_old_failures_are_forgotten(client, alice, clock):
    for _ in range(2):
        _login(client, "alice", "wrong")
    clock.advance(minutes=16)
    _login(client, "alice", "wrong")
    # Only one failure counts now, so no wait before the right password.
    assert _logged_in(_login(client, "alice", PASSWORD))


def test_a_trusted_proxy_header_names_the_address(client, alice, clock, settings):
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    for attempt in range(30):
        clock.advance(seconds=61)
        client.post(
            reverse("login"),
            {"username": f"guess-{attempt}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_REAL_IP="192.0.2.66",
        )
    behind_same_proxy = client.post(
        reverse("login"),
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_REAL_IP="192.0.2.99",
    )
    assert _logged_in(behind_same_proxy)
