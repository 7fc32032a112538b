"""Starting an investigation from the home page, and its settings page: edit, archive,
restore, delete."""

import pytest
from django.urls import reverse

from claims.models import AuditEvent, Investigation, Membership, Role, Source
from tests.factories import make_user

CREATE = reverse("claims:investigation-create")


def _settings_url(investigation):
    return reverse("claims:investigation-settings", args=[investigation.slug])


def test_the_empty_home_page_invites_to_create_one(client, carol):
    client.force_login(carol)
    page = client.get(reverse("claims:investigation-list")).content.decode()
    assert "Create an investigation" in page
    assert "admin" not in page.split("<main", 1)[1]


def test_the_home_page_offers_no_creation_to_non_staff_when_staff_only(client, settings, carol):
    settings.INVESTIGATION_CREATION = "staff"
    client.force_login(carol)
    page = client.get(reverse("claims:investigation-list")).content.decode()
    assert "Create an investigation" not in page
    assert "only staff users create investigations" in page
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, {"title": "Mine"}).status_code == 403
    assert not Investigation.objects.exists()


def test_creating_makes_the_creator_owner_and_opens_it(client, carol):
    client.force_login(carol)
    response = client.post(CREATE, {"title": "Harbour fire 2026", "slug": "", "description": ""})
    investigation = Investigation.objects.get()
    assert investigation.slug == "harbour-fire-2026"
    assert response.url == investigation.get_absolute_url()
    assert Membership.objects.get(user=carol).role == Role.OWNER
    page = client.get(response.url).content.decode()
    assert "Harbour fire 2026" in page
    assert "Settings" in page


def test_create_keeps_input_and_says_why_on_error(client, investigation, carol):
    client.force_login(carol)
    page = client.post(
        CREATE, {"title": "Vessa flood", "slug": "flood-2026", "description": "Mine <b>x</b>"}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "The address “flood-2026” is taken" in text
    assert "Mine &lt;b&gt;x&lt;/b&gt;" in text
    assert Investigation.objects.count() == 1
    text = client.post(CREATE, {"title": "", "slug": "bad slug!"}).content.decode()
    assert "This field is required." in text
    assert Investigation.objects.count() == 1


def test_anonymous_cannot_create(client):
    response = client.post(CREATE, {"title": "T"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_editor_edits_title_and_description(client, investigation, erin):
    client.force_login(erin)
    page = client.get(_settings_url(investigation)).content.decode()
    assert "Archive investigation" not in page  # owners only
    assert "Delete this investigation" not in page
    response = client.post(
        _settings_url(investigation), {"title": "Vessa flood (March)", "description": "Two towns"}
    )
    assert response.status_code == 302
    investigation.refresh_from_db()
    assert (investigation.title, investigation.description) == ("Vessa flood (March)", "Two towns")
    assert AuditEvent.objects.filter(action="investigation.edit", actor=erin).exists()


def test_edit_re_renders_with_the_error(client, investigation, alice):
    client.force_login(alice)
    response = client.post(_settings_url(investigation), {"title": "", "description": "Kept"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert "Kept" in response.content.decode()
    investigation.refresh_from_db()
    assert investigation.title == "Vessa flood"


@pytest.mark.parametrize("name", ["bob", "victor"])
def test_reviewers_and_viewers_get_403(request, client, investigation, name):
    client.force_login(request.getfixturevalue(name))
    assert client.get(_settings_url(investigation)).status_code == 403


def test_outsider_gets_404(client, investigation, carol):
    client.force_login(carol)
    assert client.get(_settings_url(investigation)).status_code == 404


def test_archive_shows_on_every_page_and_restore_brings_writes_back(
    client, investigation, alice, bob, source, claim
):
    client.force_login(alice)
    archive = reverse("claims:investigation-archive", args=[investigation.slug])
    client.post(archive, {"archived": "1"})
    investigation.refresh_from_db()
    assert investigation.is_archived
    client.force_login(bob)
    for url in (
        investigation.get_absolute_url(),
        reverse("claims:claim-list", args=[investigation.slug]),
        source.get_absolute_url(),
        claim.get_absolute_url(),
        reverse("claims:report", args=[investigation.slug]),
        reverse("claims:activity", args=[investigation.slug]),
        reverse("claims:investigation-numbers", args=[investigation.slug]),
    ):
        page = client.get(url).content.decode()
        assert "read-only for everyone until an owner restores it" in page, url
    claim_page = client.get(claim.get_absolute_url()).content.decode()
    assert "Propose verdict" not in claim_page  # buttons follow the archive too
    assert client.get(reverse("claims:source-create", args=[investigation.slug])).status_code == 403
    client.force_login(alice)
    client.post(archive, {"archived": "0"})
    investigation.refresh_from_db()
    assert not investigation.is_archived
    events = AuditEvent.objects.filter(action__startswith="investigation.").values_list(
        "action", flat=True
    )
    assert list(events.order_by("seq")) == ["investigation.archive", "investigation.restore"]


def test_delete_needs_the_slug_typed(client, investigation, alice, source):
    client.force_login(alice)
    url = reverse("claims:investigation-delete", args=[investigation.slug])
    response = client.post(url, {"confirmation": "flood"})
    assert response.status_code == 200
    assert "Type “flood-2026” exactly" in response.content.decode()
    assert Investigation.objects.filter(pk=investigation.pk).exists()
    response = client.post(url, {"confirmation": "flood-2026"})
    assert response.url == reverse("claims:investigation-list")
    assert not Investigation.objects.exists()
    assert not Source.objects.exists()


def test_an_editor_cannot_delete(client, investigation, erin):
    client.force_login(erin)
    url = reverse("claims:investigation-delete", args=[investigation.slug])
    assert client.post(url, {"confirmation": "flood-2026"}).status_code == 403
    assert Investigation.objects.filter(pk=investigation.pk).exists()


def test_a_staff_user_creates_when_staff_only(client, settings, db):
    settings.INVESTIGATION_CREATION = "staff"
    client.force_login(make_user("stella", is_staff=True))
    client.post(CREATE, {"title": "Staff one", "slug": "staff-one"})
    assert Investigation.objects.filter(slug="staff-one").exists()
