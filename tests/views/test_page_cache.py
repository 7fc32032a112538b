"""The claim list's rendered pages are reused only while nothing they show has changed."""

import re

import pytest
from django.db import connection, transaction
from django.urls import reverse

from claims.models import Claim, Investigation
from claims.views import claim_list, investigation_page
from tests.clients import HTMX
from tests.factories import make_many_claims

# Session, user, membership with its investigation, database version.
QUERIES_OF_A_REUSED_PAGE = 4


@pytest.fixture
def many(investigation):
    return make_many_claims(investigation, 8)


def list_url(investigation, query=""):
    return reverse("claims:claim-list", args=[investigation.slug]) + query


def without_tokens(body):
    """The page less its CSRF tokens, which differ from one response to the next."""
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", body)


def csrf_tokens(body):
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body))


def test_a_repeated_load_reuses_the_page_with_a_fresh_usable_token(
    client, bob, investigation, many, django_assert_max_num_queries
):
    client.force_login(bob)
    first = client.get(list_url(investigation)).content.decode()
    with django_assert_max_num_queries(QUERIES_OF_A_REUSED_PAGE):
        second = client.get(list_url(investigation)).content.decode()
    assert "csrf-placeholder" not in first + second
    assert without_tokens(first) == without_tokens(second)
    # The reused page's "Take" form posts with the token it carries, CSRF checks on.
    client.handler.enforce_csrf_checks = True
    [token] = csrf_tokens(second)
    claim = many[2]
    response = client.post(
        reverse("claims:claim-assign", args=[claim.pk]),
        {"csrfmiddlewaretoken": token, "assignee": "me", "seen": "", "from": "list"},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.assignee == bob


def load(client, url):
    """The page as the next plain load shows it, once any message of the last change is shown.

    A page with a message waiting is never kept, so only the load after it could be a kept one.
    """
    client.get(url)
    return client.get(url).content.decode()


def test_each_change_made_in_the_workbench_shows_on_the_next_load(
    client, bob, erin, investigation, many
):
    client.force_login(bob)
    claim = many[0]
    assert "border-crossing" not in load(client, list_url(investigation))
    client.post(reverse("claims:claim-tag", args=[claim.pk]), {"add": "border-crossing"})
    assert "border-crossing" in load(client, list_url(investigation))
    client.post(
        reverse("claims:claim-assign", args=[claim.pk]),
        {"assignee": "me", "seen": "", "from": "list"},
    )
    row = re.search(
        rf'id="claim-row-{claim.pk}".*?</tr>', load(client, list_url(investigation)), re.S
    )
    assert "bob" in row.group(0)
    assert "data-assign-me" not in row.group(0)
    # Another member's change counts as well.
    client.force_login(erin)
    client.post(reverse("claims:claim-tag", args=[many[1].pk]), {"add": "erins-tag"})
    client.force_login(bob)
    assert "erins-tag" in load(client, list_url(investigation))


def test_pages_are_kept_per_user_and_per_url(client, bob, rita, victor, investigation, many):
    client.force_login(bob)
    assert ">bob</summary>" in load(client, list_url(investigation))
    client.force_login(rita)  # the same role as Bob's
    as_rita = load(client, list_url(investigation))
    assert ">rita</summary>" in as_rita
    assert ">bob</summary>" not in as_rita
    client.force_login(victor)
    as_viewer = client.get(list_url(investigation)).content.decode()
    assert ">victor</summary>" in as_viewer
    assert ">bob</summary>" not in as_viewer
    assert "data-assign-me" not in as_viewer  # a viewer's page has no Take buttons
    fragment = client.get(list_url(investigation), **HTMX).content.decode()
    assert "<html" not in fragment
    whole = client.get(list_url(investigation)).content.decode()
    assert "<html" in whole
    searched = client.get(list_url(investigation, "?q=Item+3")).content.decode()
    assert "Item 3:" in searched
    assert "Item 4:" not in searched


def test_a_page_with_messages_is_rendered_for_them_and_not_kept(client, bob, investigation, many):
    client.force_login(bob)
    client.get(list_url(investigation))
    next_url = list_url(investigation)
    response = client.post(
        reverse("claims:claim-assign", args=[many[5].pk]),
        {"assignee": "me", "seen": "", "from": "list", "next": next_url},
    )
    assert response.status_code == 302
    with_message = client.get(next_url).content.decode()
    assert "message-success" in with_message
    assert "message-success" not in client.get(next_url).content.decode()  # shown once


def test_reading_mentions_updates_the_badge_on_a_kept_page(client, bob, erin, investigation, many):
    client.force_login(erin)
    client.post(reverse("claims:comment-add", args=[many[0].pk]), {"body": "@bob look here"})
    client.force_login(bob)

    def badge():
        body = client.get(list_url(investigation)).content.decode()
        return re.search(r'<span class="count" aria-label="(\w+) items">', body).group(1)

    badge()  # shows Erin's "Comment added" (messages travel in a cookie) and so is not kept
    before = badge()
    assert int(before) >= 1
    client.post(reverse("claims:mentions-read"))
    client.get(reverse("claims:queue"))  # shows, and so uses up, the "marked as read" message
    assert int(badge()) == int(before) - 1


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="other PostgreSQL sessions"
)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_change_outside_the_audit_trail_is_seen_too(
    client, bob, investigation, many
):
    # Committed by itself, as psql would: no audit event, only the counter moves.
    client.force_login(bob)
    client.get(list_url(investigation))
    Claim.objects.filter(pk=many[0].pk).update(statement="Changed behind the workbench's back")
    assert "Changed behind" in client.get(list_url(investigation)).content.decode()


@on_postgresql
def test_on_postgresql_other_transactions_on_the_server_leave_kept_pages_alone(
    client, bob, investigation, many, other_session, django_assert_max_num_queries
):
    client.force_login(bob)
    client.get(list_url(investigation))
    # Writes that commit elsewhere, to no table a page shows: in this database and another.
    for dbname in (None, "postgres"):
        with other_session(dbname) as elsewhere:
            elsewhere.execute("CREATE TEMP TABLE unrelated (x int)")
            elsewhere.execute("INSERT INTO unrelated VALUES (1)")
            elsewhere.commit()
    with django_assert_max_num_queries(QUERIES_OF_A_REUSED_PAGE):
        client.get(list_url(investigation))


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_page_rendered_during_a_write_is_not_kept_past_its_commit(
    client, bob, investigation, many, other_session
):
    client.force_login(bob)
    claim = many[0]
    assert "Rewritten elsewhere" not in load(client, list_url(investigation))
    writer = other_session()  # not autocommit: the update waits for commit() below
    writer.execute(
        f"UPDATE {Claim._meta.db_table} SET statement = %s WHERE id = %s",  # noqa: S608
        ["Rewritten elsewhere", claim.pk],
    )
    # The counter has moved, the row has not changed for anyone else yet.
    assert "Rewritten elsewhere" not in client.get(list_url(investigation)).content.decode()
    writer.commit()
    # The version is the one the load above read; what it rendered must not come back.
    assert "Rewritten elsewhere" in client.get(list_url(investigation)).content.decode()
    assert "Rewritten elsewhere" in client.get(list_url(investigation)).content.decode()


class RolledBack(Exception):
    pass


def test_a_page_rendered_inside_a_rolled_back_savepoint_is_not_reused(
    client, bob, investigation, many
):
    # The test's own transaction has written (its fixtures), as a request inside a larger
    # transaction would have; what it renders before a rollback must not outlive it.
    client.force_login(bob)
    load(client, list_url(investigation))

    def change_view_then_undo():
        with transaction.atomic():
            Claim.objects.filter(pk=many[0].pk).update(statement="Undone before long")
            assert "Undone before long" in client.get(list_url(investigation)).content.decode()
            raise RolledBack

    with pytest.raises(RolledBack):
        change_view_then_undo()
    assert "Undone before long" not in client.get(list_url(investigation)).content.decode()


def test_with_the_cache_off_every_load_renders(
    client, bob, investigation, many, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(bob)
    client.get(list_url(investigation))
    with django_assert_num_queries(11):
        client.get(list_url(investigation))
    Claim.objects.filter(pk=many[0].pk).update(statement="Changed behind the workbench's back")
    assert "Changed behind" in client.get(list_url(investigation)).content.decode()


def test_the_investigation_page_is_reused_until_a_change(
    client, bob, investigation, many, django_assert_max_num_queries
):
    page = reverse("claims:investigation-detail", args=[investigation.slug])
    client.force_login(bob)
    first = load(client, page)
    with django_assert_max_num_queries(QUERIES_OF_A_REUSED_PAGE):
        again = client.get(page).content.decode()
    assert without_tokens(again) == without_tokens(first)
    client.post(reverse("claims:claim-tag", args=[many[0].pk]), {"add": "dashboard-tag"})
    assert "dashboard-tag" in load(client, page)  # the change, in the recent activity


@pytest.mark.parametrize("view_module", [claim_list, investigation_page])
def test_a_write_just_after_the_investigation_is_read_is_not_kept_unseen(
    client, bob, investigation, many, monkeypatch, view_module
):
    """The version is read before the rows the page shows: a rename committed between the
    investigation's read and the render must not be served from the kept page afterwards."""
    read = view_module.get_investigation_for_user

    def read_then_rename(*args, **kwargs):
        loaded = read(*args, **kwargs)
        Investigation.objects.filter(pk=investigation.pk).update(title="Renamed meanwhile")
        return loaded

    client.force_login(bob)
    url = (
        list_url(investigation)
        if view_module is claim_list
        else reverse("claims:investigation-detail", args=[investigation.slug])
    )
    old_title = investigation.title
    monkeypatch.setattr(view_module, "get_investigation_for_user", read_then_rename)
    assert old_title in client.get(url).content.decode()  # the page's row was read before
    monkeypatch.undo()
    assert old_title not in client.get(url).content.decode()
