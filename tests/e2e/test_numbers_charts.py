"""The demo's numbers page in a browser: charts and tables at desktop and phone widths."""

import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set to a folder to keep the screenshots for a person to look at.
SCREENSHOT_DIR = os.environ.get("NUMBERS_SCREENSHOTS", "")


@pytest.mark.parametrize("width", [1280, 390])
def test_numbers_page_draws_each_measure_without_errors(new_page, width):
    call_command("load_demo", stdout=io.StringIO())
    page = new_page(width=width)
    log_in(page, "viewer")
    page.goto("/i/almaty-2022/")
    page.get_by_role("link", name="Numbers", exact=True).click()
    expect(page.get_by_role("heading", name="Numbers across sources")).to_be_visible()

    detained = page.locator("#measure-detained")
    expect(detained.get_by_role("heading", level=2)).to_contain_text("Detained")
    # One chart per measure is exposed: labels beside the bars on a desktop, above on a phone.
    chart = detained.get_by_role("img")
    expect(chart).to_have_count(1)
    expect(chart).to_have_class(re.compile("chart-stacked" if width < 600 else "chart-beside"))
    expect(chart.locator("title")).to_have_text("Detained: 3 figures across sources")
    expect(chart.locator(".chart-row")).to_have_count(3)
    rows = detained.locator("table tbody tr")
    expect(rows).to_have_count(3)
    expect(detained.get_by_role("table")).to_contain_text("9,900")
    # Every chart is drawn inside its box and the page never scrolls sideways.
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] <= width
    assert box["height"] > 40
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOT_DIR}/numbers-{width}.png", full_page=True)


def test_suggested_toggle_keeps_every_figure(new_page):
    call_command("load_demo", stdout=io.StringIO())
    page = new_page(width=390)
    log_in(page, "viewer")
    page.goto("/i/almaty-2022/numbers/")
    accepted = page.locator("table tbody tr").count()
    page.get_by_label("Include suggested claims").check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/numbers/?suggested=on")
    assert page.locator("table tbody tr").count() >= accepted
    expect(page.get_by_label("Include suggested claims")).to_be_checked()
