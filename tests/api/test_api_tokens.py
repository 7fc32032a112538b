"""Personal API tokens: stored hashed, found by prefix, revoked, made on a page or by command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims.access import tokens
from claims.models import ApiToken
from tests.factories import make_user

# --- The domain ---------------------------------------------------------------------------------


def test_only_a_hash_of_the_token_is_kept(alice):
    row, token = tokens.create_token(alice, name="script")
    row.refresh_from_db()
    assert token.startswith(f"fcw_{row.prefix}_")
    assert len(token) > 50
    stored = [str(value) for value in ApiToken.objects.values_list().get()]
    assert token not in stored
    assert token.rsplit("_", 1)[1] not in "".join(stored)


def test_the_token_finds_its_row_and_nothing_else_does(alice):
    row, token = tokens.create_token(alice, name="script")
    assert tokens.find_token(token) == row
    assert tokens.find_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert tokens.find_token(f"fcw_{row.prefix}_") is None
    assert tokens.find_token("") is None
    assert tokens.find_token("fcw_short") is None
    assert tokens.find_token("x" * 500) is None


def test_a_revoked_token_or_an_inactive_account_opens_nothing(alice, bob):
    row, token = tokens.create_token(alice, name="script")
    assert tokens.revoke_token(bob, row.pk) is None  # not Bob's to revoke
    assert tokens.find_token(token) == row
    revoked = tokens.revoke_token(alice, row.pk)
    assert revoked.revoked_at is not None
    assert tokens.find_token(token) is None
    _row, other = tokens.create_token(bob, name="bob's")
    bob.is_active = False
    bob.save()
    assert tokens.find_token(other) is None


def test_last_used_moves_at_most_once_a_minute(alice, django_assert_num_queries):
    row, token = tokens.create_token(alice, name="script")
    start = timezone.now()
    tokens.find_token(token, now=start)
    row.refresh_from_db()
    assert row.last_used_at == start
    with django_assert_num_queries(1):  # the lookup, no write
        tokens.find_token(token, now=start + timedelta(seconds=59))
    tokens.find_token(token, now=start + timedelta(seconds=61))
    row.refresh_from_db()
    assert row.last_used_at == start + timedelta(seconds=61)


def test_a_token_needs_a_name(alice):
    with pytest.raises(tokens.TokenRefused):
        tokens.create_token(alice, name="   ")
    assert not ApiToken.objects.exists()


# --- The command --------------------------------------------------------------------------------


def test_the_command_prints_a_working_token(alice):
    out = StringIO()
    call_command(
        "create_api_token", "--user", "alice", "--name", "nightly", "--read-only", stdout=out
    )
    token = out.getvalue().strip()
    row = tokens.find_token(token)
    assert row.user == alice
    assert row.is_read_only
    assert row.name == "nightly"


def test_the_command_refuses_an_unknown_user_in_one_line(db):
    with pytest.raises(CommandError, match=r"^No user named 'nobody'\.$"):
        call_command("create_api_token", "--user", "nobody", "--name", "x")
    assert not ApiToken.objects.exists()


# --- The page -----------------------------------------------------------------------------------

URL = "/account/tokens/"


def test_the_page_is_at_its_address():
    assert reverse("claims:api-tokens") == URL


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_new_token_is_shown_once_and_works(client, alice):
    client.force_login(alice)
    response = client.post(URL, {"name": "newsroom importer"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    row = ApiToken.objects.get()
    page = response.content.decode()
    token = page.split('id="new-token" class="token-value" readonly value="', 1)[1].split('"')[0]
    assert tokens.find_token(token) == row
    assert not row.is_read_only
    again = client.get(URL).content.decode()
    assert "newsroom importer" in again
    assert token not in again


def test_a_token_without_a_name_is_refused_with_a_message(client, alice):
    client.force_login(alice)
    response = client.post(URL, {"name": "", "is_read_only": "on"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_from_the_page(client, alice):
    row, token = tokens.create_token(alice, name="old script")
    client.force_login(alice)
    response = client.post(reverse("claims:api-token-revoke"), {"token": row.pk})
    assert response.status_code == 302
    assert tokens.find_token(token) is None
    assert "Revoked" in client.get(URL).content.decode()


def test_nobody_revokes_someone_elses_token(client, alice, carol):
    row, token = tokens.create_token(alice, name="alice's")
    client.force_login(carol)
    assert client.post(reverse("claims:api-token-revoke"), {"token": row.pk}).status_code == 404
    assert tokens.find_token(token) == row


def test_the_page_lists_only_my_tokens(client, alice, bob):
    tokens.create_token(bob, name="bob's secret script")
    client.force_login(alice)
    assert "bob's secret script" not in client.get(URL).content.decode()


def test_posts_need_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(URL, {"name": "x"}).status_code == 403
    row, _ = tokens.create_token(alice, name="kept")
    assert client.post(reverse("claims:api-token-revoke"), {"token": row.pk}).status_code == 403
    assert ApiToken.objects.count() == 1


def test_wrong_methods_are_405(client, alice):
    client.force_login(alice)
    assert client.get(reverse("claims:api-token-revoke")).status_code == 405
    assert client.put(URL).status_code == 405


def test_the_page_query_budget_stays_flat(client, alice, django_assert_max_num_queries):
    client.force_login(alice)
    for number in range(10):
        tokens.create_token(alice, name=f"token {number}")
    with django_assert_max_num_queries(6):
        client.get(URL)


def test_tokens_of_a_deleted_user_go_with_it(db):
    user = make_user("temporary")
    tokens.create_token(user, name="x")
    user.delete()
    assert not ApiToken.objects.exists()
