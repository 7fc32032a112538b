"""Who is asking: a personal token in `Authorization: Bearer <token>`, and nothing else.

The API reads no session cookie, so a browser signed in to the workbench is not signed in to
the API, and no cross-site form can act through it: CSRF protection is not needed because
nothing is authenticated implicitly. Tokens are made and checked in claims/access/tokens.py.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS, BasePermission

from claims.access import tokens
from claims.access.second_factor import has_second_factor


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        """(user, ApiToken) for a valid token; None when no token is sent (then 401)."""
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as `Authorization: Bearer <token>`."
            )
        try:
            presented = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.") from None
        token = tokens.find_token(presented)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is not valid, or was revoked.")
        user = token.user
        # Asked only by an investigation that requires a second factor (permissions.py): a
        # token made after passing one, whose owner still has one.
        user.is_verified = lambda: token.with_second_factor and has_second_factor(user)
        return user, token

    def authenticate_header(self, request):
        # Makes unauthenticated requests 401 (with this challenge) instead of 403.
        return 'Bearer realm="api"'


class WritesNeedReadWriteToken(BasePermission):
    """A read-only token may only read: any other method is refused with 403."""

    message = "This token is read-only."

    def has_permission(self, request, view):
        token = request.auth
        return request.method in SAFE_METHODS or not getattr(token, "is_read_only", True)


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Tells drf-spectacular how the schema should describe the token (a bearer scheme)."""

    target_class = BearerTokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A personal API token."}
