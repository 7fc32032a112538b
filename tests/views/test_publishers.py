"""The publishers page: a team's reliability rating per domain."""

from django.urls import reverse

from claims.evidence import citations, publishers
from claims.models import AuditEvent, Publisher


class TestPublishers:
    def url(self, investigation):
        return reverse("claims:publisher-list", args=[investigation.slug])

    def test_an_editor_rates_a_domain_and_it_shows_on_its_evidence(
        self, client, erin, investigation, claim, bob
    ):
        citations.cite_evidence(
            claim, actor=bob, stance="supports", url="https://news.courier.example/a", title="A"
        )
        client.force_login(erin)
        response = client.post(
            self.url(investigation),
            {
                "domain": "https://www.Courier.example/",
                "name": "River Courier",
                "reliability": "mostly_reliable",
                "note": "Local paper, corrects errors.",
            },
        )
        assert response.status_code == 302
        rating = Publisher.objects.get()
        assert rating.domain == "courier.example"
        assert AuditEvent.objects.filter(action="publisher.rate").exists()
        page = client.get(claim.get_absolute_url()).content.decode()
        assert "Team rating of River Courier" in page
        assert "Mostly reliable" in page
        assert "Local paper, corrects errors." in page

    def test_rating_again_replaces_the_rating(self, client, erin, investigation):
        client.force_login(erin)
        for reliability in ("reliable", "unreliable"):
            client.post(
                self.url(investigation), {"domain": "courier.example", "reliability": reliability}
            )
        assert Publisher.objects.get().reliability == "unreliable"

    def test_bad_input_is_kept_and_nothing_saved(self, client, erin, investigation):
        client.force_login(erin)
        response = client.post(
            self.url(investigation), {"domain": "localhost", "reliability": "reliable"}
        )
        assert "Enter a domain such as example.org." in response.content.decode()
        assert not Publisher.objects.exists()

    def test_a_reviewer_may_not_rate(self, client, bob, investigation):
        client.force_login(bob)
        assert client.get(self.url(investigation)).status_code == 403

    def test_the_closest_rated_parent_domain_wins(self):
        ratings = {
            "example.org": Publisher(domain="example.org"),
            "news.example.org": Publisher(domain="news.example.org"),
        }
        assert publishers.rating_for("a.news.example.org", ratings).domain == "news.example.org"
        assert publishers.rating_for("blog.example.org", ratings).domain == "example.org"
        assert publishers.rating_for("example.com", ratings) is None
        assert publishers.rating_for("org", ratings) is None
