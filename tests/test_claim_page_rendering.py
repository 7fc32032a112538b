"""How the claim page is drawn: Jinja2's environment (factcheck/jinja2.py), one template per
panel, the includes Django pages share ({% jinja_include %}), blank forms drawn once, and
the page cache's CSRF placeholder through the page's own drawing."""

import re
from datetime import UTC, datetime

import pytest
from django import forms
from django.conf import settings
from django.db import connection
from django.template import Context, Template, defaultfilters, engines
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.access.permissions import get_claim_for_user
from claims.forms import (
    CaptureForm,
    ClaimEditForm,
    CommentForm,
    EvidenceForm,
    FileEvidenceForm,
    PriorityForm,
    VerdictForm,
)
from claims.views import claim_page
from tests.clients import HTMX

jinja = engines["jinja2"]


def draw(source, **values):
    return jinja.from_string(source).render(values)


def test_dates_are_shown_in_the_current_time_zone_as_django_shows_them():
    moment = datetime(2022, 1, 5, 22, 30, tzinfo=UTC)
    with timezone.override("Asia/Tokyo"):  # UTC+9, no summer time
        assert draw('{{ when|date("j M Y, H:i") }}', when=moment) == "6 Jan 2022, 07:30"
    assert draw('{{ when|date("j M Y, H:i") }}', when=moment) == "5 Jan 2022, 22:30"
    assert draw('{{ when|date("j M Y") }}', when=None) == ""


@pytest.mark.parametrize(
    ("source", "value", "django"),
    [
        ("{{ v|truncatechars(10) }}", "An unusually long statement", "An unusua…"),
        ("{{ v|pluralize }}", 2, "s"),
        ("{{ v|pluralize }}", 1, ""),
        ("{{ v|filesizeformat }}", 123456, defaultfilters.filesizeformat(123456)),
        ("{{ v|stringformat('g') }}", 20000.0, "20000"),
    ],
)
def test_filters_give_what_djangos_give(source, value, django):
    assert draw(source, v=value) == django


def test_markup_in_values_is_escaped_and_line_breaks_kept():
    hostile = '<script>alert("x")</script>\nsecond line'
    out = draw("<p title='{{ v }}'>{{ v|linebreaksbr }}</p>", v=hostile)
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert "<br>second line" in out
    assert '"x"' not in out


def test_a_django_page_draws_a_shared_include_escaped():
    form = forms.Form(data={})
    form.is_valid()
    form.add_error(None, "<b>Not this</b>")
    template = Template('{% jinja_include "claims/includes/form_errors.html" form=form %}')
    out = template.render(Context({"form": form}))
    assert "&lt;b&gt;Not this&lt;/b&gt;" in out
    assert 'class="error-summary"' in out


@pytest.mark.parametrize("form_class", [EvidenceForm, CaptureForm, FileEvidenceForm, CommentForm])
def test_a_blank_form_drawn_once_is_the_form_drawn_afresh(form_class):
    fresh_template = jinja.env.get_template("claims/includes/field.html")
    for name in form_class.base_fields:
        kept = draw("{{ field(form, name) }}", form=form_class(), name=name)
        again = draw("{{ field(form, name) }}", form=form_class(), name=name)
        fresh = fresh_template.render(field=form_class()[name])
        assert kept == again == fresh
        assert f'id="{form_class()[name].auto_id}"' in kept


@pytest.mark.parametrize("form_class", [PriorityForm, ClaimEditForm, VerdictForm])
def test_a_field_drawn_once_per_value_is_the_field_drawn_afresh(form_class):
    fresh_template = jinja.env.get_template("claims/includes/field.html")
    assert form_class.drawn_by_value
    for name in form_class.drawn_by_value:
        drawn = set()
        for value, _label in [(None, ""), *form_class.base_fields[name].choices]:
            for prefix in [None, "other"]:
                form = form_class(initial={name: value}, prefix=prefix)
                kept = draw("{{ field(form, name) }}", form=form, name=name)
                again = draw(
                    "{{ field(form, name) }}",
                    form=form_class(initial={name: value}, prefix=prefix),
                    name=name,
                )
                assert kept == again == fresh_template.render(field=form[name]), (name, value)
                drawn.add(kept)
        # Each chosen value and prefix has markup of its own: none was served another's.
        chosen = [value for value, _label in form_class.base_fields[name].choices if value != ""]
        assert len(drawn) >= 2 * len(chosen)


def test_a_field_drawn_by_value_is_drawn_afresh_once_posted():
    posted = PriorityForm(data={"priority": "not a priority", "seen": "1"})
    assert not posted.is_valid()
    assert "field-error" in draw('{{ field(form, "priority") }}', form=posted)


def test_a_filled_in_form_is_drawn_with_what_was_typed_and_its_errors():
    form = CommentForm(data={"body": ""})
    assert not form.is_valid()
    assert "field-error" in draw('{{ field(form, "body") }}', form=form)
    typed = CommentForm(data={"body": "Typed <here>"})
    assert "Typed &lt;here&gt;" in draw('{{ field(form, "body") }}', form=typed)


PANELS = sorted(
    path.stem
    for path in (settings.BASE_DIR / "templates/jinja2/claims/claim_page").glob("*.html")
    if path.stem not in {"body", "evidence-item", "evidence-file", "adjust"}
)


def test_every_panel_draws_alone_with_its_own_element(claim, alice):
    request = RequestFactory().get(claim.get_absolute_url())
    request.user = alice
    loaded, membership = get_claim_for_user(alice, claim.pk)
    assert len(PANELS) == 9
    for panel in PANELS:
        context = claim_page.claim_page_context(alice, loaded, membership)
        html = claim_page.draw_claim_page(request, context, panel)
        assert f'id="{panel}"' in html, panel
        assert "<html" not in html
    page = claim_page.draw_claim_page(
        request, claim_page.claim_page_context(alice, loaded, membership)
    )
    for panel in PANELS:
        assert page.count(f'id="{panel}"') == 1, panel


def _tokens(body):
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body))


@pytest.mark.parametrize("panel", ["", "status-panel"])
def test_a_kept_claim_page_carries_each_readers_own_working_token(claim, bob, rita, panel):
    url = claim.get_absolute_url() + (f"?panel={panel}" if panel else "")
    headers = HTMX if panel else {}
    first = Client(enforce_csrf_checks=True)
    first.force_login(bob)
    first.get(url, **headers)
    with CaptureQueriesContext(connection) as captured:
        kept = first.get(url, **headers).content.decode()
    assert len(captured) <= 4  # session, user, claim with membership, version: no more
    other = Client(enforce_csrf_checks=True)
    other.force_login(rita)
    theirs = other.get(url, **headers).content.decode()
    assert "csrf-placeholder" not in kept + theirs
    [token] = _tokens(kept)
    [their_token] = _tokens(theirs)
    assert token != their_token
    # The kept page's token is the reader's own: a comment posted with it is accepted.
    response = first.post(
        reverse("claims:comment-add", args=[claim.pk]),
        {"csrfmiddlewaretoken": token, "body": "Posted from a kept page."},
    )
    assert response.status_code == 302
    assert claim.comments.filter(body="Posted from a kept page.").exists()
