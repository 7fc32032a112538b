"""The same code sent twice at the same moment (PostgreSQL, two real connections) logs in
once: the second request waits for the first's row lock and then sees the code used."""

import threading
import time

import pytest
from django.db import connection
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims.access import second_factor
from tests.test_second_factor import code_for, set_up
from tests.test_sign_off_races import in_thread

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]


def hold_first_call(monkeypatch, model, method):
    """Make the first call of `model.method` wait until released; return (reached, release)."""
    reached, release = threading.Event(), threading.Event()
    original = getattr(model, method)

    def held(self, *args, **kwargs):
        if not reached.is_set():
            reached.set()
            assert release.wait(10)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(model, method, held)
    return reached, release


def wait_until_waiting_for_a_lock_or_done(thread):
    """Until `thread` waits for a row lock (the fix at work) or has finished (no lock held it)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if not thread.is_alive():
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.02)
    pytest.fail("the second request neither waited nor finished")


def twice_at_once(monkeypatch, bob, code, model, method):
    """verify(bob, code) in two threads, the first held inside `model.method`; the results."""
    reached, release = hold_first_call(monkeypatch, model, method)
    results, errors = [], []

    def attempt():
        results.append(second_factor.verify(bob, code) is not None)

    first = in_thread(attempt, errors)
    assert reached.wait(10)
    second = in_thread(attempt, errors)
    wait_until_waiting_for_a_lock_or_done(second)
    release.set()
    first.join(10)
    second.join(10)
    assert not errors, errors
    return sorted(results)


def test_the_same_phone_code_twice_at_once_passes_once(bob, monkeypatch, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device, _codes = set_up(bob)
    code = code_for(device, step_offset=1)  # set-up used the current one
    assert twice_at_once(monkeypatch, bob, code, TOTPDevice, "verify_token") == [False, True]


def test_the_same_recovery_code_twice_at_once_passes_once(bob, monkeypatch, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    _device, codes = set_up(bob)
    # Held after the first request deleted the code, before it commits: the second must wait,
    # then find nothing left to delete.
    results = twice_at_once(monkeypatch, bob, codes[0], StaticDevice, "throttle_reset")
    assert results == [False, True]
