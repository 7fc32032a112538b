"""Project-level views: a liveness probe and the page shown when the server fails."""

import sys

from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.cache import never_cache
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
