"""A second factor at log-in: a phone app's time-based codes (TOTP), with recovery codes.

Built on django-otp: a TOTPDevice holds the shared secret, a StaticDevice the ten recovery
codes, each usable once. A device counts only once confirmed with a code from the phone, so a
half-finished set-up never locks anyone out. django-otp refuses a TOTP code used before, so a
code seen over someone's shoulder cannot be replayed.

After the password, a session of a user with a confirmed device is "pending" until a code is
given (claims.middleware.SecondFactorPendingMiddleware lets it reach nothing else). An
investigation may require its members to have passed the second factor: the permission doors
refuse every page and API call of it otherwise (permissions._require).
"""

import secrets

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

PENDING = "second_factor_pending"
RECOVERY_CODES = 10
TOTP_NAME = "Phone app"
RECOVERY_NAME = "Recovery codes"


def has_second_factor(user):
    """Whether `user` has a confirmed phone app (recovery codes alone do not count)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def start_setup(user):
    """The unconfirmed device to set up (made once, kept until confirmed or replaced)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def setup_qr_svg(device):
    """The device's otpauth:// address as an SVG QR code, to embed in the page."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#111")


def secret_text(device):
    """The shared secret as a phone app accepts it typed in (base32, in groups of four)."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def confirm_setup(user, device, code):
    """Confirm `device` with a `code` from the phone; return the new recovery codes (shown
    once), or None when the code is wrong. Replaces any earlier phone app and codes."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code.strip()):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return new_recovery_codes(user)


def new_recovery_codes(user):
    """Replace the user's recovery codes with ten new ones; return them (shown once)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def disable(user):
    """Remove the user's phone app and recovery codes (for a lost phone, or by choice)."""
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=None):
            device.delete()


def verify(user, code):
    """The confirmed device `code` belongs to (a phone code or an unused recovery code,
    which it uses up), or None."""
    code = "".join(code.split()).lower()
    if not code:
        return None
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def begin_pending(request, user):
    """After the password: mark the session pending when the user has a second factor."""
    if has_second_factor(user):
        request.session[PENDING] = True


def complete(request, device):
    """The code was right: the session is verified and no longer pending."""
    otp_login(request, device)
    request.session.pop(PENDING, None)


def is_pending(request):
    return bool(request.session.get(PENDING))


def issuer():
    return settings.OTP_TOTP_ISSUER
