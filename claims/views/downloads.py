"""Stored files served back to members: uploaded originals and archived pages.

Their bytes come from outside (an uploader, a fetched page) and may be HTML or script. Served
from the workbench's origin and rendered, they would run with a member's session. So they
leave only as attachments, with the type as declared (no sniffing), and under the app's
policy plus `sandbox`: should a browser render one anyway, it runs as an opaque origin with
no scripts, forms or same-origin access.
"""

from django.conf import settings
from django.http import FileResponse
from django.utils.csp import CSP, build_policy


def attachment(stored, *, filename, content_type):
    """A FileResponse of the FieldFile `stored` that browsers save instead of showing."""
    response = FileResponse(
        stored.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Set here, the header is left alone by ContentSecurityPolicyMiddleware.
    response[CSP.HEADER_ENFORCE] = build_policy({**settings.SECURE_CSP, "sandbox": True})
    return response
