"""Deliver Django messages to htmx requests, whose partial responses have no message area."""

from django.contrib import messages
from django_htmx.http import trigger_client_event


class HtmxMessagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or 300 <= response.status_code < 400:
            return response
        # Iterating the storage marks the messages as shown, so they do not reappear later.
        pending = [
            {"text": str(message), "tags": message.tags}
            for message in messages.get_messages(request)
        ]
        if pending:
            trigger_client_event(response, "messages", {"value": pending})
        return response
