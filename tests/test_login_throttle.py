from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.access import throttling
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


@pytest.mark.django_db(transaction=True)
def test_simultaneous_wrong_passwords_reach_the_password_check_at_most_the_limit(
    alice, monkeypatch
):
    """Attempts at once, each from its own address: at most the account's limit of them may
    have their password checked.

    Each attempt that reaches the check waits there until every other one has either
    reached it too or been refused, so that all are in flight together: without counting
    attempts atomically, every one of them would pass the lock check before any failure was
    recorded.
    """
    import threading

    from django.contrib.auth import forms as auth_forms
    from django.db import connection, connections
    from django.test import Client

    # Each attempt holds a connection while it waits at the check: on PostgreSQL no more
    # attempts than its pool has connections (8), still more than the limit (6).
    pool = connection.settings_dict["OPTIONS"].get("pool")
    attempts = min(25, pool["max_size"]) if isinstance(pool, dict) else 25
    assert attempts > throttling.ACCOUNT.lock_after
    connections.close_all()  # this thread's connection back to the pool
    state = {"checked": 0, "refused": 0, "errors": []}
    lock = threading.Lock()
    all_in_flight = threading.Event()
    here = threading.local()
    real_authenticate = auth_forms.authenticate

    def count(key):
        with lock:
            state[key] += 1
            if state["checked"] + state["refused"] == attempts:
                all_in_flight.set()

    def checking_authenticate(request=None, **credentials):
        here.checked = True
        count("checked")
        all_in_flight.wait(timeout=60)  # a bound in case of a bug, not a timing
        return real_authenticate(request, **credentials)

    monkeypatch.setattr(auth_forms, "authenticate", checking_authenticate)
    start = threading.Barrier(attempts)

    def attempt(number):
        here.checked = False
        try:
            start.wait()
            _login(Client(), "alice", "wrong", address=f"198.51.100.{number}")
        except Exception as error:  # "database is locked" and the like: a failure too
            state["errors"].append(error)
        finally:
            if not here.checked:
                count("refused")
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert state["errors"] == []
    assert 1 <= state["checked"] <= throttling.ACCOUNT.lock_after
    row = LoginThrottle.objects.get(key=throttling._key(throttling.ACCOUNT, "alice"))
    assert row.failures == state["checked"]


def test_an_attempt_without_a_password_does_not_clear_the_count(client, alice, clock):
    for _ in range(3):
        clock.advance(seconds=61)
        _login(client, "alice", "wrong")
    clock.advance(seconds=61)
    _login(client, "alice", "")  # checks no password: no success either
    for _ in range(3):
        clock.advance(seconds=61)
        response = _login(client, "alice", "wrong")
    assert "Too many failed attempts; try again in 15 minutes." in response.content.decode()


def test_a_success_does_not_count_against_the_address(client, alice, clock):
    for _ in range(12):
        clock.advance(seconds=61)
        assert _logged_in(_login(client, "alice", PASSWORD, address="192.0.2.10"))
        client.logout()
    assert not LoginThrottle.objects.filter(failures__gt=0).exists()
