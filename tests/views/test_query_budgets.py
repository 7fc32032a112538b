"""Every list and detail page costs the same number of queries for 5 rows as for 50.

Each test fills the page with `count` rows of everything it shows, then asserts a ceiling of
12 queries (session and user included) that does not move with `count`.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import mentions, reviews, workflow
from claims.evidence import cite_evidence
from claims.models import Membership
from tests.factories import make_many_claims

BUDGET = 12
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
def test_investigation_list_budget(client, alice, busy, count):
    busy(count)
    client.force_login(alice)
    assert _queries(client, reverse("claims:investigation-list")) <= BUDGET
