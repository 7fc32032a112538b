"""Test clients for htmx: the header htmx sends, and a client that sends it every time."""

from django.test import Client

# As Client.get(..., **HTMX): htmx marks each of its requests with this header.
HTMX = {"HTTP_HX_REQUEST": "true"}


class HtmxClient(Client):
    """A test client whose every request comes from htmx, as a swap on a page would."""

    def __init__(self, **kwargs):
        super().__init__(headers={"HX-Request": "true", **kwargs.pop("headers", {})}, **kwargs)
