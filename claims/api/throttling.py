"""A request budget per token (API_THROTTLE_RATE), so one script cannot starve the others."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_rate(self):
        # Read per request, not at import as DRF's scoped rates are: tests and deployments
        # change it through settings.
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        token = request.auth
        if token is None:
            return None  # unauthenticated requests are refused before any work is done
        return f"api-throttle-token-{token.pk}"
