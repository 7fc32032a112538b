"""A second factor: set-up with a phone app, the code step at log-in (throttled, no replay),
recovery codes (stored hashed), moving it and turning it off (only from a session that passed
it, logging out every other session), and investigations that require it on every page and
API call."""

import io
import logging
import re

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims.access import investigations, second_factor, tokens
from claims.models import Investigation
from tests.api.conftest import TokenClient
from tests.page_world import GET_PAGES, build_world
from tests.test_permissions_matrix import EXPECTATIONS

PASSWORD = "pw-for-tests-123"


def code_for(device, step_offset=0):
    """The code the phone app shows now (or `step_offset` steps later)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - step_offset * device.step):06d}"


def set_up(user):
    """A confirmed phone app for `user`; returns (device, recovery codes)."""
    device = second_factor.start_setup(user, verified=False)
    codes = second_factor.confirm_setup(user, device, code_for(device), verified=False)
    device.refresh_from_db()
    return device, codes


def log_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


@pytest.fixture
def no_device_delay(settings):
    """django-otp also makes a device wait a second after a wrong code (doubling each time);
    off where a test gives the right code right after a wrong one."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def test_set_up_shows_a_qr_code_and_confirms_only_with_a_right_code(client, bob, no_device_delay):
    client.force_login(bob)
    page = client.get(reverse("second-factor-setup")).content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=bob, confirmed=False)
    assert second_factor.secret_text(device).replace(" ", "") in page.replace(" ", "")
    wrong = client.post(reverse("second-factor-setup"), {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    assert not second_factor.has_second_factor(bob)
    right = client.post(reverse("second-factor-setup"), {"code": code_for(device)})
    codes = re.findall(
        r"<li><code>((?:[0-9a-f]{4} ){4}[0-9a-f]{4})</code></li>", right.content.decode()
    )
    assert len(codes) == 10
    assert second_factor.has_second_factor(bob)


def test_log_in_asks_for_the_code_and_lets_nothing_through_before_it(
    bob, investigation, no_device_delay
):
    device, _codes = set_up(bob)
    client = Client()
    response = log_in(client, bob)
    assert response.status_code == 302
    for url in (investigation.get_absolute_url(), reverse("account"), "/api/v1/investigations/"):
        held = client.get(url)
        assert held.status_code == 302, (url, held.status_code)
        assert held["Location"].startswith(reverse("second-factor-verify"))
    verify = reverse("second-factor-verify")
    assert "not right" in client.post(verify, {"code": "123456"}).content.decode()
    # The current code went to confirm the set-up; the next one is still accepted.
    response = client.post(
        verify, {"code": code_for(device, step_offset=1), "next": "/i/flood-2026/"}
    )
    assert response["Location"] == "/i/flood-2026/"
    assert client.get(investigation.get_absolute_url()).status_code == 200


def test_passing_the_code_step_gives_the_session_a_new_key(bob, no_device_delay):
    _device, codes = set_up(bob)
    client = Client()
    log_in(client, bob)
    pending_key = client.session.session_key
    client.post(reverse("second-factor-verify"), {"code": codes[0]})
    assert client.session.session_key != pending_key
    assert not Session.objects.filter(session_key=pending_key).exists()
    assert is_logged_in(client)


def test_a_code_cannot_be_used_twice(bob, no_device_delay):
    device, _codes = set_up(bob)  # set-up used the current code
    assert second_factor.verify(bob, code_for(device)) is None
    assert second_factor.verify(bob, code_for(device, step_offset=1)) is not None


def test_a_recovery_code_works_once(bob, no_device_delay):
    _device, codes = set_up(bob)
    assert second_factor.verify(bob, codes[0]) is not None
    assert second_factor.verify(bob, codes[0]) is None
    assert second_factor.verify(bob, codes[1].upper()) is not None


def test_wrong_codes_are_throttled(bob):
    set_up(bob)
    client = Client()
    log_in(client, bob)
    verify = reverse("second-factor-verify")
    pages = [client.post(verify, {"code": f"{n:06d}"}).content.decode() for n in range(12)]
    assert "Too many" in pages[-1]


def test_password_reset_requests_are_throttled(client, bob):
    bob.email = "bob@example.org"
    bob.save()
    url = reverse("password_reset")
    pages = [client.post(url, {"email": "bob@example.org"}) for _ in range(12)]
    assert "Too many" in pages[-1].content.decode()


# --- Investigations that require it ---------------------------------------------------------


def _scoped_pages():
    """The GET pages that belong to one investigation (the others are the user's own)."""
    # An invitation's page answers to its signed link, not to membership.
    return [name for name in GET_PAGES if EXPECTATIONS[name][1] not in (None, "invite_token")]


def test_every_page_of_a_requiring_investigation_refuses_a_session_without_it(db):
    world = build_world(5, slug="guarded")
    Investigation.objects.filter(pk=world.investigation.pk).update(require_second_factor=True)
    client = Client()
    client.force_login(world.viewer)
    refused = {}
    for name in _scoped_pages():
        response = client.get(world.url(name), headers={"HX-Request": "true"})
        refused[name] = response.status_code
    assert {name for name, status in refused.items() if status != 403} == set()
    page = client.get(world.url("investigation-detail")).content.decode()
    assert "requires its members to log in with a second factor" in page
    # An outsider still learns nothing: 404, not 403.
    from tests.factories import make_user

    outsider = Client()
    outsider.force_login(make_user("nobody-here"))
    assert outsider.get(world.url("investigation-detail")).status_code == 404


def test_a_session_that_passed_the_factor_opens_it(bob, investigation):
    device, _ = set_up(bob)
    Investigation.objects.filter(pk=investigation.pk).update(require_second_factor=True)
    client = Client()
    log_in(client, bob)
    client.post(reverse("second-factor-verify"), {"code": code_for(device, step_offset=1)})
    assert client.get(investigation.get_absolute_url()).status_code == 200


def test_an_api_token_opens_it_only_when_made_after_the_factor(bob, investigation):
    Investigation.objects.filter(pk=investigation.pk).update(require_second_factor=True)
    url = f"/api/v1/investigations/{investigation.slug}/"
    _row, plain = tokens.create_token(bob, name="plain")
    assert TokenClient(plain).get(url).status_code == 403
    set_up(bob)
    assert TokenClient(plain).get(url).status_code == 403  # made before: still refused
    _row, guarded = tokens.create_token(bob, name="guarded", with_second_factor=True)
    assert TokenClient(guarded).get(url).status_code == 200
    second_factor.disable(bob)  # the owner gave the factor up: the token no longer opens it
    assert TokenClient(guarded).get(url).status_code == 403


def test_only_an_owner_with_a_second_factor_can_require_it(alice, bob, investigation):
    with pytest.raises(investigations.InvestigationRefused, match="Only an owner"):
        investigations.set_second_factor_required(investigation, actor=bob, required=True)
    with pytest.raises(investigations.InvestigationRefused, match="your own second factor"):
        investigations.set_second_factor_required(investigation, actor=alice, required=True)
    set_up(alice)
    investigations.set_second_factor_required(investigation, actor=alice, required=True)
    investigation.refresh_from_db()
    assert investigation.require_second_factor
    event = investigation.audit_events.get(action="investigation.second_factor")
    assert event.after == {"require_second_factor": True}


def test_the_settings_page_sets_it(client, alice, investigation):
    device, _ = set_up(alice)
    log_in(client, alice)
    client.post(reverse("second-factor-verify"), {"code": code_for(device, step_offset=1)})
    url = reverse("claims:investigation-second-factor", args=[investigation.slug])
    assert client.post(url, {"required": "1"}).status_code == 302
    investigation.refresh_from_db()
    assert investigation.require_second_factor
    # A value the form never offers changes nothing.
    client.post(url, {"required": "maybe"})
    investigation.refresh_from_db()
    assert investigation.require_second_factor


def test_the_reset_command_removes_a_lost_factor(bob):
    set_up(bob)
    out = io.StringIO()
    call_command("reset_second_factor", "--user", "bob", stdout=out)
    assert "removed" in out.getvalue()
    assert not second_factor.has_second_factor(bob)
    with pytest.raises(CommandError, match="no second factor"):
        call_command("reset_second_factor", "--user", "bob")
    with pytest.raises(CommandError, match="No user named"):
        call_command("reset_second_factor", "--user", "ghost")


# --- Moving it, turning it off, and the sessions left open ----------------------------------


def log_in_with_code(client, user, code):
    """Log `client` in with the password and then `code`; the session is verified."""
    log_in(client, user)
    response = client.post(reverse("second-factor-verify"), {"code": code})
    assert response.status_code == 302, response.content.decode()
    return client


def open_unverified_session(client, user):
    """A logged-in session of `user` that never gave a code and is not held at the code step:
    one opened before the factor was set up, and kept from before set-up logged such sessions
    out."""
    client.force_login(user)
    session = client.session
    session.pop(second_factor.PENDING)
    session.save()


def is_logged_in(client):
    response = client.get(reverse("account"))
    return response.status_code == 200


def test_a_session_opened_before_the_set_up_cannot_move_the_factor(client, bob):
    device, _codes = set_up(bob)
    open_unverified_session(client, bob)
    page = client.get(reverse("second-factor-setup"))
    assert page.status_code == 403
    assert "Log in with your second factor first" in page.content.decode()
    assert "<svg" not in page.content.decode()
    assert not TOTPDevice.objects.filter(user=bob, confirmed=False).exists()
    # Even with a device of its own making and the right code for it, a POST changes nothing.
    planted = TOTPDevice.objects.create(user=bob, name="planted", confirmed=False)
    response = client.post(reverse("second-factor-setup"), {"code": code_for(planted)})
    assert response.status_code == 403
    assert list(TOTPDevice.objects.filter(user=bob, confirmed=True)) == [device]
    planted.refresh_from_db()
    assert not planted.confirmed


def test_a_half_finished_set_up_is_never_shown_to_another_session(bob, alice):
    """The key on the set-up page stays with the session that was shown it: one seen by
    another session (someone else's, perhaps) is never the one the user confirms."""
    first, second = Client(), Client()
    first.force_login(bob)
    second.force_login(bob)
    first.get(reverse("second-factor-setup"))
    shown_first = TOTPDevice.objects.get(user=bob, confirmed=False)
    assert first.get(reverse("second-factor-setup")).status_code == 200  # a reload keeps it
    assert TOTPDevice.objects.get(user=bob, confirmed=False) == shown_first
    page = second.get(reverse("second-factor-setup")).content.decode()
    shown_second = TOTPDevice.objects.get(user=bob, confirmed=False)
    assert shown_second != shown_first
    assert second_factor.secret_text(shown_first) not in page
    response = first.post(reverse("second-factor-setup"), {"code": code_for(shown_first)})
    assert "That code is not right" in response.content.decode()
    assert not second_factor.has_second_factor(bob)


def test_the_domain_refuses_to_replace_a_factor_for_an_unverified_session(bob):
    device, _codes = set_up(bob)
    with pytest.raises(second_factor.SecondFactorRefused, match="second factor first"):
        second_factor.start_setup(bob, verified=False)
    new = TOTPDevice.objects.create(user=bob, name="new", confirmed=False)
    with pytest.raises(second_factor.SecondFactorRefused, match="second factor first"):
        second_factor.confirm_setup(bob, new, code_for(new), verified=False)
    assert list(TOTPDevice.objects.filter(user=bob, confirmed=True)) == [device]


def test_new_recovery_codes_need_a_verified_session(client, bob):
    _device, codes = set_up(bob)
    with pytest.raises(second_factor.SecondFactorRefused, match="second factor first"):
        second_factor.new_recovery_codes(bob, verified=False)
    open_unverified_session(client, bob)
    response = client.post(reverse("second-factor-recovery-codes"), follow=True)
    assert "second factor first" in response.content.decode()
    assert second_factor.verify(bob, codes[0]) is not None  # the old codes still work


def test_a_verified_session_moves_the_factor_to_another_phone(bob, no_device_delay):
    old, codes = set_up(bob)
    client = log_in_with_code(Client(), bob, codes[0])
    assert "<svg" in client.get(reverse("second-factor-setup")).content.decode()
    new = TOTPDevice.objects.get(user=bob, confirmed=False)
    response = client.post(reverse("second-factor-setup"), {"code": code_for(new)})
    assert "Your recovery codes" in response.content.decode()
    assert list(TOTPDevice.objects.filter(user=bob, confirmed=True)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert second_factor.verify(bob, codes[1]) is None  # the old recovery codes went too
    assert is_logged_in(client)


def test_the_account_page_offers_changes_only_to_a_verified_session(client, bob):
    set_up(bob)
    open_unverified_session(client, bob)
    page = client.get(reverse("account")).content.decode()
    assert "Log out and log in again with it" in page
    assert reverse("second-factor-disable") not in page


def test_set_up_logs_out_every_other_session_and_rotates_its_own(bob, alice):
    other = Client()
    log_in(other, bob)
    someone_else = Client()
    log_in(someone_else, alice)
    client = Client()
    log_in(client, bob)
    key_before = client.session.session_key
    client.get(reverse("second-factor-setup"))
    device = TOTPDevice.objects.get(user=bob, confirmed=False)
    response = client.post(reverse("second-factor-setup"), {"code": code_for(device)})
    assert "Your recovery codes" in response.content.decode()
    assert not is_logged_in(other)
    assert is_logged_in(someone_else)
    assert is_logged_in(client)
    assert client.session.session_key != key_before
    assert not Session.objects.filter(session_key=key_before).exists()


def test_moving_the_factor_logs_out_every_other_session(bob, no_device_delay):
    _old, codes = set_up(bob)
    other = log_in_with_code(Client(), bob, codes[0])
    client = log_in_with_code(Client(), bob, codes[1])
    client.get(reverse("second-factor-setup"))
    new = TOTPDevice.objects.get(user=bob, confirmed=False)
    client.post(reverse("second-factor-setup"), {"code": code_for(new)})
    assert not is_logged_in(other)
    assert is_logged_in(client)


def test_the_reset_command_logs_out_every_session(bob, alice, no_device_delay):
    _device, codes = set_up(bob)
    first = log_in_with_code(Client(), bob, codes[0])
    second, someone_else = Client(), Client()
    second.force_login(bob)
    someone_else.force_login(alice)
    call_command("reset_second_factor", "--user", "bob", stdout=io.StringIO())
    assert not is_logged_in(first)
    assert not is_logged_in(second)
    assert is_logged_in(someone_else)


# --- Turning it off asks for the password or a code ------------------------------------------


def test_turning_it_off_without_a_proof_changes_nothing(bob, no_device_delay):
    _device, codes = set_up(bob)
    client = log_in_with_code(Client(), bob, codes[0])
    for proof in ("", "wrong-password", "000000", codes[0]):
        response = client.post(reverse("second-factor-disable"), {"proof": proof})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Your account" in page
        assert "This field is required" in page if not proof else "neither your password" in page, (
            proof
        )
        assert second_factor.has_second_factor(bob)


def test_turning_it_off_with_the_password_logs_out_the_other_sessions(bob, no_device_delay):
    _device, codes = set_up(bob)
    other = log_in_with_code(Client(), bob, codes[0])
    client = log_in_with_code(Client(), bob, codes[1])
    key_before = client.session.session_key
    response = client.post(reverse("second-factor-disable"), {"proof": PASSWORD})
    assert response.status_code == 302
    assert not second_factor.has_second_factor(bob)
    assert not StaticToken.objects.filter(device__user=bob).exists()
    assert not is_logged_in(other)
    assert is_logged_in(client)
    assert client.session.session_key != key_before


def test_turning_it_off_with_a_current_code(bob, no_device_delay):
    device, codes = set_up(bob)
    client = log_in_with_code(Client(), bob, codes[0])
    response = client.post(reverse("second-factor-disable"), {"proof": code_for(device, 1)})
    assert response.status_code == 302
    assert not second_factor.has_second_factor(bob)


def test_turning_it_off_needs_a_verified_session(client, bob):
    set_up(bob)
    open_unverified_session(client, bob)
    response = client.post(reverse("second-factor-disable"), {"proof": PASSWORD})
    assert "second factor first" in response.content.decode()
    assert second_factor.has_second_factor(bob)
    with pytest.raises(second_factor.SecondFactorRefused):
        second_factor.turn_off(bob, PASSWORD, verified=False, address="")
    assert second_factor.has_second_factor(bob)


def test_wrong_proofs_to_turn_it_off_are_throttled(bob, no_device_delay):
    _device, codes = set_up(bob)
    client = log_in_with_code(Client(), bob, codes[0])
    url = reverse("second-factor-disable")
    pages = [client.post(url, {"proof": f"guess-{n}"}).content.decode() for n in range(8)]
    assert "Too many" in pages[-1]
    assert "Too many" in client.post(url, {"proof": PASSWORD}).content.decode()
    assert second_factor.has_second_factor(bob)


# --- Recovery codes are stored hashed ------------------------------------------------------


def test_recovery_codes_are_stored_only_as_hashes(bob):
    _device, codes = set_up(bob)
    assert len(codes) == 10
    for code in codes:
        normalised = code.replace(" ", "")
        assert re.fullmatch(r"[0-9a-f]{20}", normalised)  # 80 bits
    stored = set(StaticToken.objects.filter(device__user=bob).values_list("token", flat=True))
    assert len(stored) == 10
    for code in codes:
        for form in (code, code.replace(" ", ""), code.upper()):
            assert form not in stored
            assert not any(form.replace(" ", "")[:10] in token for token in stored)
    assert second_factor.verify(bob, codes[3]) is not None
    assert len(StaticToken.objects.filter(device__user=bob)) == 9
    assert second_factor.verify(bob, codes[3].replace(" ", "-")) is None


def test_recovery_codes_are_accepted_without_spaces_or_in_capitals(bob):
    _device, codes = set_up(bob)
    assert second_factor.verify(bob, codes[0].replace(" ", "")) is not None
    assert second_factor.verify(bob, codes[1].upper()) is not None
    assert second_factor.verify(bob, f"  {codes[2]}  ") is not None


# --- Each change is logged -----------------------------------------------------------------


def test_each_change_to_the_factor_is_logged(bob, caplog, no_device_delay):
    with caplog.at_level(logging.INFO, logger="claims.access.second_factor"):
        set_up(bob)
        second_factor.new_recovery_codes(bob, verified=True)
        call_command("reset_second_factor", "--user", "bob", stdout=io.StringIO())
    lines = [r.getMessage() for r in caplog.records if r.name == "claims.access.second_factor"]
    assert [line.split()[0] for line in lines] == [
        "second_factor.on",
        "second_factor.recovery_codes",
        "second_factor.off",
    ]
    assert all("user=bob" in line for line in lines)
    assert "reason=reset" in lines[-1]


def test_ending_sessions_costs_the_same_queries_however_many_there_are(
    bob, alice, django_assert_num_queries
):
    for count in (2, 30):
        for _ in range(count):
            Client().force_login(bob)
            Client().force_login(alice)
        keep = Client()
        keep.force_login(bob)
        key = keep.session.session_key
        with django_assert_num_queries(2):  # read the sessions, delete bob's
            ended = second_factor.end_sessions(bob, keep_session_key=key)
        assert ended == count
        assert is_logged_in(keep)
        Session.objects.all().delete()
