"""Browser journey: a reviewer confirms a similar claim on the demo and sees it on the other."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WITNESS = "About 10,000 people had been arrested in Kazakhstan by 13 January 2022."
WIRE_QUOTE = "Nearly 6,000 people had been detained across Kazakhstan by Sunday"


def test_confirm_a_link_and_see_it_on_the_other_claim(new_page):
    call_command("load_demo", stdout=io.StringIO())
    page = new_page()
    log_in(page, "reviewer")
    page.goto("/i/almaty-2022/claims/?status=all")
    page.get_by_role("link", name=WITNESS).click()
    page.wait_for_url("**/claims/*/")
    panel = page.locator("#similar-panel")
    item = panel.locator("article.similar-item", has_text=WIRE_QUOTE)
    expect(item).to_contain_text("figures differ")
    # The section loads itself after the page: it must not take the focus (nor its ring).
    assert page.evaluate("document.activeElement === document.body")
    expect(panel).not_to_have_attribute("data-swap-focus", "")
    item.get_by_role("button", name="Contradicts").click()
    expect(panel.locator("article.similar-item", has_text=WIRE_QUOTE)).to_contain_text(
        "Confirmed: contradicts"
    )
    panel.locator("article.similar-item", has_text=WIRE_QUOTE).get_by_role(
        "link", name="Open that claim"
    ).click()
    page.wait_for_url("**/claims/*/")
    other = page.locator("#similar-panel article.similar-item", has_text="10,000")
    expect(other).to_contain_text("Confirmed: contradicts")
    expect(other).to_contain_text("Decided by reviewer")
