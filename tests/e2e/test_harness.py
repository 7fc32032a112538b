"""The browser harness itself: a page error or a console error must not pass unnoticed."""

import ast
from pathlib import Path

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


# Tests allowed to open pages without the watcher: this file's own check of it.
UNWATCHED = {"test_harness.py": {"test_console_and_page_errors_are_collected"}}


def test_every_browser_test_opens_its_pages_through_the_watcher():
    # A test taking `browser` (or Playwright's own `page`) directly would open pages that no
    # one watches, and a page error there would pass unnoticed.
    unwatched = []
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test_"):
                continue
            arguments = {argument.arg for argument in node.args.args}
            allowed = UNWATCHED.get(path.name, set())
            if arguments & {"browser", "page", "context"} and node.name not in allowed:
                unwatched.append(f"{path.name}::{node.name}")
    assert unwatched == []
