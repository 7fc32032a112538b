"""Content Security Policy on every response, and nothing in templates that would need loosening."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.clients import HTMX
from tests.page_world import GET_PAGES, HTMX_ONLY, build_world

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "claims"]
TEMPLATES = sorted(path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html"))

# What a strict policy (no 'unsafe-inline') would block, so the templates must not contain it.
FORBIDDEN = {
    "inline <script> body": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "style= attribute": re.compile(r"<[^>]*\sstyle\s*=", re.I),
    "<style> block": re.compile(r"<style\b", re.I),
    "hx-on attribute": re.compile(r"\shx-on", re.I),
    "inline event handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def _assert_strict(response):
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    # Downloads add `sandbox`, a directive without a value.
    directives = dict(part.strip().partition(" ")[::2] for part in policy.split(";"))
    if "sandbox" in directives and directives["default-src"] == "'none'":
        # An evidence file (evidence_files.py): nothing at all may load or run, stricter still.
        return
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"


@pytest.fixture
def world(db):
    return build_world(3)


@pytest.mark.parametrize("name", GET_PAGES)
def test_every_page_has_a_strict_policy(client, world, name):
    client.force_login(world.viewer)
    headers = HTMX if name in HTMX_ONLY else {}
    response = client.get(world.url(name), **headers)
    assert response.status_code == 200
    _assert_strict(response)


@pytest.mark.parametrize("path", ["login", "healthz"])
def test_public_responses_have_a_strict_policy(client, db, path):
    _assert_strict(client.get(reverse(path)))


def test_error_pages_have_a_strict_policy(client, world):
    client.force_login(world.viewer)
    _assert_strict(client.get("/no-such-page/"))


def test_templates_exist_to_be_checked():
    assert len(TEMPLATES) >= 10


# Documents that leave the app as files and must be self-contained (their styles inline).
STANDALONE_DOCUMENTS = {
    "report_document.html": "the HTML/PDF report: served only as an attachment, rendered "
    "by WeasyPrint or opened from disk, never under the app's policy",
}


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_template_has_nothing_a_strict_policy_blocks(path):
    if path.name in STANDALONE_DOCUMENTS:
        pytest.skip(STANDALONE_DOCUMENTS[path.name])
    text = path.read_text(encoding="utf-8")
    found = [label for label, pattern in FORBIDDEN.items() if pattern.search(text)]
    assert not found, f"{path.relative_to(settings.BASE_DIR)}: {', '.join(found)}"


def test_htmx_is_told_not_to_inject_styles_or_evaluate_code():
    base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text(encoding="utf-8")
    meta = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", base)
    config = json.loads(meta.group(1))
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False


# htmx settles these attributes when none are configured (htmx 2's default).
HTMX_DEFAULT_SETTLE = ["class", "style", "width", "height"]


def test_htmx_never_settles_style_attributes():
    # Settling copies the old element's style attribute onto its replacement with
    # setAttribute, which style-src 'self' refuses (a style-src-attr violation per element):
    # a card whose style a script set through the CSSOM, swapped after a keyboard accept.
    base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text(encoding="utf-8")
    meta = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", base)
    settled = json.loads(meta.group(1)).get("attributesToSettle", HTMX_DEFAULT_SETTLE)
    assert "style" not in settled
    assert "class" in settled  # what settling is for: CSS transitions on class changes
