"""Every list and detail page costs the same number of queries for 5 rows as for 50.

Each test fills the page with `count` rows of everything it shows, then asserts a ceiling of
12 queries (session and user included) that does not move with `count`.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.evidence.citations import cite_evidence
from claims.models import Membership
from claims.review import mentions, reviews, workflow
from tests.clients import HTMX
from tests.factories import make_claim, make_many_claims, make_many_figures, make_source

BUDGET = 12
# A POST also appends its audit events to the investigation's hash chain: three statements
# each (lock and read the head, insert, move the head) where one insert used to do. Sending
# a verdict back or citing a link to archive records two events.
WRITE_BUDGET = BUDGET + 4
COUNTS = [5, 50]


def member(user):
    return Membership.objects.get(user=user)


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def busy(investigation, alice, bob, rita, erin):
    """Builds `count` claims, each assigned, tagged, cited, commented and with a verdict."""

    def build(count):
        claims = make_many_claims(investigation, count)
        for i, claim in enumerate(claims):
            workflow.assign(claim, actor=erin, membership=member(erin), assignee=alice)
            workflow.tag(claim, actor=bob, membership=member(bob), add=[f"tag-{i % 7}", "boats"])
            cite_evidence(
                claim, actor=bob, stance="supports", url=f"https://e.org/{i}", title=f"Page {i}"
            )
            mentions.add_comment(claim, author=bob, body=f"@alice look at item {i}")
            reviews.propose_verdict(
                claim, proposer=bob, membership=member(bob), rating="true", rationale="Seen."
            )
        return claims

    return build


@pytest.mark.parametrize("count", COUNTS)
def test_claim_list_budget(client, alice, investigation, busy, count):
    busy(count)
    client.force_login(alice)
    url = reverse("claims:claim-list", args=[investigation.slug])
    assert _queries(client, url) <= BUDGET
    assert _queries(client, f"{url}?q=boats+item&has_numbers=yes&sort=evidence") <= BUDGET


@pytest.mark.parametrize("count", COUNTS)
def test_claim_page_budget(client, alice, bob, investigation, busy, count):
    claim = busy(1)[0]
    for i in range(count):
        cite_evidence(claim, actor=bob, stance="refutes", url=f"https://x.org/{i}", title=f"X{i}")
        mentions.add_comment(claim, author=bob, body=f"Note {i} for @alice")
    client.force_login(alice)
    assert _queries(client, claim.get_absolute_url()) <= BUDGET


def test_claim_page_is_flat_in_rows(client, alice, bob, investigation, busy):
    claim = busy(1)[0]
    counts = []
    for total in COUNTS:
        while claim.citations.count() < total:
            i = claim.citations.count()
            cite_evidence(
                claim, actor=bob, stance="refutes", url=f"https://x.org/{i}", title=f"X{i}"
            )
            mentions.add_comment(claim, author=bob, body=f"Note {i} for @alice")
        client.force_login(alice)
        counts.append(_queries(client, claim.get_absolute_url()))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("count", COUNTS)
def test_queue_budget(client, alice, busy, count):
    busy(count)
    client.force_login(alice)
    assert _queries(client, reverse("claims:queue")) <= BUDGET


@pytest.mark.parametrize("count", COUNTS)
def test_dashboard_and_activity_budget(client, alice, investigation, busy, count):
    busy(count)
    client.force_login(alice)
    assert _queries(client, investigation.get_absolute_url()) <= BUDGET
    assert _queries(client, reverse("claims:activity", args=[investigation.slug])) <= BUDGET


@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize("query", ["", "?suggested=on"])
def test_numbers_page_budget(client, alice, investigation, count, query):
    make_many_figures(investigation, count)
    client.force_login(alice)
    url = reverse("claims:investigation-numbers", args=[investigation.slug]) + query
    assert _queries(client, url) <= BUDGET


@pytest.mark.parametrize("count", COUNTS)
def test_investigation_list_budget(client, alice, busy, count):
    busy(count)
    client.force_login(alice)
    assert _queries(client, reverse("claims:investigation-list")) <= BUDGET


def _claim_requests(claim, verdict, citation):
    """(method, URL, data) of every htmx request the claim page makes after it has loaded:
    panel refreshes, the polled evidence item, the collection log, and each form's POST,
    successful and refused."""
    claim_url = claim.get_absolute_url()

    def url(name, pk=claim.pk):
        return reverse(f"claims:{name}", args=[pk])

    field = f"citation-{citation.pk}-"
    return [
        ("get", f"{claim_url}?panel=status-badge", {}),
        ("get", f"{claim_url}?panel=status-panel", {}),
        ("get", f"{claim_url}?panel=history-panel", {}),
        ("get", f"{claim_url}?panel=verdict-current", {}),
        ("get", url("citation-detail", citation.pk), {}),
        ("get", url("citation-log", citation.pk), {}),
        ("post", url("comment-add"), {"body": "Agreed, @alice"}),
        ("post", url("comment-add"), {"body": ""}),
        ("post", url("evidence-add"), {"title": "Leaflet", "stance": "supports"}),
        (
            "post",
            url("evidence-capture"),
            {"capture-url": f"https://n.org/{claim.pk}", "capture-stance": "context"},
        ),
        (
            "post",
            url("citation-edit", citation.pk),
            {f"{field}stance": "refutes", f"{field}version": 1},
        ),
        ("post", url("evidence-archive", citation.pk), {}),
        ("post", url("citation-retract", citation.pk), {f"retract-{citation.pk}-reason": "Dup."}),
        ("post", url("claim-tag"), {"add": f"harbour-{claim.pk}"}),
        ("post", url("claim-assign"), {"assignee": "me", "seen": claim.assignee_id}),
        ("post", url("claim-priority"), {"priority": 3, "seen": claim.priority}),
        (
            "post",
            url("claim-edit"),
            {"statement": "New", "attribution": claim.attribution, "version": claim.version},
        ),
        (
            "post",
            url("verdict-sign-off", verdict.pk),
            {"version": verdict.version, "content_sha256": "0" * 64},
        ),
        (
            "post",
            url("verdict-send-back", verdict.pk),
            {"version": verdict.version, "comment": "Why?"},
        ),
        (
            "post",
            url("verdict-propose"),
            {"rating": "false", "rationale": "Seen.", "replaces": verdict.pk},
        ),
        (
            "post",
            url("claim-transition"),
            {"transition": "dismiss", "reason": "Dup.", "from_status": "in_review"},
        ),
    ]


# Citing a link writes the most: the page, the citation, its pending capture, two audit events,
# and the lock on a claim awaiting sign-off that keeps a sign-off from passing the change by.
# Sending a verdict back also tells its proposer by email: the proposer with their choice in
# one query, and the outbox row (claims/review/notifications.py). Proposing tells the signers
# the same way but stays within the budget.
REQUEST_EXTRA = {"capture": 1, "send-back": 2}


def test_claim_page_htmx_requests_budget(client, alice, bob, busy):
    """Each request stays within the page budget, with as many queries for 50 rows as for 5.
    SAVEPOINT statements are not counted: the test runs in a transaction, so a view's atomic
    block becomes a savepoint pair here, where production sends no extra statement (Django
    does not log BEGIN and COMMIT)."""
    spent = {}
    for count in COUNTS:
        claim = busy(1)[0]
        for i in range(count):
            url = f"https://x.org/{count}/{i}"
            cite_evidence(claim, actor=bob, stance="refutes", url=url, title=f"X{i}")
            mentions.add_comment(claim, author=bob, body=f"Note {i} for @alice")
        claim.refresh_from_db()
        verdict = claim.verdicts.get()
        # A page cited by this claim only, so that each round archives it afresh.
        citation = claim.citations.get(evidence__url=f"https://x.org/{count}/0")
        client.force_login(alice)
        for n, (method, url, data) in enumerate(_claim_requests(claim, verdict, citation)):
            with CaptureQueriesContext(connection) as captured:
                response = getattr(client, method)(url, data, **HTMX)
            assert response.status_code == 200, (url, data)
            assert "<html" not in response.content.decode(), (url, data)
            sql = [query["sql"] for query in captured.captured_queries]
            spent[count, n, method, url.split("/")[-2], str(data)[:40]] = len(
                [statement for statement in sql if "SAVEPOINT" not in statement]
            )
    over = {
        key: n
        for key, n in spent.items()
        if n > (WRITE_BUDGET if key[2] == "post" else BUDGET) + REQUEST_EXTRA.get(key[3], 0)
    }
    assert not over, over
    few = [n for key, n in spent.items() if key[0] == COUNTS[0]]
    many = [n for key, n in spent.items() if key[0] == COUNTS[1]]
    assert few == many, spent


@pytest.mark.parametrize("count", COUNTS)
def test_claim_page_with_stated_dates_and_places_budget(client, alice, bob, investigation, count):
    text = " ".join(
        f"On {1 + i % 28} January {100 + i} people were detained in Almaty." for i in range(count)
    )
    source = make_source(investigation, text=text, published_on=date(2022, 1, 30))
    quotes = [
        f"On {1 + i % 28} January {100 + i} people were detained in Almaty." for i in range(count)
    ]
    claims = [make_claim(source, quote, bob) for quote in quotes]
    client.force_login(alice)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(claims[0].get_absolute_url())
    assert len(captured) <= BUDGET
    page = response.content.decode()
    assert '<time datetime="2022-01-01">1 Jan 2022</time>, Almaty' in page
    # The same measure elsewhere (the newest figures), dated by what its sentence states.
    assert f"Flood report, {1 + (count - 1) % 28} Jan 2022, Almaty)" in page
