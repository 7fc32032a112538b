"""A second factor at log-in: a phone app's time-based codes (TOTP), with recovery codes.

Built on django-otp: a TOTPDevice holds the shared secret, a StaticDevice the ten recovery
codes, each usable once. A device counts only once confirmed with a code from the phone, so a
half-finished set-up never locks anyone out. django-otp refuses a TOTP code used before, so a
code seen over someone's shoulder cannot be replayed; verify() locks the device's row while it
checks, since that check reads and then writes the last code's time step, and two requests
with the same code at once would otherwise both pass.

Recovery codes are stored only as a digest (recovery_digest), like a password: a copy of the
database does not hand out log-ins. Using one is a single guarded DELETE whose row count
decides, so a code sent twice at once is accepted once.

After the password, a session of a user with a confirmed device is "pending" until a code is
given (claims.middleware.SecondFactorPendingMiddleware lets it reach nothing else). An
investigation may require its members to have passed the second factor: the permission doors
refuse every page and API call of it otherwise (permissions._require).

Replacing a factor, new recovery codes and turning it off take a session that passed it
(`verified`); turning it off also takes the password or a current code. Setting one up,
moving it and turning it off log out every other session of the user, so a session opened
before (perhaps by whoever prompted the change) does not outlive it. Each change is written
to this module's log, as account changes belong to no investigation's audit history.
"""

import hashlib
import logging
import secrets
from base64 import b32encode, urlsafe_b64encode
from importlib import import_module

import segno
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims.access import throttling

logger = logging.getLogger(__name__)

PENDING = "second_factor_pending"
SETUP_DEVICE = "second_factor_setup_device"  # the unconfirmed device this session was shown
RECOVERY_CODES = 10
RECOVERY_CODE_BYTES = 10  # 80 bits each
PHONE_CODE_DIGITS = 6  # django-otp's default, which set-up keeps
TOTP_NAME = "Phone app"
RECOVERY_NAME = "Recovery codes"
LOG_IN_FIRST = (
    "Log in with your second factor first: log out, and log in again with a code from your "
    "phone app or a recovery code."
)
WRONG_PROOF = "That is neither your password nor a current code from your phone app."
# StaticToken.token holds 16 characters: the digest is cut to 16 base64 characters (96 bits),
# more than the 80 bits of a code, so guessing codes stays cheaper than inverting a digest.
DIGEST_CHARS = 16
SESSION_BATCH = 500


class SecondFactorRefused(Exception):
    """A change to the second factor that this session may not make; the message says why."""


def has_second_factor(user):
    """Whether `user` has a confirmed phone app (recovery codes alone do not count)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def may_set_up(user, *, verified):
    """Whether a session may set up a phone app: always for a first one; to replace one,
    only a session that passed the factor (`verified`), not one opened before it existed."""
    return verified or not has_second_factor(user)


def _require_may_set_up(user, verified):
    if not may_set_up(user, verified=verified):
        raise SecondFactorRefused(LOG_IN_FIRST)


def start_setup(user, *, verified, device_id=None):
    """The unconfirmed device to set up: `device_id`'s, the one this session was shown (kept
    in the session under SETUP_DEVICE, so a reload shows the same key), or a new one.

    A new one replaces any other unconfirmed device of the user: its key was shown to another
    session, perhaps someone else's, and must not become the one the user confirms.
    Raises SecondFactorRefused when the user has a factor this session has not passed.
    """
    _require_may_set_up(user, verified)
    unconfirmed = TOTPDevice.objects.filter(user=user, confirmed=False)
    device = unconfirmed.filter(pk=device_id).first() if device_id is not None else None
    if device is not None:
        return device
    with transaction.atomic():
        unconfirmed.delete()
        return TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def setup_qr_svg(device):
    """The device's otpauth:// address as an SVG QR code, to embed in the page."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#111")


def secret_text(device):
    """The shared secret as a phone app accepts it typed in (base32, in groups of four)."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def confirm_setup(user, device, code, *, verified, keep_session_key=None):
    """Confirm `device` with a `code` from the phone; return the new recovery codes (shown
    once), or None when the code is wrong. Replaces any earlier phone app and codes, and logs
    out every session of the user but `keep_session_key`.

    Raises SecondFactorRefused when the user has a factor this session has not passed.
    """
    _require_may_set_up(user, verified)
    with transaction.atomic():
        # Locked and read again: of two confirmations at once, the second finds it confirmed.
        unconfirmed = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False)
        device = unconfirmed.filter(pk=device.pk).first()
        if device is None or not device.verify_token(code.strip()):
            return None
        moved = TOTPDevice.objects.filter(user=user, confirmed=True).delete()[0] > 0
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _replace_recovery_codes(user)
        ended = end_sessions(user, keep_session_key=keep_session_key)
    logger.info(
        "%s user=%s sessions_ended=%d",
        "second_factor.moved" if moved else "second_factor.on",
        user.get_username(),
        ended,
    )
    return codes


def normalise_code(code):
    """A code as typed or pasted, without spaces or dashes, in small letters."""
    return "".join(code.split()).replace("-", "").lower()


def recovery_digest(code):
    """What is stored of a recovery code: its SHA-256 (of the normalised code), cut to fit."""
    digest = hashlib.sha256(normalise_code(code).encode()).digest()
    return urlsafe_b64encode(digest).decode()[:DIGEST_CHARS]


def _recovery_code():
    """A new recovery code as shown: 20 hex digits in groups of four."""
    code = secrets.token_hex(RECOVERY_CODE_BYTES)
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def _replace_recovery_codes(user):
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=recovery_digest(code)) for code in codes
        )
    return codes


def new_recovery_codes(user, *, verified):
    """Replace the user's recovery codes with ten new ones; return them (shown once).

    Raises SecondFactorRefused unless the session passed the factor (`verified`): codes are
    as good as the phone, so a session that never gave one must not mint them.
    """
    if not verified:
        raise SecondFactorRefused(LOG_IN_FIRST)
    codes = _replace_recovery_codes(user)
    logger.info("second_factor.recovery_codes user=%s", user.get_username())
    return codes


def disable(user, *, keep_session_key=None, reason="user"):
    """Remove the user's phone app and recovery codes (for a lost phone, or by choice), and
    log out every session of the user but `keep_session_key`. Checks nothing: turn_off() is
    the door for the user; this one is for the administrator's reset command too."""
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=None):
            device.delete()
        ended = end_sessions(user, keep_session_key=keep_session_key)
    logger.warning(
        "second_factor.off user=%s reason=%s sessions_ended=%d",
        user.get_username(),
        reason,
        ended,
    )


def turn_off(user, proof, *, verified, address, keep_session_key=None):
    """Turn the user's second factor off, given in the same request `proof`: the password or a
    current code (a recovery code counts, and is used up).

    Wrong proofs are throttled like log-ins (per account and `address`). Raises
    SecondFactorRefused, changing nothing, when the session has not passed the factor, the
    proof is wrong, or too many wrong proofs were given lately.
    """
    if not verified:
        raise SecondFactorRefused(LOG_IN_FIRST)
    key = f"second-factor-off:{user.get_username()}"
    wait = throttling.begin_attempt(key, address)
    if wait:
        raise SecondFactorRefused(throttling.locked_message(wait))
    if not (user.check_password(proof) or verify(user, proof) is not None):
        wait = throttling.record_failure(key, address)
        raise SecondFactorRefused(throttling.locked_message(wait) if wait >= 60 else WRONG_PROOF)
    throttling.record_success(key, address)
    disable(user, keep_session_key=keep_session_key, reason="user")


def verify(user, code):
    """The confirmed device `code` belongs to (a phone code or an unused recovery code,
    which it uses up), or None."""
    code = normalise_code(code)
    if not code:
        return None
    if code.isdigit() and len(code) == PHONE_CODE_DIGITS:
        return _verify_phone_code(user, code)
    return _use_recovery_code(user, code)


def _verify_phone_code(user, code):
    # The row lock makes a second request with the same code wait, then see the step this
    # one used up (django-otp's last_t), and fail.
    with transaction.atomic():
        for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
    return None


def _use_recovery_code(user, code):
    with transaction.atomic():
        # Locked for its throttle counters, which are read and then written.
        device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None or not device.verify_is_allowed()[0]:
            return None
        # The deleted row count decides: of two uses at once, the second deletes nothing.
        used, _ = StaticToken.objects.filter(device=device, token=recovery_digest(code)).delete()
        if not used:
            device.throttle_increment(commit=True)
            return None
        device.throttle_reset(commit=False)
        device.set_last_used_timestamp(commit=False)
        device.save()
    return device


def end_sessions(user, *, keep_session_key=None):
    """Delete every unexpired session of `user` but `keep_session_key`; return how many.

    Sessions are stored signed and encoded, with no user column, so each is decoded to find
    its user: the cost grows with all sessions, paid only on these rare account changes.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = store.get_model_class().objects
    rows = sessions.filter(expire_date__gt=timezone.now()).exclude(session_key=keep_session_key)
    decoder, user_id = store(), str(user.pk)
    theirs = [
        key
        for key, data in rows.values_list("session_key", "session_data").iterator(
            chunk_size=SESSION_BATCH
        )
        if str(decoder.decode(data).get(SESSION_KEY)) == user_id
    ]
    for start in range(0, len(theirs), SESSION_BATCH):
        sessions.filter(session_key__in=theirs[start : start + SESSION_BATCH]).delete()
    return len(theirs)


def begin_pending(request, user):
    """After the password: mark the session pending when the user has a second factor."""
    if has_second_factor(user):
        request.session[PENDING] = True


def complete(request, device):
    """The code was right: the session is verified and no longer pending, under a new key
    (as Django's login() gives one), since it can now do more than its old key could."""
    otp_login(request, device)
    request.session.pop(PENDING, None)
    request.session.cycle_key()


def is_pending(request):
    return bool(request.session.get(PENDING))


def issuer():
    return settings.OTP_TOTP_ISSUER
