"""Take screenshots of the main pages at desktop and phone widths, for looking at the UI.

Usage: .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 OUT_DIR [username]
Needs the demo data (make run) and Debian's Chromium.
"""

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main(base, out, username="reviewer"):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width, label in [(1280, "desktop"), (390, "phone")]:
            context = browser.new_context(viewport={"width": width, "height": 900}, base_url=base)
            page = context.new_page()
            page.goto("/accounts/login/")
            page.screenshot(path=out / f"{label}-login.png", full_page=True)
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill("factcheck-demo")
            page.get_by_role("button", name="Log in").click()
            page.wait_for_load_state()
            page.screenshot(path=out / f"{label}-investigations.png", full_page=True)
            page.goto("/i/almaty-2022/")
            page.screenshot(path=out / f"{label}-overview.png", full_page=True)
            source_href = page.locator("a[href^='/sources/']").first.get_attribute("href")
            page.goto(source_href)
            page.screenshot(path=out / f"{label}-reader.png", full_page=True)
            claim_href = page.locator("a[href^='/claims/']").first.get_attribute("href")
            page.goto(claim_href)
            page.screenshot(path=out / f"{label}-claim.png", full_page=True)
            page.goto("/i/almaty-2022/claims/")
            page.screenshot(path=out / f"{label}-claims.png", full_page=True)
            page.goto("/i/almaty-2022/report/")
            page.screenshot(path=out / f"{label}-report.png", full_page=True)
            page.goto("/queue/")
            page.screenshot(path=out / f"{label}-queue.png", full_page=True)
            page.goto("/i/almaty-2022/activity/")
            page.screenshot(path=out / f"{label}-activity.png", full_page=True)
            page.goto("/i/almaty-2022/claims/?verdict=awaiting")
            page.screenshot(path=out / f"{label}-claims-filtered.png", full_page=True)
            context.close()
        browser.close()
    print("\n".join(sorted(p.name for p in out.glob("*.png") if re.match(r"\w", p.name))))


if __name__ == "__main__":
    main(*sys.argv[1:])
