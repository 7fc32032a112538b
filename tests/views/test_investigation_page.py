"""The investigation page: progress counts and a paged list of sources."""

from django.urls import reverse

from claims.models import Membership
from claims.review import reviews
from tests.factories import make_claim, make_source

SENTENCE = "Forty boats sank near the pier."


def _page(client, investigation, **params):
    url = reverse("claims:investigation-detail", args=[investigation.slug])
    query = "&".join(f"{key}={value}" for key, value in params.items())
    body = client.get(f"{url}?{query}" if query else url).content.decode()
    return body


def _sources(body):
    """The sources section alone (the activity beside it names sources too)."""
    return body.split('id="sources-heading"', 1)[1].split("</section>", 1)[0]


def test_sources_are_listed_a_page_at_a_time(client, monkeypatch, victor, investigation):
    from claims.views import investigation_page as investigations

    monkeypatch.setattr(investigations, "SOURCES_PER_PAGE", 2)
    sources = [make_source(investigation, text=SENTENCE, title=f"Source {i}") for i in range(3)]
    make_claim(sources[2], SENTENCE)
    client.force_login(victor)
    first = _sources(_page(client, investigation))
    assert "Source 0" in first
    assert "Source 1" in first
    assert "Source 2" not in first
    assert "Sources page 1 of 2" in first
    assert "?sources=2" in first
    second = _sources(_page(client, investigation, sources=2))
    assert "Source 2" in second
    assert "Source 0" not in second
    # The page's one source is counted on its own: one claim, no suggestions.
    row = second.split("Source 2", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num" data-label="Claims">1</td>' in row
    assert '<td class="num" data-label="Suggested">0</td>' in row


def test_a_short_source_list_has_no_pager(client, victor, investigation):
    make_source(investigation, text=SENTENCE, title="Only source")
    client.force_login(victor)
    body = _sources(_page(client, investigation))
    assert "Only source" in body
    assert "Sources page" not in body


def test_progress_follows_each_recorded_change(client, bob, rita, victor, investigation, source):
    claim = make_claim(source)
    client.force_login(victor)
    assert "<strong>0 of 1</strong>" in _page(client, investigation)
    verdict = reviews.propose_verdict(
        claim,
        proposer=bob,
        membership=Membership.objects.get(user=bob),
        rating="true",
        rationale="Seen.",
    )
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=Membership.objects.get(user=rita))
    body = _page(client, investigation)
    assert "<strong>1 of 1</strong>" in body
    assert 'rating-true">True</span> <span class="num">1</span>' in body


def member(user):
    return Membership.objects.get(user=user)


def test_dashboard_counts_by_status_and_verdict(client, victor, claim, bob):
    reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="mixed", rationale="Seen."
    )
    client.force_login(victor)
    body = client.get(claim.investigation.get_absolute_url()).content.decode()
    assert "0 of 1</strong> claims verified" in body
    assert "Verdict proposed" in body
    assert ">Mixed<" in body
    assert "proposed a verdict" in body
