"""The activity page: every recorded change of an investigation, a page at a time."""

from django.urls import reverse

from claims.review import mentions


def test_activity_feed_pages_newest_first(client, victor, claim, bob):
    for i in range(55):
        mentions.add_comment(claim, author=bob, body=f"note {i}")
    client.force_login(victor)
    url = reverse("claims:activity", args=[claim.investigation.slug])
    first = client.get(url).content.decode()
    assert "note 54" in first
    assert "note 0<" not in first
    assert "Page 1 of 2" in first
    assert "note 0" in client.get(url + "?page=2").content.decode()
