"""A sign-off bound to what it approved: a stance changed after sign-off voids it, visibly, and
a second reviewer signs off again; a citation taken back stays on the page, struck through.

Screenshots of both states, at 1280 and 390 px, go to $E2E_SHOTS (default: the test's temporary
directory) to be looked at.
"""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from claims.models import Claim, ClaimStatus, Verdict
from tests.e2e.conftest import add_evidence, axe_violations, log_in, propose_verdict

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DETAINED = "Detained activists are being held at unknown locations."
STORMED = "On 5 January 2022 the Almaty akimat was stormed and the presidential residence burned."
GAUGE_URL = "https://example.org/demo/detention-centres"


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def open_claim(page, statement):
    claim = Claim.objects.get(investigation__slug="almaty-2022", statement=statement)
    page.goto(claim.get_absolute_url())
    return claim


def test_a_stance_changed_after_sign_off_voids_it_until_another_reviewer_signs(
    demo, new_page, shoot
):
    proposer = new_page()
    log_in(proposer, "reviewer")
    claim = open_claim(proposer, DETAINED)
    add_evidence(proposer, GAUGE_URL, "Demo: list of detention centres", stance="context")
    propose_verdict(proposer, "mostly_true", "The demo list places 40 detainees in 6 centres.")
    expect(proposer.locator("#verdict-panel")).to_contain_text("You proposed this verdict")

    signer = new_page()
    log_in(signer, "editor")
    open_claim(signer, DETAINED)
    signer.get_by_role("button", name="Sign off verdict").click()
    expect(signer.locator("#verdict-panel")).to_contain_text("Signed off by editor")
    expect(signer.locator("#status-panel")).to_contain_text("Verified")
    first = Verdict.objects.get(claim=claim, status=Verdict.Status.SIGNED_OFF)
    expect(signer.locator("#verdict-panel")).to_contain_text(first.signed_sha256[:12])

    # The proposer, reading again, changes how the list bears on the claim.
    proposer.reload()
    item = proposer.locator("article.evidence", has_text="Demo: list of detention centres")
    item.locator("summary", has_text="Edit citation").click()
    item.get_by_label("Stance").select_option("refutes")
    item.get_by_role("button", name="Save citation").click()
    expect(proposer.locator("#messages")).to_contain_text("needs a new sign-off")
    # The other panels learn of it without a reload.
    expect(proposer.locator("#status-panel")).to_contain_text("Changed since sign-off")
    drift = proposer.locator("#verdict-panel .drift-box")
    expect(drift).to_contain_text("Changed since sign-off")
    row = drift.locator("table.drift tbody")
    expect(row).to_have_count(1)
    expect(row.locator("th")).to_have_text(f"Evidence: {GAUGE_URL}")
    expect(row.locator("td").nth(0)).to_contain_text("context")
    expect(row.locator("td").nth(1)).to_contain_text("refutes")
    expect(proposer.locator("#verdict-panel")).to_contain_text("You proposed this verdict")

    # A third person reads what changed and signs off again.
    other = new_page()
    log_in(other, "owner")
    open_claim(other, DETAINED)
    panel = other.locator("#verdict-panel")
    expect(panel).to_contain_text("Changed since sign-off")
    expect(panel).to_contain_text("Sign-off voided")  # the old sign-off, kept in the history
    assert not axe_violations(other)
    shoot(other, "void-1280.png")
    narrow = new_page(width=390, height=844)
    log_in(narrow, "owner")
    open_claim(narrow, DETAINED)
    expect(narrow.locator("#verdict-panel .drift-box")).to_be_visible()
    shoot(narrow, "void-390.png")
    assert not axe_violations(narrow)

    other.get_by_role("button", name="Sign off verdict").click()
    expect(panel).to_contain_text("Signed off by owner")
    expect(other.locator("#status-panel")).to_contain_text("Verified")
    expect(other.locator("#history-panel")).to_contain_text("voided the sign-off")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED
    second = Verdict.objects.get(claim=claim, status=Verdict.Status.SIGNED_OFF)
    assert second.signed_off_by.username == "owner"
    assert second.resubmission_of == first
    assert second.signed_content["citations"][0]["stance"] == "refutes"


def test_a_retracted_citation_is_struck_through_and_no_longer_evidence(demo, new_page, shoot):
    page = new_page()
    log_in(page, "editor")
    claim = open_claim(page, STORMED)
    title = "DEMO: geolocated video of the presidential residence fire"
    item = page.locator("#evidence-panel article.evidence", has_text=title)
    item.locator("summary", has_text="Retract citation").click()
    item.get_by_label("Why it is retracted").fill("The videos show a different building.")
    item.locator("button[type=submit]", has_text="Retract citation").click()

    retracted = page.locator("#evidence-panel article.is-retracted")
    expect(retracted).to_contain_text("Retracted by editor")
    expect(retracted).to_contain_text("The videos show a different building.")
    expect(retracted.locator("del")).to_have_text(title)
    expect(page.locator("#messages")).to_contain_text("Citation retracted")
    # It rested under a sign-off: that sign-off is void, and the list it rests on is shorter.
    expect(page.locator("#status-panel")).to_contain_text("Changed since sign-off")
    rests_on = page.locator("#verdict-panel .rests-on")
    expect(rests_on).to_contain_text("wire report on the storming")
    expect(rests_on).not_to_contain_text("geolocated video")
    expect(page.locator("#verdict-panel table.drift")).to_contain_text("(no longer cited)")
    # The wire report and the demo's photo of the square remain.
    expect(page.locator("#evidence-heading .count")).to_have_text("2")
    assert not axe_violations(page)
    shoot(page, "retracted-1280.png")
    narrow = new_page(width=390, height=844)
    log_in(narrow, "viewer")
    open_claim(narrow, STORMED)
    expect(narrow.locator("#evidence-panel article.is-retracted")).to_be_visible()
    shoot(narrow, "retracted-390.png")
    claim.refresh_from_db()
    assert claim.citations.filter(retracted_at__isnull=False).count() == 1
    assert re.search(
        "different building", claim.citations.get(retracted_at__isnull=False).retraction_reason
    )
