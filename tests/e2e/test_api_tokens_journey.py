"""Browser journey: make an API token on its page, use it, revoke it; read the API docs."""

import io
import json
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def _investigations(base_url, token):
    request = urllib.request.Request(  # noqa: S310 (the live test server's http address)
        base_url.replace("localhost", "127.0.0.1") + "/api/v1/investigations/",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read())


@pytest.mark.parametrize("width", [1280, 390])
def test_make_use_and_revoke_a_token(demo, new_page, live_server, shoot, width):
    page = new_page(width=width)
    log_in(page, "reviewer")
    page.goto("/account/tokens/")
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    expect(page.get_by_text("No tokens yet")).to_be_visible()
    page.get_by_label("Name").fill("Nightly import")
    page.get_by_role("button", name="Make token").click()
    expect(page.get_by_role("heading", name="Token “Nightly import” made")).to_be_visible()
    token = page.get_by_label("Token", exact=True).input_value()
    assert token.startswith("fcw_")
    assert axe_violations(page) == []
    shoot(page, f"api-tokens-{width}.png")

    slugs = [item["slug"] for item in _investigations(live_server.url, token)["results"]]
    assert slugs == ["almaty-2022"]

    page.goto("/account/tokens/")
    expect(page.get_by_label("Token", exact=True)).to_have_count(0)  # shown once only
    page.get_by_role("button", name="Revoke Nightly import").click()
    expect(page.locator("#messages")).to_contain_text("revoked")
    expect(page.get_by_role("cell", name="Revoked", exact=False)).to_be_visible()
    with pytest.raises(urllib.error.HTTPError) as refused:
        _investigations(live_server.url, token)
    assert refused.value.code == 401


@pytest.mark.parametrize("width", [1280, 390])
def test_the_api_docs_page_reads_without_scripts_or_errors(demo, new_page, shoot, width):
    page = new_page(width=width)
    page.goto("/api/v1/docs/")
    expect(page.get_by_role("heading", name="Factcheck Workbench API")).to_be_visible()
    page.get_by_role(
        "link", name="POST /api/v1/investigations/{slug}/claims/{claim_id}/verdicts/"
    ).click()
    expect(page.locator("#investigations_claims_verdicts_create")).to_contain_text("rationale")
    assert axe_violations(page) == []
    shoot(page, f"api-docs-{width}.png")
