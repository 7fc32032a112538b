"""Setting up a second factor in the browser logs out the session opened elsewhere before it;
turning it off asks for the password again, and a wrong one changes nothing."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from claims.access import second_factor
from tests.e2e.conftest import axe_violations, log_in
from tests.factories import make_user
from tests.test_second_factor import code_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "founder-pw-2026"


def test_set_up_logs_out_elsewhere_and_turning_off_asks_for_the_password(new_page, shoot):
    founder = make_user("founder", password=PASSWORD)
    elsewhere = new_page()
    log_in(elsewhere, "founder", password=PASSWORD)

    for width in (1280, 390):
        page = new_page(width=width)
        log_in(page, "founder", password=PASSWORD)
        page.goto("/account/")
        page.get_by_role("link", name="Set up a second factor").click()
        device = TOTPDevice.objects.get(user=founder, confirmed=False)
        page.get_by_label("Code from the app").fill(code_for(device))
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
        expect(page.locator(".recovery-codes li")).to_have_count(10)
        shoot(page, f"recovery-codes-{width}.png")

        elsewhere.goto("/account/")
        expect(elsewhere).to_have_url("/accounts/login/?next=/account/")

        page.goto("/account/")
        page.get_by_label("Your password, or a code from your phone app").fill("not-it")
        page.get_by_role("button", name="Turn off").click()
        expect(page.locator(".field .error")).to_contain_text("neither your password")
        assert second_factor.has_second_factor(founder)
        assert axe_violations(page) == []
        shoot(page, f"second-factor-off-refused-{width}.png")
        page.get_by_label("Your password, or a code from your phone app").fill(PASSWORD)
        page.get_by_role("button", name="Turn off").click()
        expect(page.locator("#messages")).to_contain_text("Second factor turned off.")
        assert not second_factor.has_second_factor(founder)
        elsewhere = page
