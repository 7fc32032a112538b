"""A reviewer pastes a link on a claim, watches it being captured, and reads the archive.

The capture goes through the real database queue and django-tasks-db's worker, and fetches from
the loopback page server only. The worker runs in the test's own thread at the moment the test
chooses: with SQLite the live server shares the test's in-memory database connection, and a
worker thread with a connection of its own would meet "database table is locked".
"""

import io

import pytest
from django.core.management import call_command
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from claims.models import Claim, Snapshot
from tests.e2e.conftest import log_in
from tests.pages import ARTICLE_HTML, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def run_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def run():
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="e2e-worker",
            excluded_queue_names=[],
        ).run()

    return run


def test_reviewer_pastes_a_link_and_watches_it_archived(new_page, pages, run_worker, tmp_path):
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())
    call_command("load_demo", stdout=io.StringIO())
    claim = Claim.objects.filter(investigation__slug="almaty-2022").exclude(status="suggested")[0]

    page = new_page()
    log_in(page, "reviewer")
    page.goto(claim.get_absolute_url())
    panel = page.locator("#evidence-panel")
    page.get_by_label("Link to archive").fill(pages.url("/article"))
    page.get_by_label("How it bears on the claim").select_option("supports")
    page.get_by_role("button", name="Archive and cite").click()

    item = panel.locator("article.evidence[data-poll]")
    expect(item).to_contain_text("Waiting for the capture worker…")
    expect(item).to_have_attribute("hx-trigger", "every 1s")
    page.screenshot(path=str(tmp_path / "waiting.png"))

    run_worker()

    # No reload: the polling item picks up the result, then stops polling.
    item = panel.locator("article.evidence", has_text="Water levels on the Vessa")
    expect(item.locator(".archive-done")).to_have_text("Archived")
    expect(item).not_to_have_attribute("hx-trigger", "every 1s")

    snapshot = Snapshot.objects.get(status="done")
    expect(item.locator("code.hash")).to_have_text(snapshot.sha256)
    expect(item).to_contain_text("Mara Quist")
    expect(item).to_contain_text("River Courier")
    expect(item).to_contain_text("https://courier.example/vessa/water-levels")
    item.get_by_text("Archived text").click()
    expect(item.locator(".archived-text")).to_contain_text(
        "About 1,200 homes in Marrow were flooded"
    )
    # The log is fetched when its box is opened (the box also holds a no-JavaScript link).
    item.locator("summary", has_text="Collection log").click()
    expect(item.locator(".collection-log table")).to_contain_text("reviewer")
    page.screenshot(path=str(tmp_path / "archived-1280.png"), full_page=True)
    narrow = new_page(width=390, height=844)
    log_in(narrow, "reviewer")
    narrow.goto(claim.get_absolute_url())
    narrow.screenshot(path=str(tmp_path / "archived-390.png"), full_page=True)
