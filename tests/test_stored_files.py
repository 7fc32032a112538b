"""Uploaded originals and archived page bodies leave media storage with their rows, however the
rows go (singly, through the admin, with their investigation), once the deletion commits; a
deletion that rolls back keeps them."""

from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse

from claims.evidence import capture
from claims.models import Evidence, Investigation, Snapshot, Source
from claims.sources import importing
from tests.factories import make_claim, make_investigation, make_source
from tests.pages import ARTICLE_HTML, Page


@pytest.fixture
def stored(django_capture_on_commit_callbacks):
    """stored(investigation, actor, url): import an original into the investigation and
    archive `url` for one of its claims; returns the source, the snapshot and the paths of
    both files on disk."""

    def store(investigation, actor, url):
        source = importing.import_file(
            investigation,
            actor=actor,
            filename="statement.html",
            data=ARTICLE_HTML.encode(),
            run_extraction=False,
        )
        claim = make_claim(make_source(investigation))
        with django_capture_on_commit_callbacks(execute=True):
            citation = capture.cite_and_capture(claim, actor=actor, url=url, stance="supports")
        snapshot = citation.evidence.snapshots.get()
        assert snapshot.status == Snapshot.Status.DONE
        paths = [Path(source.original_file.path), Path(snapshot.body.path)]
        assert all(path.is_file() for path in paths)
        return source, snapshot, paths

    return store


@pytest.fixture
def article(pages):
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())
    return pages.url("/article")


@pytest.mark.django_db(transaction=True)
def test_deleting_an_investigation_removes_its_originals_and_archived_pages(
    stored, investigation, alice, article
):
    _, _, paths = stored(investigation, alice, article)
    other = make_investigation(slug="other")
    _, _, kept = stored(other, alice, article)

    investigation.delete()

    assert not Source.objects.filter(investigation=investigation.pk).exists()
    assert [path for path in paths if path.exists()] == []
    assert all(path.is_file() for path in kept)


@pytest.mark.django_db(transaction=True)
def test_a_deletion_that_rolls_back_keeps_the_files(stored, investigation, alice, article):
    source, snapshot, paths = stored(investigation, alice, article)

    def delete_then_fail():
        with transaction.atomic():
            Investigation.objects.get(pk=investigation.pk).delete()
            raise RuntimeError("something after the delete failed")

    with pytest.raises(RuntimeError):
        delete_then_fail()

    assert all(path.is_file() for path in paths)
    source.refresh_from_db()
    snapshot.refresh_from_db()
    assert source.original_file.read() == ARTICLE_HTML.encode()
    assert snapshot.body.size > 0


@pytest.mark.django_db
def test_deleting_a_source_through_the_admin_removes_its_original(
    stored, admin_client, investigation, alice, article, django_capture_on_commit_callbacks
):
    source, _, (original, body) = stored(investigation, alice, article)
    delete = reverse("admin:claims_source_delete", args=[source.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(delete, {"post": "yes"})
    assert response.status_code == 302
    assert not Source.objects.filter(pk=source.pk).exists()
    assert not original.exists()
    assert body.is_file()  # the evidence belongs to the investigation, not to the source


@pytest.mark.django_db
def test_deleting_a_snapshot_through_the_admin_removes_its_body(
    stored, admin_client, investigation, alice, article, django_capture_on_commit_callbacks
):
    _, snapshot, (_, body) = stored(investigation, alice, article)
    delete = reverse("admin:claims_snapshot_delete", args=[snapshot.pk])
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(delete, {"post": "yes"})
    assert not Snapshot.objects.filter(pk=snapshot.pk).exists()
    assert not body.exists()


@pytest.mark.django_db
def test_deleting_evidence_removes_the_bodies_of_its_snapshots(
    stored, investigation, alice, article, django_capture_on_commit_callbacks
):
    _, snapshot, (_, body) = stored(investigation, alice, article)
    with django_capture_on_commit_callbacks(execute=True):
        Evidence.objects.get(pk=snapshot.evidence_id).delete()
    assert not body.exists()


@pytest.mark.django_db
def test_a_file_stays_until_the_deletion_commits(
    stored, investigation, alice, article, django_capture_on_commit_callbacks
):
    source, _, (original, _) = stored(investigation, alice, article)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        source.delete()
        assert original.is_file()  # the transaction may still roll back
    assert callbacks
    assert not original.exists()
