"""Rendered pages reused until the database next changes.

A desk reloads the claim list and the investigation page all day, and htmx refreshes the list
after every change; between two changes each load rebuilds the same HTML from the same rows.
A page is kept here per user, URL and role, under a version of the database's state read in
one cheap query:

- the latest audit event (every change the workbench makes writes one, the admin's too);
- on PostgreSQL, the transaction snapshot: it moves whenever any write transaction starts or
  ends, so a change committed out of order, or typed into psql, is never missed;
- the user's last reading of their mentions, which the top bar's badge counts.

What is never kept: a page with messages waiting (they show once), and the CSRF token,
rendered as a placeholder and put in for each response. Each process keeps its own copies
(Django's local-memory cache unless CACHES says otherwise), for PAGE_CACHE_SECONDS at most,
which bounds how long a change that bypasses the audit trail on SQLite can go unseen.
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render as render_page
from django.template.loader import render_to_string

from claims.models import AuditEvent, Membership

# Rendered where the CSRF token goes and replaced by the request's own token on the way out.
# Hex, so that escaping leaves it as it is; random per process, so no stored text can hold it.
_CSRF_PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(16)}"


# Identifiers come from the models (see database_version); the user's id is a parameter.
_VERSION_SQL = """
SELECT (SELECT id FROM {events} ORDER BY id DESC LIMIT 1),
       (SELECT created_at FROM {events} ORDER BY id DESC LIMIT 1),
       (SELECT MAX(mentions_read_at) FROM {memberships} WHERE user_id = %s)
       {snapshot}
"""


def database_version(user):
    """A tuple that changes whenever something `user`'s pages show may have changed."""
    sql = _VERSION_SQL.format(
        events=AuditEvent._meta.db_table,
        memberships=Membership._meta.db_table,
        snapshot=", pg_current_snapshot()::text" if connection.vendor == "postgresql" else "",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk])
        return tuple(str(value) for value in cursor.fetchone())


def _has_messages(request):
    # len() loads the waiting messages without marking them shown.
    return len(messages.get_messages(request)) > 0


def render(request, template, make_context, *, vary_on=()):
    """The response of `template` rendered with `make_context()`, reused while nothing changed.

    `vary_on`: whatever else the page depends on beyond the user, the URL (query string
    included), the template and the database version (the member's role, say).
    """
    timeout = settings.PAGE_CACHE_SECONDS
    if not timeout or _has_messages(request):
        return render_page(request, template, make_context())
    parts = [request.user.pk, template, request.get_full_path(), *vary_on]
    parts += database_version(request.user)
    key = "page:" + hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        context = {**make_context(), "csrf_token": _CSRF_PLACEHOLDER}
        html = render_to_string(template, context, request)
        cache.set(key, html, timeout)
    return HttpResponse(html.replace(_CSRF_PLACEHOLDER, get_token(request)))
