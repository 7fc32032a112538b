"""Kept pages and counts go stale on no write: the database moves the data version itself.

None of the writes below goes through a domain function, and none records an audit event.
"""

import re

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from claims.listing import counting, data_version, page_cache
from claims.listing.sessions import SessionStore
from claims.models import AuditEvent, Claim, ClaimStatus, Comment
from tests.factories import make_many_claims


@pytest.fixture
def many(investigation):
    return make_many_claims(investigation, 4)


def counter():
    """The counter alone, less the writing transaction PostgreSQL's version may name."""
    return data_version.current().split(":")[0]


def load(client, url):
    # Twice: the second load is the one that could come from the cache.
    client.get(url)
    return client.get(url).content.decode()


def test_every_table_a_page_can_show_carries_the_triggers(db):
    tables = set(data_version.tracked_tables())
    assert {Claim._meta.db_table, Comment.mentions.through._meta.db_table} <= tables
    assert "auth_user" in tables
    assert data_version.triggered_tables() >= tables


def test_installing_again_after_migrate_is_harmless(db):
    before = counter()
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate reinstalls
    assert data_version.triggered_tables() >= set(data_version.tracked_tables())
    assert counter() == before


def test_every_kind_of_write_moves_the_version(investigation, many, bob):
    def moves(write):
        before = counter()
        write()
        return counter() != before

    claim = many[0]
    events = AuditEvent.objects.count()
    assert moves(lambda: Claim.objects.filter(pk=claim.pk).update(priority=3))
    claim.refresh_from_db()
    claim.speaker = "A minister"
    assert moves(claim.save)
    assert moves(lambda: Comment.objects.bulk_create([Comment(claim=claim, author=bob, body="x")]))
    assert moves(lambda: Comment.objects.get(body="x").mentions.add(bob))  # a many-to-many row
    assert moves(lambda: Comment.objects.filter(body="x").delete())

    def raw_sql():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Claim._meta.db_table} SET statement = %s WHERE id = %s",  # noqa: S608
                ["Typed into the database", claim.pk],
            )

    assert moves(raw_sql)
    assert AuditEvent.objects.count() == events  # none of it was audited
    assert not moves(lambda: Claim.objects.filter(pk=claim.pk).exists())  # reads do not


def test_an_unaudited_write_shows_on_the_next_load_of_a_kept_page(client, bob, investigation, many):
    client.force_login(bob)
    claims_url = reverse("claims:claim-list", args=[investigation.slug])
    page_url = reverse("claims:investigation-detail", args=[investigation.slug])
    assert "Changed behind" not in load(client, claims_url)
    load(client, page_url)

    Claim.objects.filter(pk=many[0].pk).update(statement="Changed behind the workbench's back")
    assert "Changed behind" in client.get(claims_url).content.decode()

    # A model save, as a shell or a worker would make it: the counts follow.
    claim = Claim.objects.get(pk=many[1].pk)
    claim.status = ClaimStatus.DISMISSED
    claim.save()
    page = client.get(page_url).content.decode()
    counts = dict(re.findall(r'status-(\w+)">[^<]*</span> <span class="num">(\d+)', page))
    assert counts == {"open": "3", "dismissed": "1"}


def test_cached_counts_follow_an_unaudited_write(investigation, many):
    latest = AuditEvent.objects.filter(investigation=investigation).order_by("-pk").first()
    assert counting.status_counts_since(investigation, latest) == {"open": 4}
    Claim.objects.filter(pk=many[0].pk).update(status=ClaimStatus.IN_REVIEW)
    # The same latest audit event as before, yet the counts are new.
    assert counting.status_counts_since(investigation, latest) == {"open": 3, "in_review": 1}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="other PostgreSQL sessions")
@pytest.mark.django_db(transaction=True)
def test_counts_made_while_a_write_is_uncommitted_are_not_kept(investigation, many, other_session):
    latest = AuditEvent.objects.filter(investigation=investigation).order_by("-pk").first()
    assert counting.status_counts_since(investigation, latest) == {"open": 4}
    writer = other_session()
    writer.execute(
        f"UPDATE {Claim._meta.db_table} SET status = %s WHERE id = %s",  # noqa: S608
        [ClaimStatus.IN_REVIEW, many[0].pk],
    )
    assert not data_version.for_keeping()[1]
    assert counting.status_counts_since(investigation, latest) == {"open": 4}
    writer.commit()
    assert data_version.for_keeping()[1]
    assert counting.status_counts_since(investigation, latest) == {"open": 3, "in_review": 1}


def test_a_transaction_is_not_held_up_by_its_own_writes(investigation, many):
    # The test's transaction has written; on PostgreSQL it holds the writers' lock itself.
    Claim.objects.filter(pk=many[0].pk).update(priority=2)
    assert data_version.for_keeping()[1]


def test_the_claim_page_is_kept_and_shows_an_unaudited_write_next_load(
    client, bob, investigation, many, django_assert_num_queries
):
    client.force_login(bob)
    url = many[0].get_absolute_url()
    assert "Changed behind" not in load(client, url)
    # Kept: the session with the data version, the user, and the claim with the member's role
    # (the permission door runs on every load); nothing else of the page is read.
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200

    Claim.objects.filter(pk=many[0].pk).update(statement="Changed behind the workbench's back")
    assert "Changed behind" in client.get(url).content.decode()


def test_the_session_brings_the_version_a_page_would_read(client, bob, investigation):
    client.force_login(bob)
    store = SessionStore(client.session.session_key)
    assert store.get("_auth_user_id") == str(bob.pk)
    assert store.loaded_version == data_version.for_keeping()


@pytest.mark.parametrize("key", ["unknown-session-key-000000000000", ""])
def test_an_unknown_session_is_a_new_empty_one(db, key):
    store = SessionStore(key or None)
    assert dict(store.items()) == {}
    assert store.session_key is None


def test_an_expired_session_is_not_loaded(client, bob, investigation):
    client.force_login(bob)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now())
    assert SessionStore(key).get("_auth_user_id") is None
    assert client.get(reverse("claims:investigation-list")).status_code == 302  # to log in


def test_a_post_reads_the_version_afresh(rf, bob):
    request = rf.post("/")
    request.session = SessionStore()
    request.session.loaded_version = ("0", True)  # as if read before the POST wrote anything
    request._messages = []
    assert page_cache.ticket(request).version == data_version.for_keeping()[0]
