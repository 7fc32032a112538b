"""Reviewing suggestions in the reader with the keyboard only."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from claims.models import Claim
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_keyboard_accepts_and_dismisses_suggestions(new_page):
    call_command("load_demo", stdout=io.StringIO())
    suggested_before = Claim.objects.filter(status="suggested").count()
    assert suggested_before >= 2

    page = new_page()
    log_in(page, "reviewer")
    source = Claim.objects.filter(status="suggested").first().source
    page.goto(source.get_absolute_url())
    page.locator("body").press("n")
    first = page.locator(".claim-card.is-suggestion").first
    expect(first).to_be_focused()
    first_id = int(first.get_attribute("data-claim"))

    page.keyboard.press("y")
    expect(page.locator("#messages")).to_contain_text("open")
    expect(page.locator(".claim-card.is-suggestion")).to_have_count(suggested_before - 1)
    assert Claim.objects.get(pk=first_id).status == "open"

    focused = page.locator(".claim-card.is-suggestion:focus")
    expect(focused).to_have_count(1)
    second_id = int(focused.get_attribute("data-claim"))
    page.keyboard.press("x")
    expect(page.locator(".claim-card.is-suggestion")).to_have_count(suggested_before - 2)
    assert Claim.objects.get(pk=second_id).status == "dismissed"


def test_a_swap_in_the_reader_leaves_no_thick_outline_around_it(new_page, shoot):
    # After htmx replaces the reader, focus goes to it so keyboard and screen-reader users
    # stay in place; the ring every control shows would then frame the whole reader.
    call_command("load_demo", stdout=io.StringIO())
    source = Claim.objects.filter(status="suggested").first().source
    words = source.text[:24].strip()
    page = new_page()
    log_in(page, "reviewer")
    page.goto(source.get_absolute_url())
    page.locator("summary", has_text="Mark a claim by its words").click()
    page.get_by_label("Quote").fill(words)
    page.get_by_label("Speaker").fill("Test speaker")
    page.get_by_label("Speaker").press("Enter")  # submitted from the keyboard
    expect(page.locator("#reader .claim-card").first).to_contain_text(words)
    expect(page.locator("#reader")).to_be_focused()
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline[0] == "none" or float(outline[1].removesuffix("px")) <= 1, outline
    shoot(page, "reader-after-mark.png")
