"""A reviewer attaches a photo on a claim page and sees its thumbnail, its metadata and where
else the same picture is cited; the report page offers to include file metadata."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from claims.devdata import photos
from claims.models import Claim, EvidenceFile
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_reviewer_attaches_a_photo_and_sees_it_flagged(new_page, shoot, width, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    demo_photo = EvidenceFile.objects.filter(investigation__slug="almaty-2022").first()
    cited_on = set(
        Claim.objects.filter(citations__evidence__file__isnull=False).values_list("pk", flat=True)
    )
    claim = (
        Claim.objects.filter(investigation__slug="almaty-2022")
        .exclude(status="suggested")
        .exclude(pk__in=cited_on)
        .order_by("pk")
        .first()
    )
    # Another copy of the demo's square photo, as someone might have saved it from a channel.
    copy = photos.photo_bytes(2022, size=(640, 427), quality=60, taken_at="2022:01:06 09:12:00",
                              make="Samsung", model="SM-G991B", gps=(43.2385, 76.9460))  # fmt: skip

    page = new_page(width=width)
    log_in(page, "reviewer")
    page.goto(claim.get_absolute_url())
    panel = page.locator("#evidence-panel")
    panel.get_by_text("Attach a file").click()
    panel.get_by_label("File", exact=True).set_input_files(
        {"name": "square-copy.jpg", "mimeType": "image/jpeg", "buffer": copy}
    )
    panel.get_by_label("How the file bears on the claim").select_option("supports")
    panel.get_by_role("button", name="Attach and cite").click()

    item = panel.locator("article.evidence", has_text="square-copy.jpg")
    expect(item).to_be_visible()
    thumbnail = item.get_by_role("img", name="Thumbnail of square-copy.jpg")
    expect(thumbnail).to_be_visible()
    # Shown is not yet loaded: wait for the picture to be decoded before reading its width
    # (read at once, it was 0 now and then on a busy machine).
    thumbnail.scroll_into_view_if_needed()
    assert thumbnail.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    expect(item).to_contain_text("2022-01-06T09:12:00")
    expect(item).to_contain_text("Samsung SM-G991B")
    expect(item).to_contain_text("43.2385, 76.946")
    flagged = item.locator(".same-picture")
    expect(flagged).to_contain_text("The same picture is cited on claim")
    links = flagged.get_by_role("link")
    expect(links).to_have_count(2)
    demo_claims = {c.claim_id for c in demo_photo.evidence.citations.all()}
    shoot(page, f"photo-claim-{width}.png")
    links.first.click()
    page.wait_for_url("**/claims/**")
    assert int(page.url.rstrip("/").split("/")[-1].split("#")[0]) in cited_on | demo_claims
    expect(page.locator("#evidence-panel .evidence-thumb img").first).to_be_visible()
    document_width = page.evaluate("document.documentElement.scrollWidth")
    assert document_width <= width

    page.goto("/i/almaty-2022/report/")
    published = page.locator("li", has_text="Published copy: re-encoded without metadata").first
    expect(published).to_contain_text("original SHA-256")
    expect(published).not_to_contain_text("43.2385")
    shoot(page, f"report-{width}.png")
    shots = Path(os.environ.get("E2E_SHOTS") or tmp_path)
    published.screenshot(path=str(shots / f"report-evidence-{width}.png"))
    page.goto("/i/almaty-2022/report/?include_file_metadata=on")
    expect(page.get_by_label("Include file metadata")).to_be_checked()
    expect(page.locator("li", has_text="square-copy.jpg").first).to_contain_text("43.2385")
