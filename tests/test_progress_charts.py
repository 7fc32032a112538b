"""The investigation page's charts: claims by status over time, and verdicts by rating."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import charts
from claims.listing import progress
from claims.models import Membership
from claims.review import workflow
from claims.sources import marking
from tests.clients import HTMX
from tests.factories import make_source

pytestmark = pytest.mark.django_db


@contextmanager
def days_ago(days, monkeypatch):
    """Run the block as if it were `days` days ago (audit events are append-only, so their
    time is set when they are written)."""
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() - timedelta(days=days))
    try:
        yield
    finally:
        monkeypatch.setattr(timezone, "now", real_now)


@pytest.fixture
def history(investigation, alice, monkeypatch):
    """Two claims marked four days ago; the first moved into review two days ago."""
    source = make_source(investigation)
    owner = Membership.objects.get(investigation=investigation, user=alice)
    with days_ago(4, monkeypatch):
        first = marking.mark_claim(source, actor=alice, start=0, end=9)
        second = marking.mark_claim(source, actor=alice, start=10, end=20)
    with days_ago(2, monkeypatch):
        workflow.transition(first, "start_review", actor=alice, membership=owner)
    return first, second


def test_the_history_walks_back_from_todays_counts(investigation, history):
    today = timezone.localdate()
    counts = {"open": 1, "in_review": 1}
    found = progress.status_history(investigation, counts, today=today)
    assert found.dates[0] == today - timedelta(days=4)
    assert found.dates[-1] == today
    assert found.counts["open"] == [2, 2, 1, 1, 1]
    assert found.counts["in_review"] == [0, 0, 1, 1, 1]
    assert found.counts["verified"] == [0, 0, 0, 0, 0]


def test_claims_that_came_without_events_count_from_the_start(investigation):
    today = timezone.localdate()
    found = progress.status_history(investigation, {"verified": 7}, today=today)
    assert found.dates == [today]
    assert found.counts["verified"] == [7]


def test_a_long_history_is_drawn_a_week_a_point(investigation, alice, monkeypatch):
    with days_ago(200, monkeypatch):
        marking.mark_claim(make_source(investigation), actor=alice, start=0, end=9)
    found = progress.status_history(investigation, {"open": 1})
    assert len(found.dates) <= progress.MAX_DAYS
    assert found.dates[-1] == timezone.localdate()
    assert {(b - a).days for a, b in zip(found.dates, found.dates[1:], strict=False)} == {7}


def test_the_charts_section_draws_both_charts_without_inline_style(client, alice, history):
    first, _ = history
    client.force_login(alice)
    url = reverse("claims:investigation-charts", args=[first.investigation.slug])
    section = client.get(url, **HTMX).content.decode()
    assert section.startswith('<section id="progress-charts"')
    assert "<title>Claims by status over time</title>" in section
    assert "In review 1" in section  # the line's end label, in words
    assert "No verdicts yet." in section
    assert "style=" not in section  # the strict CSP allows no inline style
    whole = client.get(url).content.decode()
    assert "<html" in whole  # without JavaScript, a page of its own


def test_bar_chart_labels_every_bar_with_name_and_count():
    markup = charts.bar_chart(
        [charts.Bar("False", 12, "#8a1c1c"), charts.Bar("True <b>", 3, "#1d6b3a")],
        title="Verdicts",
        description="Two ratings",
    )
    assert ">False<" in markup
    assert ">12<" in markup
    assert "True &lt;b&gt;" in markup


def test_an_empty_investigation_says_charts_come_later(client, alice, investigation):
    client.force_login(alice)
    url = reverse("claims:investigation-charts", args=[investigation.slug])
    assert "Charts appear once claims" in client.get(url, **HTMX).content.decode()
