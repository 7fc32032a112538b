"""The demo's photo: cited with its metadata, and a smaller copy on another claim flagged as
the same picture; the signed-off verdict rests on the file's SHA-256."""

from django.urls import reverse

from claims.devdata import demo
from claims.evidence import files
from claims.models import EvidenceFile, Verdict


def test_the_demo_cites_a_photo_and_a_copy_that_look_alike(db, client):
    investigation, _ = demo.load_demo()
    original, repost = EvidenceFile.objects.filter(investigation=investigation).order_by("pk")
    assert original.metadata["gps"] == {"latitude": 43.2381, "longitude": 76.9452}
    assert original.metadata["camera_model"] == "iPhone 12"
    assert original.sha256 != repost.sha256
    citation = original.evidence.citations.get()
    others = files.pictures_cited_elsewhere(citation.claim, [citation])[citation.evidence_id]
    assert [other.claim for other in others] == [repost.evidence.citations.get().claim]
    signed = Verdict.objects.get(claim=citation.claim, status=Verdict.Status.SIGNED_OFF)
    assert original.sha256 in [c.get("file_sha256") for c in signed.signed_content["citations"]]
    client.login(username="viewer", password=demo.DEMO_PASSWORD)
    page = client.get(citation.claim.get_absolute_url()).content.decode()
    assert reverse("claims:evidence-file-thumbnail", args=[original.pk]) in page
