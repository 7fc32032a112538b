"""Every page of the demo on a phone (390 px wide): nothing wider than the screen, axe clean,
the claim list as stacked rows, the claim page with status and verdict first, and the header
folded into one row with a Menu button that works by keyboard and without JavaScript."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from claims.evidence import publishers
from claims.models import Claim, ClaimEvidence, EvidenceFile, Investigation
from tests.e2e.conftest import axe_violations, log_in
from tests.factories import make_capture_histories, make_evidence, make_report_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# The widest thing on the page, for the failure message: a tag, its class and its right edge.
WIDEST = """() => {
  let widest = null;
  for (const element of document.body.querySelectorAll("*")) {
    const right = element.getBoundingClientRect().right;
    if (!widest || right > widest.right) {
      widest = {right: Math.round(right), what: element.tagName + "." + element.className};
    }
  }
  return widest;
}"""


@pytest.fixture
def demo():
    """The demo, plus what it lacks to fill every page: a cited page with a collection log, a
    rated publisher and a prepared report file."""
    call_command("load_demo", stdout=io.StringIO())
    investigation = Investigation.objects.get(slug="almaty-2022")
    publishers.set_rating(
        investigation,
        actor=investigation.memberships.get(user__username="editor").user,
        domain="example.org",
        name="Example Daily",
        reliability="mostly_reliable",
        note="Corrects its errors in public, usually within a day.",
    )
    claim = Claim.objects.filter(investigation=investigation).exclude(status="suggested")[0]
    page = make_evidence(
        investigation,
        url="https://example.org/reports/2022/01/almaty/a-long-address-that-keeps-going.html",
        title="An archived page about the detentions",
    )
    citation = ClaimEvidence.objects.create(claim=claim, evidence=page, stance="supports")
    make_capture_histories([page])
    report_file = make_report_file(investigation)
    photo = EvidenceFile.objects.filter(investigation=investigation).order_by("pk").first()
    return {
        "claim": claim,
        "citation": citation,
        "report_file": report_file,
        "photo_citation": photo.evidence.citations.get(),
    }


def demo_pages(page, demo):
    """Every page of the demo, by name, found the way a member would find them."""
    page.goto("/i/almaty-2022/")
    source = page.locator("a[href^='/sources/']").first.get_attribute("href")
    return {
        "investigation list": "/",
        "queue": "/queue/",
        "investigation": "/i/almaty-2022/",
        "claim list": "/i/almaty-2022/claims/",
        "claim list, every status": "/i/almaty-2022/claims/?status=all",
        "claim": demo["claim"].get_absolute_url(),
        "source": source,
        "report": "/i/almaty-2022/report/",
        "numbers": "/i/almaty-2022/numbers/",
        "members": "/i/almaty-2022/members/",
        "publishers": "/i/almaty-2022/publishers/",
        "activity": "/i/almaty-2022/activity/",
        "collection log": f"/citations/{demo['citation'].pk}/log/",
        "claim with a photo": demo["photo_citation"].claim.get_absolute_url(),
        "same picture": f"/citations/{demo['photo_citation'].pk}/same-picture/",
        "photo's collection log": f"/citations/{demo['photo_citation'].pk}/log/",
        "import": "/i/almaty-2022/sources/import/",
        "new source": "/i/almaty-2022/sources/new/",
        "report file": f"/report-files/{demo['report_file'].pk}/",
        "charts": "/i/almaty-2022/charts/",
        "settings": "/i/almaty-2022/settings/",
        "new investigation": "/investigations/new/",
        "account": "/account/",
        "api tokens": "/account/tokens/",
        "password change": "/account/password/",
    }


def too_wide(page):
    """None when the document fits the window, else what sticks out."""
    fits = page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    return None if fits else page.evaluate(WIDEST)


def test_every_page_fits_a_phone_and_passes_axe(demo, new_page, shoot):
    page = new_page(**PHONE)
    page.goto("/accounts/login/")
    wide, violations = {}, {}
    wide["login"] = too_wide(page)
    violations["login"] = axe_violations(page)
    shoot(page, "390-login.png")
    log_in(page, "owner")
    for name, url in demo_pages(page, demo).items():
        response = page.goto(url)
        assert response is not None
        assert response.ok, f"{name}: {url} answered {response.status}"
        page.wait_for_load_state("networkidle")
        wide[name] = too_wide(page)
        violations[name] = axe_violations(page)
        shoot(page, f"390-{name.replace(' ', '-').replace(',', '')}.png")
    # Everything folded away opened: the claim page's boxes, and the menu.
    page.goto(demo["claim"].get_absolute_url())
    for summary in page.locator("main summary").all():
        summary.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Menu").click()
    page.locator("summary", has_text="Almaty, January 2022").click()
    wide["claim, all open"] = too_wide(page)
    violations["claim, all open"] = axe_violations(page)
    shoot(page, "390-claim-all-open.png")
    assert {name: what for name, what in wide.items() if what} == {}
    assert {name: found for name, found in violations.items() if found} == {}


def test_every_page_fits_a_desktop_too(demo, new_page, shoot):
    page = new_page(width=1280, height=900)
    page.goto("/accounts/login/")
    shoot(page, "1280-login.png")
    log_in(page, "owner")
    wide = {}
    for name, url in demo_pages(page, demo).items():
        response = page.goto(url)
        assert response is not None
        assert response.ok, f"{name}: {url} answered {response.status}"
        page.wait_for_load_state("networkidle")
        wide[name] = too_wide(page)
        shoot(page, f"1280-{name.replace(' ', '-').replace(',', '')}.png")
    assert {name: what for name, what in wide.items() if what} == {}


def test_claim_list_rows_show_status_and_verdict_on_screen(demo, new_page):
    page = new_page(**PHONE)
    log_in(page, "editor")
    page.goto("/i/almaty-2022/claims/?status=all")
    rows = page.locator("[data-claim-row]")
    expect(rows.first).to_be_visible()
    assert rows.count() > 10
    # The column headings are for screen readers only; each value says what it is.
    expect(page.locator(".claim-table thead")).to_have_css("position", "absolute")
    for row in rows.all():
        claim = row.locator(".claim-cell").bounding_box()
        for cell in (row.locator("[data-label=Status]"), row.locator("[data-label=Verdict]")):
            box = cell.bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= PHONE["width"]
            # Right under the claim, before the source and the rest.
            assert box["y"] >= claim["y"] + claim["height"] - 1
            assert box["y"] < row.locator("[data-label=Source]").bounding_box()["y"]
    verified = rows.filter(has=page.locator(".badge.status-verified")).first
    status = verified.locator("[data-label=Status]")
    assert status.evaluate("cell => getComputedStyle(cell, '::before').content") == '"Status: "'
    expect(verified.locator("[data-label=Verdict]")).to_contain_text("True")


def test_claim_list_filters_fold_on_a_phone_and_show_on_a_desktop(demo, new_page):
    phone = new_page(**PHONE)
    log_in(phone, "editor")
    phone.goto("/i/almaty-2022/claims/")
    toggle = phone.get_by_role("button", name="More filters")
    verdict = phone.get_by_label("Verdict", exact=True)
    expect(phone.get_by_label("Search")).to_be_visible()
    expect(phone.get_by_label("Status", exact=True)).to_be_visible()
    expect(verdict).to_be_hidden()
    # The first claim is on the first screen, not under a wall of filters.
    first = phone.locator("[data-claim-row]").first.bounding_box()
    assert first["y"] < PHONE["height"]
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    verdict.select_option("true")
    expect(phone.locator("[data-result-summary]")).to_contain_text("match")
    # A filter set behind the button keeps them open on the next load, and says so.
    phone.reload()
    expect(phone.get_by_role("button", name="More filters (1 set)")).to_have_attribute(
        "aria-expanded", "true"
    )
    expect(verdict).to_be_visible()

    desktop = new_page(width=1280, height=800)
    log_in(desktop, "editor")
    desktop.goto("/i/almaty-2022/claims/")
    expect(desktop.get_by_role("button", name="More filters")).to_be_hidden()
    expect(desktop.get_by_label("Verdict", exact=True)).to_be_visible()


def test_claim_page_puts_status_and_verdict_first_on_a_phone_only(demo, new_page):
    claim = demo["claim"].get_absolute_url()
    phone = new_page(**PHONE)
    log_in(phone, "reviewer")
    phone.goto(claim)

    def top(page, selector):
        return page.locator(selector).bounding_box()["y"]

    assert top(phone, "#claim-summary") < top(phone, "#status-panel")
    assert top(phone, "#status-panel") < top(phone, "#verdict-panel")
    assert top(phone, "#verdict-panel") < top(phone, "#evidence-panel")
    assert top(phone, "#comment-panel") < top(phone, "#history-panel")
    # The keyboard meets them in the same order: status and verdict before the evidence form.
    order = phone.evaluate(
        """() => ["#claim-summary", "#status-panel", "#verdict-panel", "#evidence-panel",
                  "#triage-panel"].map(s => document.querySelector(s))
                 .every((el, i, all) => i === 0 ||
                   all[i - 1].compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)"""
    )
    assert order
    # However long the claim's numbers, its first screen says where it stands: the line above
    # the statement carries the status and the verdict.
    proposed = Claim.objects.get(investigation__slug="almaty-2022", status="verdict_proposed")
    phone.goto(proposed.get_absolute_url())
    line = phone.locator("#status-badge")
    expect(line).to_contain_text("Verdict proposed")
    expect(line).to_contain_text("Verdict: Mostly true · awaiting sign-off")
    assert line.bounding_box()["y"] < 300

    desktop = new_page(width=1280, height=900)
    log_in(desktop, "reviewer")
    desktop.goto(claim)
    summary = desktop.locator("#claim-summary").bounding_box()
    status = desktop.locator("#status-panel").bounding_box()
    evidence = desktop.locator("#evidence-panel").bounding_box()
    # Two columns: the claim and its evidence on the left, status and verdict on the right,
    # both columns starting at the top.
    assert status["x"] > summary["x"] + summary["width"]
    assert abs(status["y"] - summary["y"]) < 2
    assert abs(evidence["x"] - summary["x"]) < 2
    assert evidence["y"] > summary["y"] + summary["height"]


def test_header_is_one_row_with_a_menu_that_the_keyboard_works(demo, new_page):
    page = new_page(**PHONE)
    log_in(page, "editor")
    page.goto("/i/almaty-2022/claims/")
    header = page.locator("header.topbar")
    button = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main")
    expect(button).to_have_accessible_name("Menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_attribute("aria-controls", "main-nav")
    expect(nav).to_be_hidden()
    # One row: the product name and the button side by side.
    brand = page.locator(".brand").bounding_box()
    assert abs(button.bounding_box()["y"] - brand["y"]) < 12
    assert header.bounding_box()["height"] < 64

    # From the skip link, Tab reaches the name, then the button; Enter opens the menu.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    page.keyboard.press("Tab")
    expect(nav.locator("summary").first).to_be_focused()
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="My queue")).to_be_focused()
    # Escape closes it and gives the focus back to the button.
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    expect(button).to_be_focused()
    # Opened again, its links lead where they say.
    button.click()
    nav.get_by_role("link", name="My queue").click()
    page.wait_for_url("**/queue/")
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")

    # On a desktop there is no button: the navigation is simply there.
    desktop = new_page(width=1280, height=900)
    log_in(desktop, "editor")
    expect(desktop.get_by_role("button", name="Menu")).to_be_hidden()
    expect(desktop.get_by_role("navigation", name="Main")).to_be_visible()


def test_without_javascript_the_navigation_stays_reachable(demo, new_page):
    page = new_page(**PHONE, java_script_enabled=False)
    log_in(page, "editor")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_visible()
    nav.get_by_role("link", name="My queue").click()
    page.wait_for_url("**/queue/")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
