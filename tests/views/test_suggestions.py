from django.urls import reverse

from claims.models import AuditEvent, Claim
from claims.sources import marking
from tests.clients import HTMX
from tests.factories import make_claim, make_source


def test_dismissed_suggestions_do_not_come_back(client, erin, investigation):
    source = make_source(investigation, extract=True)
    suggestions = source.claims.filter(status="suggested")
    assert suggestions.exists()
    first = suggestions.first()
    Claim.objects.filter(pk=first.pk).update(status="dismissed")
    client.force_login(erin)
    response = client.post(reverse("claims:source-extract", args=[source.pk]))
    assert response.status_code == 302
    assert source.claims.filter(start=first.start, end=first.end).count() == 1
    assert source.claims.get(start=first.start, end=first.end).status == "dismissed"
    assert marking.suggest_claims(source) == 0


def test_suggestions_carry_quantities_and_reasons(investigation):
    source = make_source(investigation, extract=True)
    flooded = source.claims.get(quote__contains="1,200 homes")
    assert flooded.status == "suggested"
    assert flooded.extraction_reasons
    assert 1200 in [q.value for q in flooded.quantities.all()]


def test_reviewer_narrows_a_suggestion_and_numbers_are_reread(client, bob, source):
    claim = make_claim(source, "The river rose by 3.2 metres overnight and about 1,200 homes")
    Claim.objects.filter(pk=claim.pk).update(status="suggested")
    client.force_login(bob)
    response = client.post(
        reverse("claims:claim-respan", args=[claim.pk]),
        {"quote": "about 1,200 homes were flooded", "version": claim.version},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.quote == "about 1,200 homes were flooded"
    assert source.text[claim.start : claim.end] == claim.quote
    assert [q.value for q in claim.quantities.all()] == [1200]
    assert AuditEvent.objects.filter(claim=claim, action="claim.respan").exists()


def test_reviewer_cannot_move_an_accepted_claim(client, bob, claim):
    client.force_login(bob)
    before = claim.quote
    response = client.post(
        reverse("claims:claim-respan", args=[claim.pk]),
        {"quote": "The river rose", "version": claim.version},
    )
    assert "Only an editor" in response.content.decode()
    claim.refresh_from_db()
    assert claim.quote == before


def test_respan_to_words_not_in_the_source_is_refused(client, erin, claim):
    client.force_login(erin)
    response = client.post(
        reverse("claims:claim-respan", args=[claim.pk]),
        {"quote": "about 9,999 homes", "version": claim.version},
    )
    assert "do not appear" in response.content.decode()
    claim.refresh_from_db()
    assert "1,200" in claim.quote


def test_stale_respan_is_a_conflict(client, erin, claim):
    client.force_login(erin)
    response = client.post(
        reverse("claims:claim-respan", args=[claim.pk]),
        {"quote": "The river rose", "version": claim.version - 1 if claim.version > 1 else 99},
    )
    assert "Someone changed this claim" in response.content.decode()


def test_editor_corrects_a_quantity_reading(client, erin, claim):
    quantity = claim.quantities.get()
    client.force_login(erin)
    response = client.post(
        reverse("claims:quantity-edit", args=[quantity.pk]),
        {"value": "1200", "low": "1000", "high": "1500", "unit": "homes", "bound": "approximate"},
    )
    assert response.status_code == 302
    quantity.refresh_from_db()
    assert (quantity.low, quantity.high, quantity.unit) == (1000, 1500, "homes")
    assert quantity.text == "about 1,200"  # the words as written never change


def test_bad_quantity_range_is_refused_and_kept(client, erin, claim):
    quantity = claim.quantities.get()
    client.force_login(erin)
    response = client.post(
        reverse("claims:quantity-edit", args=[quantity.pk]),
        {"value": "1200", "low": "2000", "high": "1500", "unit": "", "bound": "exact"},
    )
    assert "upper end must not be below" in response.content.decode()
    quantity.refresh_from_db()
    assert quantity.low != 2000


def test_long_source_is_extracted_by_the_worker_with_status(
    client, erin, investigation, settings, django_capture_on_commit_callbacks
):
    settings.EXTRACTION_INLINE_MAX_CHARS = 50
    client.force_login(erin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        source = make_source(investigation, extract=True)
    source.refresh_from_db()
    assert source.extraction_status == "pending"
    assert not source.claims.exists()
    status_url = reverse("claims:source-extraction-status", args=[source.pk])
    page = client.get(source.get_absolute_url()).content.decode()
    assert "Waiting for the worker" in page
    assert status_url in page

    for callback in callbacks:  # the immediate task backend runs the task when enqueued
        callback()
    source.refresh_from_db()
    assert source.extraction_status == "done"
    assert source.claims.filter(status="suggested").exists()
    response = client.get(status_url, **HTMX)
    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"


def test_failed_extraction_shows_reason_and_retry(client, erin, source):
    from claims.models import Source

    Source.objects.filter(pk=source.pk).update(
        extraction_status="failed", extraction_error="MemoryError: text too large"
    )
    client.force_login(erin)
    page = client.get(source.get_absolute_url()).content.decode()
    assert "MemoryError: text too large" in page
    assert "Retry extraction" in page
