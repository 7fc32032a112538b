"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Flags for a closed network and a root user in CI; see the machine notes in the README.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM must be allowed here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Factory: a page in a fresh browser context (its own cookies), i.e. another person.

    Every page is watched: an uncaught script error or a console error (a CSP violation, a
    failed request, an htmx error response) fails the test, after its own assertions.
    """
    contexts, problems = [], []

    def make(width=1280, height=900, **options):
        """`options` go to the browser context as they are (java_script_enabled=False...)."""
        context = browser.new_context(
            viewport={"width": width, "height": height},
            base_url=live_server.url,
            accept_downloads=True,
            **options,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        watch(page, problems)
        return page

    yield make
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("The browser reported errors:\n" + "\n".join(problems))


@pytest.fixture
def shoot(tmp_path):
    """Take a full-page screenshot into $E2E_SHOTS (default: the test's temporary directory),
    to be looked at: shoot(page, "name.png")."""
    shots = Path(os.environ.get("E2E_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(shots / name), full_page=True)

    return take


def watch(page, problems):
    """Collect `page`'s uncaught errors and console errors into `problems`."""

    def on_console(message):
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            problems.append(f"console error on {page.url}: {message.text} ({where})")

    page.on("pageerror", lambda error: problems.append(f"page error on {page.url}: {error}"))
    page.on("console", on_console)


def log_in(page, username, password="factcheck-demo"):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core on the page; return its violations of the given impacts.

    The script is evaluated through the DevTools protocol, which the page's CSP (script-src
    'self') does not govern, so the app never serves it.
    """
    # A panel loaded after the page (hx-trigger="load") settles for a moment with the old
    # element's classes, "htmx-request" among them, which dims its buttons: wait it out, or
    # axe reads the dimmed colours now and then.
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')"
    )
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async () => await window.axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def add_evidence(page, url, title, stance="supports"):
    """On a claim page: cite a page through the "Add evidence" form and wait for it."""
    from playwright.sync_api import expect

    page.locator("summary", has_text="Add evidence").click()
    page.get_by_label("URL").fill(url)
    page.get_by_label("Title").fill(title)
    page.locator("#evidence-panel form").last.get_by_label("Stance").select_option(stance)
    page.get_by_role("button", name="Add evidence").click()
    expect(page.locator("#evidence-panel")).to_contain_text(title)


def propose_verdict(page, rating, rationale):
    """On a claim page: propose a verdict through the verdict panel."""
    page.get_by_label("Rating").select_option(rating)
    page.get_by_label("Rationale").fill(rationale)
    page.get_by_role("button", name="Propose verdict").click()
