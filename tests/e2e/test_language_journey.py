"""A Russian testimony pasted by an editor: detected, read with Russian rules, corrected."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from claims.models import Investigation, Source
from tests.e2e.conftest import axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TESTIMONY = (
    "Свидетель из Каратала\n\n"
    "По словам Ахметовой, 6 января у рынка собралось около двадцати тысяч человек. "
    "Как сообщили в МВД, задержаны не менее 87 человек.\n"
)


@pytest.mark.parametrize("width", [1280, 390])
def test_editor_pastes_russian_and_corrects_the_language(new_page, shoot, width):
    call_command("load_demo", stdout=io.StringIO())
    investigation = Investigation.objects.first()
    page = new_page(width=width)
    log_in(page, "editor")
    page.goto(f"/i/{investigation.slug}/sources/new/")
    page.get_by_label("Title").fill("Каратал")
    page.get_by_label("Text").fill(TESTIMONY)
    expect(page.get_by_label("Language")).to_have_value("")
    page.get_by_role("button", name="Add source").click()

    expect(page.locator("#source-language")).to_contain_text("Language: Russian")
    expect(page.locator(".claim-card").first).to_be_visible()
    reader = page.locator("#reader")
    expect(reader).to_contain_text("около двадцати тысяч")
    shoot(page, f"source-russian-{width}.png")
    assert axe_violations(page) == []

    page.get_by_label("Correct the language").select_option("kk")
    page.get_by_role("button", name="Save language").click()
    expect(page.locator("#messages")).to_contain_text("Language set to Kazakh")
    expect(page.locator("#source-language")).to_contain_text("Language: Kazakh")
    assert Source.objects.get(title="Каратал").language == "kk"
