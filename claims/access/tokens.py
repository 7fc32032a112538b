"""Personal API tokens: making one, finding the token a request presents, revoking it.

A token reads `fcw_<prefix>_<secret>`. The prefix (12 characters) is stored as it is, to find
the row in one indexed lookup and to let its owner recognise it in a list; the whole token is
stored only as its SHA-256. A plain hash suffices where a password needs a slow one: the
secret is 43 random URL-safe characters (256 bits), so there is nothing to guess at by brute
force, and the check costs one hash per request.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from claims.models import ApiToken

SCHEME = "fcw"
PREFIX_CHARS = 12
# last_used_at moves at most this often: one write a minute per token, not one per request.
LAST_USED_STEP = timedelta(minutes=1)
NAME_MAX_CHARS = 100


class TokenRefused(ValueError):
    """The token cannot be made as asked; the message says why, in one line."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    user, *, name: str, is_read_only: bool = False, with_second_factor: bool = False
) -> tuple[ApiToken, str]:
    """Make a token for `user` and return (row, the token itself). `with_second_factor`:
    made in a session that passed a second factor (see ApiToken.with_second_factor).

    The token is returned this once and never stored. Raises TokenRefused for an empty or
    overlong name, or a user who is not active.
    """
    name = name.strip()
    if not name:
        raise TokenRefused("Give the token a name, to recognise it later.")
    if len(name) > NAME_MAX_CHARS:
        raise TokenRefused(f"A token's name has at most {NAME_MAX_CHARS} characters.")
    if not user.is_active:
        raise TokenRefused(f"The account {user.get_username()!r} is not active.")
    # 9 random bytes give 12 URL-safe characters; a clash with an existing prefix is
    # astronomically rare, but the unique index would refuse it, so draw again.
    for _attempt in range(3):
        prefix = secrets.token_urlsafe(9)[:PREFIX_CHARS]
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    token = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        row = ApiToken.objects.create(
            user=user,
            name=name,
            is_read_only=is_read_only,
            with_second_factor=with_second_factor,
            prefix=prefix,
            secret_sha256=_digest(token),
        )
    return row, token


def _prefix_of(token: str) -> str | None:
    scheme, _, rest = token.partition("_")
    prefix = rest[:PREFIX_CHARS]
    if (
        scheme != SCHEME
        or len(prefix) != PREFIX_CHARS
        or rest[PREFIX_CHARS : PREFIX_CHARS + 1] != "_"
    ):
        return None
    return prefix


def find_token(token: str, *, now=None) -> ApiToken | None:
    """The live token row for the presented `token` (with its user), or None.

    None for anything malformed, unknown, revoked, or belonging to an inactive account. The
    comparison of digests takes the same time wherever they differ. Moves last_used_at when
    it is older than LAST_USED_STEP.
    """
    if len(token) > 200:
        return None
    prefix = _prefix_of(token)
    if prefix is None:
        return None
    row = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if row is None or not hmac.compare_digest(row.secret_sha256, _digest(token)):
        return None
    if row.revoked_at is not None or not row.user.is_active:
        return None
    now = now or timezone.now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_STEP:
        # A conditional UPDATE: of two requests in the same minute only one writes.
        stale = ApiToken.objects.filter(pk=row.pk).exclude(last_used_at__gt=now - LAST_USED_STEP)
        stale.update(last_used_at=now)
        row.last_used_at = now
    return row


def tokens_of(user):
    """The user's tokens, newest first, revoked ones included (they say so)."""
    return ApiToken.objects.filter(user=user)


def revoke_token(user, token_id: int) -> ApiToken | None:
    """Revoke `user`'s token with id `token_id`; None when they have no such token.

    Revoking twice keeps the first time. A token of someone else is "no such token".
    """
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
        if row is not None and row.revoked_at is None:
            row.revoked_at = timezone.now()
            row.save(update_fields=["revoked_at"])
    return row
