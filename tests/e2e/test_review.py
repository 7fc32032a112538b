"""Browser journeys of the review workflow: two people at once, filters and history, axe."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import add_evidence, axe_violations, log_in, propose_verdict

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLAIM = "Detained activists are being held at unknown locations."


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def open_claim(page, statement):
    page.goto("/i/almaty-2022/claims/?status=all")
    page.get_by_role("link", name=statement).click()
    page.wait_for_url("**/claims/*/")


def test_four_eyes_with_two_people(demo, new_page):
    reviewer = new_page()
    log_in(reviewer, "reviewer")
    open_claim(reviewer, CLAIM)
    add_evidence(
        reviewer, "https://example.org/demo/detentions-list", "Demo: list of detained activists"
    )
    propose_verdict(reviewer, "mostly_true", "The demo list names 40 people held without charge.")
    expect(reviewer.locator("#verdict-panel")).to_contain_text("You proposed this verdict")
    expect(reviewer.locator("#status-panel")).to_contain_text("Verdict proposed")
    claim_url = reviewer.url

    editor = new_page()
    log_in(editor, "editor")
    editor.goto("/queue/")
    editor.get_by_role("link", name=CLAIM).click()
    panel = editor.locator("#verdict-panel")
    expect(panel).to_contain_text("The demo list names 40 people")
    expect(panel).to_contain_text("The evidence it rests on")
    expect(panel).to_contain_text("list of detained activists")
    editor.locator("summary", has_text="Send back with a comment").click()
    editor.get_by_label("Why it goes back").fill("Which list? Link the original, please.")
    editor.get_by_role("button", name="Send back").click()
    expect(panel).to_contain_text("Sent back")
    expect(editor.locator("#messages")).to_contain_text("Verdict sent back")

    reviewer.goto(claim_url)
    expect(reviewer.locator("#status-panel")).to_contain_text("In review")
    expect(reviewer.locator("#verdict-panel")).to_contain_text("Which list? Link the original")
    propose_verdict(reviewer, "mostly_true", "The original list is linked; 40 names checked.")
    expect(reviewer.locator("#verdict-panel")).to_contain_text("Awaiting sign-off")

    editor.goto(claim_url)
    editor.get_by_role("button", name="Sign off verdict").click()
    expect(editor.locator("#verdict-panel")).to_contain_text("Signed off by editor")
    # The other panels learn of the change without a reload.
    expect(editor.locator("#status-panel")).to_contain_text("Verified")
    expect(editor.locator("#history-panel")).to_contain_text("signed off the verdict")


def test_a_conflicting_edit_keeps_the_second_persons_text(demo, new_page):
    first, second = new_page(), new_page()
    log_in(first, "owner")
    log_in(second, "editor")
    for page in (first, second):
        open_claim(page, CLAIM)
        page.locator("summary", has_text="Edit statement and speaker").click()
    first.get_by_label(re.compile(r"^Statement")).fill("Owner's wording of the claim.")
    second.get_by_label(re.compile(r"^Statement")).fill("Editor's careful wording.")
    first.get_by_role("button", name="Save", exact=True).click()
    expect(first.locator("#claim-heading")).to_have_text("Owner's wording of the claim.")
    second.get_by_role("button", name="Save", exact=True).click()
    conflict = second.locator(".conflict")
    expect(conflict).to_contain_text("owner saved this while you were editing")
    expect(conflict).to_contain_text("Owner's wording of the claim.")
    expect(second.get_by_label(re.compile(r"^Statement"))).to_have_value(
        "Editor's careful wording."
    )
    # Saving again, knowingly, replaces the owner's text.
    second.get_by_role("button", name="Save", exact=True).click()
    expect(second.locator("#claim-heading")).to_have_text("Editor's careful wording.")


def test_filters_back_button_keyboard_and_bulk_assign(demo, new_page):
    page = new_page()
    log_in(page, "editor")
    page.goto("/i/almaty-2022/claims/")
    count = page.locator("[data-result-summary]")
    # 12 claims in the testimony, 5 figures in the official statement and the wire report.
    expect(count).to_contain_text("17 claims")
    page.get_by_label("Status").select_option("open")
    expect(page).to_have_url(re.compile(r"/claims/\?status=open$"))
    expect(count).to_contain_text("14 claims match the filters")
    page.get_by_label("Search").fill("arrested")
    expect(page).to_have_url(re.compile(r"status=open&q=arrested|q=arrested&status=open"))
    expect(count).to_contain_text("0 claims match")  # the arrests claim awaits sign-off
    page.go_back()
    expect(page).to_have_url(re.compile(r"/claims/\?status=open$"))
    expect(count).to_contain_text("14 claims match the filters")
    expect(page.get_by_label("Status")).to_have_value("open")
    # Forward restores the searched list from history too; both restores swap with no
    # target, which review.js once read (a TypeError the page watcher now reports).
    page.go_forward()
    expect(page).to_have_url(re.compile(r"status=open&q=arrested|q=arrested&status=open"))
    expect(count).to_contain_text("0 claims match")
    expect(page.get_by_label("Search")).to_have_value("arrested")
    page.go_back()
    expect(count).to_contain_text("14 claims match the filters")
    page.reload()
    expect(count).to_contain_text("14 claims match the filters")

    # Keyboard: j moves to the first row, a takes it.
    page.locator("h1").click()
    page.keyboard.press("j")
    first_row = page.locator("[data-claim-row]").first
    expect(first_row).to_have_class(re.compile("is-current"))
    page.keyboard.press("a")
    expect(first_row).to_contain_text("editor")
    expect(page.locator("#messages")).to_contain_text("Claim assigned to you.")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")

    rows = page.locator("[data-claim-row]")
    rows.nth(1).get_by_role("checkbox").check()
    rows.nth(2).get_by_role("checkbox").check()
    page.locator("summary", has_text="Change the selected claims").click()
    page.get_by_label("Assign to").select_option(label="reviewer")
    page.get_by_role("button", name="Assign selected…").click()
    confirm = page.locator("#bulk-panel")
    expect(confirm).to_contain_text("Assign 2 claims to reviewer?")
    confirm.get_by_role("button", name="Confirm: Assign 2 claims to reviewer").click()
    expect(confirm).to_contain_text("2 claims changed")
    expect(rows.nth(1)).to_contain_text("reviewer")
    expect(rows.nth(2)).to_contain_text("reviewer")


def test_every_page_passes_axe(demo, new_page):
    pages = {}
    for width in (1280, 390):
        page = new_page(width=width)
        log_in(page, "owner")
        page.goto("/i/almaty-2022/")
        source = page.locator("a[href^='/sources/']").first.get_attribute("href")
        page.goto("/i/almaty-2022/claims/?verdict=awaiting")
        claim = page.locator("a[data-open]").first.get_attribute("href")
        urls = [
            "/",
            "/queue/",
            "/i/almaty-2022/",
            "/i/almaty-2022/claims/",
            "/i/almaty-2022/claims/?q=nothing-matches-this",
            "/i/almaty-2022/activity/",
            "/i/almaty-2022/members/",
            "/i/almaty-2022/sources/new/",
            "/i/almaty-2022/report/",
            source,
            claim,
        ]
        for url in urls:
            page.goto(url)
            pages[f"{width} {url}"] = axe_violations(page)
        # Open panels and dialogs too: the bulk confirmation and the keyboard help.
        page.goto("/i/almaty-2022/claims/")
        page.locator("[data-claim-row]").first.get_by_role("checkbox").check()
        page.locator("summary", has_text="Change the selected claims").click()
        page.get_by_role("button", name="Tag selected…").click()
        expect(page.locator("#bulk-panel")).to_contain_text("Type the tag")
        pages[f"{width} bulk"] = axe_violations(page)
        page.keyboard.press("?")
        pages[f"{width} help"] = axe_violations(page)
        page.keyboard.press("Escape")
        page.goto(claim)
        for summary in page.locator("main summary").all():
            summary.click()
        pages[f"{width} claim, all open"] = axe_violations(page)
        page.context.clear_cookies()
        page.goto("/accounts/login/")
        pages[f"{width} login"] = axe_violations(page)
    assert {url: found for url, found in pages.items() if found} == {}
