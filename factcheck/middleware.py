"""Project-wide response headers that Django has no setting for."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Send a Permissions-Policy header that switches off browser features we never use.

    Testimony pages must not be able to reach the camera, microphone or location even if a
    script slipped past the Content Security Policy. The policy is a dict in settings
    (`PERMISSIONS_POLICY`), each feature mapped to a list of allowed origins; an empty list
    means "nobody", written `()`.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
