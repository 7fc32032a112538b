"""Deliver Django messages to htmx requests, whose partial responses have no message area;
let a form page answer a body too large to read with the form and a message; hold a session
at the second-factor step until it gives its code."""

import functools

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import trigger_client_event

from claims.access import second_factor

# Response headers with which htmx loads another page instead of swapping this response.
_NAVIGATING_HEADERS = ("HX-Refresh", "HX-Redirect", "HX-Location")


class HtmxMessagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or 300 <= response.status_code < 400:
            return response
        if any(header in response for header in _NAVIGATING_HEADERS):
            # htmx leaves the page for a new one: the messages wait for that page to show them.
            return response
        # Iterating the storage marks the messages as shown, so they do not reappear later.
        pending = [
            {"text": str(message), "tags": message.tags}
            for message in messages.get_messages(request)
        ]
        if pending:
            trigger_client_event(response, "messages", {"value": pending})
        return response


def answers_oversized_post(answer):
    """Mark a view whose POST body may exceed DATA_UPLOAD_MAX_MEMORY_SIZE in honest use.

    `answer(request, *args, **kwargs)` renders the page for such a post without reading its
    body (see OversizedPostMiddleware); it must write nothing.
    """

    def mark(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        wrapper.oversized_post_answer = answer
        return wrapper

    return mark


class OversizedPostMiddleware:
    """Answers a too-large POST to a marked view with the view's own page, not a bare 400.

    Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE the moment anything reads
    request.POST, and the CSRF middleware reads it before any view runs, so the user who
    pasted a long text got "Bad Request" and lost their way. This sits before the CSRF
    middleware and, for a signed-in user posting more than the limit to a view marked with
    answers_oversized_post, lets the view's answer render the form with a message instead.
    The body is never read, and the answer writes nothing, so skipping the CSRF check is
    safe: the response is what a GET of the form would show.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        answer = getattr(view_func, "oversized_post_answer", None)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if answer is None or limit is None or request.method != "POST":
            return None
        if not request.user.is_authenticated:
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if length <= limit:
            return None
        return answer(request, *view_args, **view_kwargs)


class SecondFactorPendingMiddleware:
    """A session that gave the right password, for a user with a second factor, but not yet
    the code, is sent to the code page from everywhere else (log-out and static files aside):
    until then it counts as logged in for nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and second_factor.is_pending(request):
            allowed = (
                reverse("second-factor-verify"),
                reverse("second-factor-cancel"),
                reverse("logout"),
                settings.STATIC_URL,
            )
            if not request.path.startswith(allowed):
                target = reverse("second-factor-verify")
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return redirect(target)
        return self.get_response(request)
