"""Project-level views: a liveness probe, the site icon and the page shown when the server fails."""

import sys
from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

# Seconds a client should wait before retrying while the database is unreachable. A restart
# of PostgreSQL takes a second or two and the connection pool reconnects within a few more.
DATABASE_RETRY_AFTER = 5


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Answer "ok" without touching the database or the session.

    It is the liveness probe for a process supervisor, and the benchmarks' "bare view": the
    cost of Django and its middleware alone, so page timings can be read against it.
    """
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@cache
def _favicon_bytes():
    return (settings.BASE_DIR / "static" / "favicon.ico").read_bytes()


@login_not_required
@cache_control(public=True, max_age=86400)
@require_GET
def favicon(request):
    """The site icon at the address every browser asks for by itself.

    Pages name static/favicon.svg, but a browser still fetches /favicon.ico for documents
    that name no icon (downloads opened in a tab, the plain error pages) and some browsers
    always do: without this, each of those fetches is a 404 in the console and the log.
    """
    return HttpResponse(_favicon_bytes(), content_type="image/x-icon")


def server_error(request):
    """handler500: a plain 503 with Retry-After when the database is unreachable, else a 500.

    Django calls this inside its exception handling for any uncaught error, including one
    raised by middleware before a view runs (loading the session, for instance), so one place
    covers every path. Neither page queries the database or needs a request context: both
    must render while the database is down.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        body = loader.render_to_string("503.html")
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))
