"""Markup typed into any field comes out as text on every page and in every export.

Each user-editable field holds its own payload, `<xFIELD>"`: a tag a browser would parse
and a quote that would end an attribute. Every renderer must show the field's text without
ever emitting the raw tag. RENDERERS is the list of outputs: add an export format there (with
the fields it shows) and it is checked the same way.
"""

import json
import re
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.access import invites
from claims.devdata.photos import photo_bytes
from claims.evidence import citations, files
from claims.models import Membership, Role, Source
from claims.review import reviews
from claims.sources import marking
from tests.clients import HTMX
from tests.factories import (
    make_claim,
    make_comment,
    make_investigation,
    make_report_file,
    make_source,
    make_user,
)
from tests.page_world import GET_PAGES, HTMX_ONLY, World

FIELDS = [
    "invtitle",
    "invdesc",
    "srctitle",
    "srcauthor",
    "srcpublisher",
    "quote",
    "statement",
    "speaker",
    "evtitle",
    "evpublisher",
    "excerpt",
    "note",
    "comment",
    "rationale",
    "sendback",
    "unit",
    "username",
    "fullname",
    "membername",
]
RAW_TAG = re.compile(r"<x[a-z]+>")


def payload(field):
    # Short, so that truncating filters (title in the top bar: 36 characters) keep it whole.
    return f'<x{field}>"'


def escaped(field):
    return f"&lt;x{field}&gt;&quot;"


def shown_escaped(field, text):
    """The payload of `field` is in `text`, escaped: Django writes a quote as &quot;, Jinja2
    (the claim page's body and the shared includes) as &#34;; both are inert."""
    return escaped(field) in text or f"&lt;x{field}&gt;&#34;" in text


@pytest.fixture
def world(db):
    # Usernames are validated by forms, not by create_user: names imported from elsewhere
    # (or created before a validator existed) can hold anything.
    owner = make_user(payload("username"))
    reviewer = make_user("reviewer", first_name=payload("fullname"))
    member = make_user(payload("membername"))
    investigation = make_investigation(
        slug="xss",
        title=payload("invtitle"),
        description=payload("invdesc"),
        members=[(owner, Role.OWNER), (reviewer, Role.REVIEWER), (member, Role.VIEWER)],
    )
    sentence = f"{payload('quote')} said about 20 people were there."
    source = make_source(
        investigation,
        actor=owner,
        text=f"Opening words.\n\n{sentence}\n\nClosing words.",
        title=payload("srctitle"),
        author=payload("srcauthor"),
        publisher=payload("srcpublisher"),
        kind=Source.Kind.TESTIMONY,
    )
    claim = make_claim(
        source,
        sentence,
        actor=owner,
        statement=payload("statement"),
        speaker=payload("speaker"),
    )
    claim.assignee = owner
    claim.save()
    quantity = claim.quantities.get()
    marking.correct_quantity(
        quantity, actor=owner, value=20, low=None, high=None, unit=payload("unit"), bound="exact"
    )
    # Counted as a crowd, so the numbers page lists it.
    marking.set_measure(quantity, "crowd", actor=owner, membership=owner.memberships.get())
    citation = citations.cite_evidence(
        claim,
        actor=owner,
        stance="supports",
        url='https://example.org/page?q="><xurl>',
        title=payload("evtitle"),
        publisher=payload("evpublisher"),
        excerpt=payload("excerpt"),
        note=payload("note"),
    )
    # A picture cited with the same hostile caption and note: its card and its "same picture"
    # page print them too.
    picture = files.attach_file(
        claim,
        actor=owner,
        upload=SimpleUploadedFile("a.jpg", photo_bytes(2)),
        stance="supports",
        title=payload("evtitle"),
        note=payload("note"),
    )
    make_comment(claim, reviewer, payload("comment"))
    memberships = {m.user_id: m for m in Membership.objects.filter(investigation=investigation)}
    first = reviews.propose_verdict(
        claim,
        proposer=reviewer,
        membership=memberships[reviewer.pk],
        rating="false",
        rationale="First try.",
    )
    reviews.send_back_verdict(
        first, reviewer=owner, membership=memberships[owner.pk], comment=payload("sendback")
    )
    claim.refresh_from_db()
    verdict = reviews.propose_verdict(
        claim,
        proposer=reviewer,
        membership=memberships[reviewer.pk],
        rating="false",
        rationale=payload("rationale"),
    )
    claim.refresh_from_db()
    report_file = make_report_file(investigation)
    _, invite_token = invites.create(
        investigation, actor=owner, email="new@example.org", role=Role.VIEWER
    )
    return World(
        owner,
        investigation,
        source,
        claim,
        verdict,
        quantity,
        citation=citation,
        report_file=report_file,
        invite_token=invite_token,
        picture_citation=picture,
    )


@dataclass
class HtmlPage:
    """A page of the app; `shows` lists the fields that must appear on it, escaped."""

    name: str
    shows: tuple

    def render(self, client, world):
        headers = HTMX if self.name in HTMX_ONLY else {}
        response = client.get(world.url(self.name), **headers)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        return response.content.decode()

    def check(self, text):
        leaked = RAW_TAG.findall(text)
        assert not leaked, f"{self.name} emits raw markup: {leaked}"
        missing = [field for field in self.shows if not shown_escaped(field, text)]
        assert not missing, f"{self.name} does not show (escaped): {missing}"


@dataclass
class JsonExport:
    """A JSON download: payloads must come back intact as data, served as a download."""

    name: str
    shows: tuple

    def render(self, client, world):
        response = client.get(world.url(self.name))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        if response.streaming:
            return b"".join(response.streaming_content).decode()
        return response.content.decode()

    def check(self, text):
        strings = set(_strings(json.loads(text)))
        missing = [f for f in self.shows if not any(payload(f) in s for s in strings)]
        assert not missing, f"{self.name} lost: {missing}"


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


TOP_BAR = ("username", "invtitle")
HTML_SHOWS = {
    "investigation-create": TOP_BAR,
    # The description is in a textarea, escaped by the Jinja2 widget as &#34;: RAW_TAG checks it.
    "investigation-settings": TOP_BAR,
    "invite-accept": (*TOP_BAR, "username"),
    "investigation-list": ("username", "invtitle", "invdesc"),
    "queue": (*TOP_BAR, "statement"),
    "investigation-detail": (*TOP_BAR, "invdesc", "srctitle", "srcauthor", "statement"),
    "member-list": (*TOP_BAR, "membername"),
    "source-create": TOP_BAR,
    "claim-list": (*TOP_BAR, "statement", "srctitle"),
    "report": (
        *TOP_BAR,
        "srctitle",
        "srcauthor",
        "srcpublisher",
        "quote",
        "statement",
        "speaker",
        "evtitle",
        "evpublisher",
        "excerpt",
        "rationale",
        "fullname",
    ),
    "source-detail": (*TOP_BAR, "srctitle", "srcauthor", "quote"),
    "claim-detail": (
        *TOP_BAR,
        "srctitle",
        "quote",
        "statement",
        "speaker",
        "evtitle",
        "evpublisher",
        "excerpt",
        "note",
        "comment",
        "rationale",
        "sendback",
        "unit",
    ),
    "activity": (*TOP_BAR, "statement"),
    "investigation-numbers": (*TOP_BAR, "srctitle", "speaker", "quote"),
    "source-import": TOP_BAR,
    "publisher-list": TOP_BAR,
    "source-extraction-status": (),
    "citation-detail": ("evtitle", "evpublisher", "excerpt", "note"),
    "citation-log": (*TOP_BAR, "srctitle", "quote", "evtitle"),
    "report-file-detail": TOP_BAR,
    "claim-similar": (*TOP_BAR, "srctitle"),
    "source-side-by-side": (*TOP_BAR, "srctitle"),
    "claim-translation": (),
    "investigation-charts": TOP_BAR,
    "api-tokens": TOP_BAR,
    "citation-same-picture": (*TOP_BAR, "evtitle"),
}
# Downloads that are not HTML; the report formats have their own escaping tests
# (tests/reports: Markdown neutralised, CSV formulas defused, HTML autoescaped).
NOT_PAGES = {
    "report-download",
    "snapshot-download",
    "report-file-download",
    "source-original",
    # The bytes of a file cited as evidence and its re-encoded pictures: served as files with
    # a sandboxing policy (tests/views/test_evidence_file_views.py), never as a page.
    "evidence-file-download",
    "evidence-file-thumbnail",
    "evidence-file-picture",
}
EXPORTS = [
    JsonExport(
        "report-json",
        ("invtitle", "srctitle", "srcauthor", "quote", "statement", "evtitle", "rationale"),
    ),
]
RENDERERS = [HtmlPage(name, shows) for name, shows in HTML_SHOWS.items()] + EXPORTS


def test_every_get_page_has_a_renderer():
    assert {renderer.name for renderer in RENDERERS} | NOT_PAGES == set(GET_PAGES)


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda renderer: renderer.name)
def test_user_text_is_escaped(client, world, renderer):
    client.force_login(world.viewer)
    renderer.check(renderer.render(client, world))


def test_the_admin_escapes_user_text_too(admin_client, world):
    url = reverse("admin:claims_claim_changelist")
    text = admin_client.get(url).content.decode()
    assert not RAW_TAG.findall(text)
    assert shown_escaped("statement", text)
