"""Rendered pages reused until the database next changes.

A desk reloads the claim list, the investigation page and its claims all day, and htmx
refreshes them after every change; between two changes each load rebuilds the same HTML from
the same rows. A page is kept here per user, URL and role, under the database's data version
(data_version.py), read with the session (sessions.py) or in one cheap query: a counter that
triggers move on every write to a table a page can show, whoever makes it and however (the
workbench, the admin, a worker, a shell, SQL typed into the database). A page rendered while
another transaction's write to those tables is uncommitted is sent but not kept
(data_version.for_keeping()). No write can leave a kept page stale, audited or not.

What is never kept: a page with messages waiting (they show once), and the CSRF token,
rendered as a placeholder and put in for each response. Kept pages live in Django's default
cache (files every server process shares, see CACHE_DIR in the settings) for
PAGE_CACHE_SECONDS at most.
"""

import functools
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render as render_page
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac

from claims.listing import data_version


@functools.cache
def _csrf_placeholder():
    """Rendered where the CSRF token goes and replaced by the request's own token on the way
    out. Hex, so that escaping leaves it as it is. Derived from the secret key: every process
    sharing the cache writes the same one (a page kept by one worker is served by another),
    and no text a user stored can hold it without knowing the key."""
    return (
        "csrf-placeholder-"
        + salted_hmac(__name__, "csrf-placeholder", algorithm="sha256").hexdigest()[:32]
    )


def _has_messages(request):
    # len() loads the waiting messages without marking them shown.
    return len(messages.get_messages(request)) > 0


@dataclass(frozen=True)
class Ticket:
    """The data version read before the page's rows, and whether a page may be kept under it."""

    version: str
    keep: bool


def ticket(request):
    """Read the data version now, before the view loads anything the page shows; None when
    this response is not to be kept (the cache is off, or messages are waiting).

    Views call this first: a row loaded before the version was read (the investigation, the
    membership) could predate a write the version already counts, and the page would be kept
    under that version with the older row in it.
    """
    if not settings.PAGE_CACHE_SECONDS or _has_messages(request):
        return None
    return Ticket(*(_read_with_session(request) or data_version.for_keeping()))


def _read_with_session(request):
    """The version read with this request's session (sessions.py), when it may stand for one
    read now: on a GET or HEAD. Between loading the session and calling ticket() first thing
    in the view, such a request has written nothing, so the earlier read counts every write
    the page's rows can show."""
    if request.method not in ("GET", "HEAD"):
        return None
    return getattr(request.session, "loaded_version", None)


def render(request, taken, template, make_context, *, vary_on=(), draw=None):
    """The response of `template` rendered with `make_context()`, reused while nothing changed.

    `taken`: what ticket() returned at the start of the view. `vary_on`: whatever else the
    page depends on beyond the user, the URL (query string included), the template and the
    data version (the member's role, say). `draw(context)`, when given, makes the HTML
    instead of rendering `template` (which then only names the page in the cache key); it
    must write the context's `csrf_token`, which is a placeholder when the page is kept.
    """
    if taken is None:
        if draw is None:
            return render_page(request, template, make_context())
        return HttpResponse(draw({**make_context(), "csrf_token": get_token(request)}))
    parts = [request.user.pk, template, request.get_full_path(), *vary_on, taken.version]
    key = "page:" + hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        context = {**make_context(), "csrf_token": _csrf_placeholder()}
        html = render_to_string(template, context, request) if draw is None else draw(context)
        if taken.keep:  # no other write was in flight when the version was read
            cache.set(key, html, settings.PAGE_CACHE_SECONDS)
    return HttpResponse(html.replace(_csrf_placeholder(), get_token(request)))
