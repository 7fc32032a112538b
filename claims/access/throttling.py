"""Slow down and then lock out repeated failed log-ins, per account and per client address.

After a few failures each further one makes the account (or address) wait a little longer
before the next attempt is even checked, and past a limit it is locked for a while. Refusing
an attempt costs nothing, unlike sleeping inside the request, which would hold a server
worker for every guess. The counts live in the database (LoginThrottle) so that all server
processes share them; Django's default cache is per process and would let each gunicorn
worker grant its own five tries.

An address limit is looser than an account limit: one office or phone network may put many
honest users behind one address.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims.models import LoginThrottle


@dataclass(frozen=True)
class Policy:
    kind: str
    slow_after: int  # failures before each further one costs a wait
    lock_after: int  # failures that lock for `lock_for`
    window: timedelta  # a count is forgotten after this long without a failure
    lock_for: timedelta
    longest_wait: timedelta = timedelta(minutes=1)

    def wait_after(self, failures):
        """How long to refuse attempts after the `failures`-th failure in the window."""
        if failures >= self.lock_after:
            return self.lock_for
        if failures < self.slow_after:
            return timedelta(0)
        seconds = 2 ** (failures - self.slow_after + 1)
        return min(timedelta(seconds=seconds), self.longest_wait)


ACCOUNT = Policy(
    "account",
    slow_after=3,
    lock_after=6,
    window=timedelta(minutes=15),
    lock_for=timedelta(minutes=15),
)
ADDRESS = Policy(
    "address",
    slow_after=10,
    lock_after=30,
    window=timedelta(minutes=15),
    lock_for=timedelta(minutes=15),
)


def client_address(meta):
    """The client's address from a request's META.

    REMOTE_ADDR unless settings.CLIENT_ADDRESS_HEADER names the header a trusted reverse
    proxy sets (e.g. HTTP_X_REAL_IP); behind a proxy REMOTE_ADDR is the proxy itself, and one
    address for everybody would lock everybody out together.
    """
    header = settings.CLIENT_ADDRESS_HEADER
    if header and meta.get(header):
        return meta[header]
    return meta.get("REMOTE_ADDR", "")


def _key(policy, value):
    return hashlib.sha256(f"{policy.kind}:{value}".encode()).hexdigest()


def _keys(username, address):
    keys = [(ACCOUNT, _key(ACCOUNT, username.strip().casefold()))]
    if address:
        keys.append((ADDRESS, _key(ADDRESS, address)))
    return keys


def _now():
    return timezone.now()


def seconds_locked(username, address):
    """Seconds until the account and the address may both try again (0: they may now)."""
    return _seconds_locked(username, address, _now())


def _seconds_locked(username, address, now):
    keys = [key for _, key in _keys(username, address)]
    until = (
        LoginThrottle.objects.filter(key__in=keys, locked_until__gt=now)
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )
    return math.ceil((until - now).total_seconds()) if until else 0


def begin_attempt(username, address):
    """Count a log-in attempt before its password is checked; return the seconds it must
    wait instead (0: check the password).

    The attempt is counted as a failure in advance, in the transaction that checks the lock,
    with the account's and the address's rows locked (select_for_update on PostgreSQL; on
    SQLite the transaction begins IMMEDIATE and so runs alone). Of any number of simultaneous
    attempts, each sees the count the previous ones raised: once a wait begins the rest are
    refused, so no more than the policy allows before its first wait ever reach the password
    check. Checking first and counting after the check let all of them through. A success
    takes its count back (record_success); a refused attempt counts nothing.
    """
    now = _now()
    keys = sorted(_keys(username, address), key=lambda pair: pair[1])  # one lock order for all
    with transaction.atomic():
        # Rows for first attempts, so that there is a row to lock. ON CONFLICT DO NOTHING: a
        # row another attempt is inserting right now is waited for, not duplicated.
        LoginThrottle.objects.bulk_create(
            [LoginThrottle(key=key, last_failure_at=now) for _, key in keys],
            ignore_conflicts=True,
        )
        locked = LoginThrottle.objects.select_for_update().filter(key__in=[key for _, key in keys])
        rows = {row.key: row for row in locked.order_by("key")}
        until = max((row.locked_until for row in rows.values() if row.locked_until), default=None)
        if until is not None and until > now:
            return math.ceil((until - now).total_seconds())
        for policy, key in keys:
            row = rows[key]
            if row.last_failure_at < now - policy.window:
                row.failures = 0
            row.failures += 1
            row.last_failure_at = now
            wait = policy.wait_after(row.failures)
            row.locked_until = now + wait if wait else None
            row.save(update_fields=["failures", "last_failure_at", "locked_until"])
    return 0


def record_failure(username, address):
    """The attempt begin_attempt() counted failed: return the seconds now locked.

    Also forgets counts that have been quiet for longer than their window.
    """
    now = _now()
    LoginThrottle.objects.filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now),
        last_failure_at__lt=now - max(ACCOUNT.window, ADDRESS.window),
    ).delete()
    return _seconds_locked(username, address, now)


def record_success(username, address=""):
    """Forget the account's failures, and take back the address's count of this attempt.

    The address keeps the failures it had: resetting it would let someone with one valid
    account clear their address's count between guesses at other accounts.
    """
    LoginThrottle.objects.filter(key=_key(ACCOUNT, username.strip().casefold())).delete()
    if not address:
        return
    with transaction.atomic():
        row = LoginThrottle.objects.select_for_update().filter(key=_key(ADDRESS, address)).first()
        if row is None or row.failures == 0:
            return
        row.failures -= 1
        wait = ADDRESS.wait_after(row.failures)
        row.locked_until = row.last_failure_at + wait if wait else None
        row.save(update_fields=["failures", "locked_until"])


def locked_message(seconds, what="failed attempts"):
    """ "Too many <what>; try again in N minutes/seconds." for a form error."""
    if seconds >= 60:
        minutes = math.ceil(seconds / 60)
        return f"Too many {what}; try again in {minutes} minute{'s' if minutes != 1 else ''}."
    return f"Too many {what}; try again in {seconds} second{'s' if seconds != 1 else ''}."
