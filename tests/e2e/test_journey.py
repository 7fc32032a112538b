"""The whole journey in a real browser: mark, cite, propose, sign off as someone else, export."""

import io
import json

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import add_evidence, log_in, propose_verdict

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHRASE = "Gunfire can still be heard on the edges of the city"

SELECT_PHRASE = """
(phrase) => {
  const root = document.querySelector('[data-source-text]');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.data.indexOf(phrase);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + phrase.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return true;
    }
  }
  return false;
}
"""


def test_reviewer_marks_cites_proposes_and_second_reviewer_signs_off(new_page, tmp_path):
    call_command("load_demo", stdout=io.StringIO())

    page = new_page()
    log_in(page, "reviewer")
    page.get_by_role("link", name="Almaty, January 2022").first.click()
    page.wait_for_url("**/i/almaty-2022/")
    page.get_by_role("link", name="Almaty witness").first.click()
    page.wait_for_url("**/sources/*/")

    assert page.evaluate(SELECT_PHRASE, PHRASE), "phrase not found in the reader"
    page.get_by_role("button", name="Mark as claim").first.click()
    card = page.locator(".claim-card", has_text=PHRASE)
    expect(card).to_be_visible()
    expect(page.locator("#messages")).to_contain_text("Claim marked")

    card.get_by_role("link", name="Open claim").click()
    page.wait_for_url("**/claims/*/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(PHRASE)

    add_evidence(
        page,
        "https://example.org/demo/outskirts-gunfire",
        "Demo: residents report gunfire in the suburbs",
    )
    propose_verdict(page, "mostly_true", "Two residents and a demo wire report agree.")
    expect(page.locator("#verdict-panel")).to_contain_text("Awaiting sign-off")
    expect(page.locator("#verdict-panel")).not_to_contain_text("Sign off verdict")
    claim_url = page.url

    second = new_page()
    log_in(second, "editor")
    second.goto(claim_url)
    expect(second.locator("#verdict-panel")).to_contain_text("Two residents and a demo wire")
    second.get_by_role("button", name="Sign off verdict").click()
    expect(second.locator("#verdict-panel")).to_contain_text("Signed off by editor")

    second.goto("/i/almaty-2022/report/")
    with second.expect_download() as download_info:
        second.get_by_role("link", name="Download JSON").click()
    path = tmp_path / "report.json"
    download_info.value.save_as(path)
    report = json.loads(path.read_text(encoding="utf-8"))
    claims = [claim for source in report["sources"] for claim in source["claims"]]
    ours = next(claim for claim in claims if claim["quote"] == PHRASE)
    assert ours["verdict"]["rating"] == "mostly_true"
    assert ours["verdict"]["status"] == "signed_off"
    assert ours["verdict"]["signed_off_by"] == "Editor"
