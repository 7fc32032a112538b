"""The same file uploaded twice at the same moment (PostgreSQL, two real connections): one
evidence item and one stored copy, cited by both claims; the loser's files are removed."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from claims.devdata.photos import photo_bytes
from claims.evidence import files
from claims.models import ClaimEvidence, CollectionLogEntry, Evidence, EvidenceFile
from tests.factories import make_claim
from tests.test_sign_off_races import in_thread

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]


def test_two_uploads_of_the_same_bytes_at_once_make_one_evidence_item(
    source, bob, rita, monkeypatch, settings
):
    first = make_claim(source, "about 1,200 homes were flooded in Marrow")
    second = make_claim(source, "at least 14 people had died")
    data = photo_bytes(1)
    # Both uploads look for the file before either stores it: a real race on the insert.
    both_looked = threading.Barrier(2, timeout=10)
    looked = threading.local()
    real_existing = files._existing

    def existing(investigation, sha256):
        found = real_existing(investigation, sha256)
        if not getattr(looked, "once", False):
            looked.once = True
            both_looked.wait()
        return found

    monkeypatch.setattr(files, "_existing", existing)
    errors, results = [], []

    def upload(claim, user):
        def work():
            citation = files.attach_file(
                claim, actor=user, upload=SimpleUploadedFile("p.jpg", data), stance="supports"
            )
            results.append(citation.file_was_stored)

        return work

    threads = [in_thread(upload(first, bob), errors), in_thread(upload(second, rita), errors)]
    for thread in threads:
        thread.join(30)
    assert not errors
    assert sorted(results) == [False, True]
    assert Evidence.objects.count() == EvidenceFile.objects.count() == 1
    assert ClaimEvidence.objects.count() == 2
    assert CollectionLogEntry.objects.count() == 1
    stored = EvidenceFile.objects.get()
    kept = [p for p in (settings.MEDIA_ROOT / "evidence").rglob("*") if p.is_file()]
    # Exactly the winner's three files remain. Which upload wrote a name first decides whether
    # the storage gave the winner's copy a suffix ("<sha256>_AbC12xY.jpg"), so the names are
    # read from its row rather than spelled out.
    named = [stored.file.name, stored.published_copy.name, stored.thumbnail.name]
    assert sorted(p.name for p in kept) == sorted(name.rsplit("/", 1)[1] for name in named)
    assert all(name.rsplit("/", 1)[1].startswith(stored.sha256) for name in named)
