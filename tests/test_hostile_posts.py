"""Every URL of the app, posted values no form offers: never a server error.

The owner posts (the role that reaches furthest into each view) every field name any form of
the app knows, filled with one kind of hostile value at a time: NUL bytes, numbers too large
for any column, negative and non-ASCII digits, markup, a list where one value is expected.
Each answer must be a page, a redirect, or a 4xx; a 500 is a view trusting its input.
"""

import inspect

import pytest
from django import forms as django_forms
from django.test import Client

from claims import forms as app_forms
from tests.test_permissions_matrix import EXPECTATIONS, _url, world  # noqa: F401 - fixture

HOSTILE_VALUES = {
    "nul": "a\x00b",
    "huge_number": "9" * 40,
    "negative": "-1",
    "superscript_digit": "²",
    "markup": "<script>alert(1)</script>\"'",
    "long_text": "x" * 20_000,
}


def _field_names():
    """Every field name a form of the app declares, and the hidden ones views read."""
    names = {"version", "next", "panel", "claim", "confirm", "slug"}
    for _, form_class in inspect.getmembers(app_forms, inspect.isclass):
        if issubclass(form_class, django_forms.BaseForm) and form_class.__module__ == (
            app_forms.__name__
        ):
            names.update(form_class.base_fields)
    return sorted(names)


FIELD_NAMES = _field_names()


def test_the_sweep_covers_the_apps_forms():
    # A guard on the sweep itself: it must post the fields real forms have.
    assert {"statement", "rating", "rationale", "body", "url", "stance"} <= set(FIELD_NAMES)


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_no_hostile_post_makes_a_server_error(world, name):  # noqa: F811 - the fixture
    users, _, objects = world
    _, target, _ = EXPECTATIONS[name]
    client = Client(raise_request_exception=True)
    client.force_login(users["owner"])
    url = _url(name, target, objects)
    for kind, value in HOSTILE_VALUES.items():
        response = client.post(url, {field: value for field in FIELD_NAMES})
        assert response.status_code < 500, f"{name} with {kind} values: {response.status_code}"
    # The same through htmx, which many views answer with a partial of their own.
    data = {field: HOSTILE_VALUES["nul"] for field in FIELD_NAMES}
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code < 500, f"{name} with NUL values through htmx"
    # Two values where the form expects one.
    response = client.post(url, {field: ["1", "2"] for field in FIELD_NAMES})
    assert response.status_code < 500, f"{name} with repeated values"
