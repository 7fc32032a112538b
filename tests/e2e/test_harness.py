"""The browser harness itself: a page error or a console error must not pass unnoticed."""

import pytest

from tests.e2e.conftest import watch

pytestmark = [pytest.mark.browser]


def test_console_and_page_errors_are_collected(browser):
    page = browser.new_page()
    problems = []
    watch(page, problems)
    page.set_content("<p>Harness</p>")
    page.evaluate("() => console.error('refused by CSP')")
    page.evaluate("() => setTimeout(() => { throw new Error('boom'); }, 0)")
    page.wait_for_timeout(100)
    page.close()
    assert any("refused by CSP" in problem for problem in problems)
    assert any("boom" in problem for problem in problems)
