"""A team starts without the admin: create an investigation, invite a colleague by email,
who opens the link in another browser, signs up and lands in the investigation."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, log_in
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_invite_sign_up_and_see_the_investigation(new_page, shoot):
    make_user("founder", password="founder-pw-2026", email="founder@example.org")

    page = new_page()
    log_in(page, "founder", password="founder-pw-2026")
    expect(page.get_by_text("You are not a member of any investigation yet.")).to_be_visible()
    shoot(page, "home-empty-1280.png")
    page.get_by_role("link", name="Create an investigation").click()
    page.get_by_label("Title").fill("Harbour fire, May 2026")
    page.get_by_label("Description").fill("Who saw the fire start, and when.")
    shoot(page, "investigation-create-1280.png")
    page.get_by_role("button", name="Create investigation").click()
    page.wait_for_url("**/i/harbour-fire-may-2026/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour fire, May 2026")

    page.get_by_role("link", name="Members").click()
    page.get_by_label("Email address").fill("dora@example.org")
    page.locator("#invite-heading ~ form").get_by_label("Role").select_option("reviewer")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("#messages")).to_contain_text("Invitation sent to dora@example.org")
    expect(page.get_by_role("cell", name="dora@example.org", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "members-1280.png")

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/invites/\S+/", mail.outbox[0].body).group(0)

    colleague = new_page()
    colleague.goto(link)
    expect(colleague.get_by_role("heading", level=1)).to_contain_text("Harbour fire, May 2026")
    colleague.get_by_label("Username").fill("dora")
    colleague.get_by_label("Password", exact=True).fill("tide-gauge-417")
    colleague.get_by_label("Password confirmation").fill("tide-gauge-417")
    assert axe_violations(colleague) == []
    shoot(colleague, "invite-signup-1280.png")
    colleague.get_by_role("button", name="Create account and join").click()
    colleague.wait_for_url("**/i/harbour-fire-may-2026/")
    expect(colleague.locator("#messages")).to_contain_text("You joined")
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Harbour fire, May 2026")

    colleague.goto("/")
    expect(colleague.get_by_role("link", name="Harbour fire, May 2026")).to_be_visible()
    expect(colleague.locator("tbody tr")).to_contain_text("Reviewer")
    # A used link answers 410 (tests/test_invites.py), which the browser logs as an error.


def test_account_and_settings_pages_at_phone_and_desktop_width(new_page, shoot):
    """Looked at in screenshots; checked by axe."""
    make_user("founder", password="founder-pw-2026", email="founder@example.org")
    for width in (1280, 390):
        page = new_page(width=width)
        log_in(page, "founder", password="founder-pw-2026")
        if width == 1280:
            page.get_by_role("link", name="Create an investigation").click()
            page.get_by_label("Title").fill("Harbour fire, May 2026")
            page.get_by_role("button", name="Create investigation").click()
            page.wait_for_url("**/i/harbour-fire-may-2026/")
        for name, url in (
            ("home", "/"),
            ("members", "/i/harbour-fire-may-2026/members/"),
            ("settings", "/i/harbour-fire-may-2026/settings/"),
            ("account", "/account/"),
            ("password", "/account/password/"),
        ):
            page.goto(url)
            assert axe_violations(page) == [], name
            shoot(page, f"{name}-{width}.png")
        if width == 390:
            # On a phone the navigation is folded behind the header's Menu button.
            page.get_by_role("button", name="Menu").click()
        page.locator(".usermenu summary").click()
        page.get_by_role("link", name="Your account").click()
        page.wait_for_url("**/account/")
        page.context.clear_cookies()
        page.goto("/accounts/password-reset/")
        assert axe_violations(page) == []
        shoot(page, f"password-reset-{width}.png")
        log_in(page, "founder", password="founder-pw-2026")
    page.goto("/i/harbour-fire-may-2026/settings/")
    page.get_by_role("button", name="Archive investigation").click()
    expect(page.get_by_role("note")).to_contain_text("read-only for everyone")
    page.goto("/i/harbour-fire-may-2026/")
    expect(page.get_by_role("note")).to_contain_text("Archived")
    assert axe_violations(page) == []
    shoot(page, "archived-390.png")
