"""Kept pages live in files every server process shares (settings CACHE, CACHE_DIR)."""

import errno
import os
import stat
import tempfile

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.test import override_settings
from django.urls import reverse

from claims.access import investigations
from claims.listing import page_cache
from claims.models import Investigation
from factcheck.file_cache import FileCache
from tests.factories import make_many_claims
from tests.test_settings import start_up
from tests.views.test_page_cache import QUERIES_OF_A_REUSED_PAGE, csrf_tokens, without_tokens


def cache_files():
    return [
        os.path.join(folder, name)
        for folder, _, names in os.walk(settings.CACHE_DIR)
        for name in names
        if name.endswith(".djcache")
    ]


@pytest.fixture
def claim(investigation):
    [claim] = make_many_claims(investigation, 1)
    return claim


@pytest.fixture
def claim_url(claim):
    return reverse("claims:claim-detail", args=[claim.pk])


def another_process(monkeypatch):
    """What a second gunicorn worker has: its own cache object on the same directory, and
    its own placeholder for the CSRF token, worked out afresh."""
    location = settings.CACHES["default"]["LOCATION"]
    monkeypatch.setattr(page_cache, "cache", FileBasedCache(location, settings.CACHES["default"]))
    page_cache._csrf_placeholder.cache_clear()


def test_the_tests_run_on_the_default_file_cache():
    assert settings.CACHE == "files"
    assert isinstance(caches["default"], FileCache)


def test_a_full_disk_costs_the_kept_page_not_the_page(client, bob, claim_url, monkeypatch, caplog):
    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    client.force_login(bob)
    monkeypatch.setattr(tempfile, "mkstemp", no_space)
    response = client.get(claim_url)
    assert response.status_code == 200
    assert "csrf-placeholder" not in response.content.decode()
    assert cache_files() == []
    assert "cache entry not kept" in caplog.text
    # Once there is room again, the page is kept as usual.
    monkeypatch.undo()
    client.get(claim_url)
    assert len(cache_files()) == 1


@pytest.mark.parametrize("damage", [b"", b"not a cache entry", b"\x80\x04K\x00."])
def test_a_damaged_entry_is_a_miss_and_is_replaced(client, bob, claim_url, damage):
    client.force_login(bob)
    first = client.get(claim_url).content.decode()
    [name] = cache_files()
    with open(name, "wb") as file:
        file.write(damage)
    second = client.get(claim_url)
    assert second.status_code == 200
    assert without_tokens(second.content.decode()) == without_tokens(first)
    # Drawn afresh and kept again: the third load reads the new entry.
    assert os.path.getsize(name) > 100


def test_a_page_one_process_kept_is_served_by_another_with_its_own_working_token(
    client, bob, claim, claim_url, monkeypatch, django_assert_max_num_queries
):
    client.force_login(bob)
    first = client.get(claim_url).content.decode()
    another_process(monkeypatch)
    with django_assert_max_num_queries(QUERIES_OF_A_REUSED_PAGE):
        second = client.get(claim_url).content.decode()
    assert "csrf-placeholder" not in second
    assert without_tokens(first) == without_tokens(second)
    # The kept page's comment form posts with the token the second process put in.
    client.handler.enforce_csrf_checks = True
    [token] = csrf_tokens(second)
    response = client.post(
        reverse("claims:comment-add", args=[claim.pk]),
        {"csrfmiddlewaretoken": token, "body": "Seen from the second worker."},
    )
    assert response.status_code in (200, 302)
    assert "Seen from the second worker." in client.get(claim_url).content.decode()


def test_the_placeholder_is_the_same_in_every_process_and_secret():
    placeholder = page_cache._csrf_placeholder()
    page_cache._csrf_placeholder.cache_clear()
    assert page_cache._csrf_placeholder() == placeholder
    with override_settings(SECRET_KEY="another-deployment-entirely-" + "x" * 30):
        page_cache._csrf_placeholder.cache_clear()
        other = page_cache._csrf_placeholder()
    page_cache._csrf_placeholder.cache_clear()
    assert other != placeholder


def test_kept_pages_are_readable_by_the_servers_user_only(client, bob, claim_url):
    client.force_login(bob)
    client.get(claim_url)
    files = cache_files()
    assert files
    assert stat.S_IMODE(os.stat(settings.CACHE_DIR).st_mode) == 0o700
    assert {stat.S_IMODE(os.stat(name).st_mode) for name in files} == {0o600}


# The rule is the model's (a post_delete receiver): it holds whatever door deletes.
DELETING_DOORS = {
    "the owner's page": lambda investigation, owner: investigations.delete(
        investigation, actor=owner, confirmation=investigation.slug
    ),
    "a shell": lambda investigation, owner: Investigation.objects.filter(
        pk=investigation.pk
    ).delete(),
}


@pytest.mark.parametrize("door", DELETING_DOORS)
def test_deleting_an_investigation_removes_its_kept_pages_from_disk(
    client, alice, investigation, claim_url, django_capture_on_commit_callbacks, door
):
    client.force_login(alice)
    client.get(claim_url)
    assert cache_files()
    with django_capture_on_commit_callbacks(execute=True):
        DELETING_DOORS[door](investigation, alice)
    assert not Investigation.objects.filter(pk=investigation.pk).exists()
    assert cache_files() == []


def settings_value(expression, **env):
    result = start_up(f"import factcheck.settings as s; print({expression})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_two_databases_or_secret_keys_never_share_keys():
    prefix = 's.CACHES["default"]["KEY_PREFIX"]'
    sqlite = settings_value(prefix, DATABASE_URL="")
    postgres = settings_value(prefix, DATABASE_URL="postgres://u@127.0.0.1:5432/factcheck")
    other = settings_value(prefix, DATABASE_URL="postgres://u@127.0.0.1:5432/another")
    again = settings_value(prefix, DATABASE_URL="postgres://u@127.0.0.1:5432/another")
    assert len({sqlite, postgres, other}) == 3
    assert again == other
    another_key = settings_value(
        prefix, DATABASE_URL="postgres://u@127.0.0.1:5432/another", SECRET_KEY="k" * 50
    )
    assert another_key != other


def test_cache_memory_keeps_pages_in_each_process():
    backend = settings_value('s.CACHES["default"]["BACKEND"]', CACHE="memory")
    assert backend == "django.core.cache.backends.locmem.LocMemCache"


def test_a_bad_cache_choice_stops_start_up_with_one_line():
    result = start_up(CACHE="redis")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: "
        "CACHE must be 'files' or 'memory', not 'redis'"
    )
