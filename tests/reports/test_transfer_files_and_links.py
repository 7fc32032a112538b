"""Uploaded files, decided similar-claim links and testimony citations travel in the transfer
file (version 6): the imported copy gives the same report digest and sign-off digests, the
same file bytes and hashes, and the same decisions; a file that lies about any of them is
refused whole."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.corroboration import links, matching
from claims.devdata.photos import photo_bytes
from claims.evidence import files
from claims.models import (
    ClaimLink,
    Evidence,
    EvidenceFile,
    Role,
    Stance,
    Verdict,
)
from claims.reporting import transfer
from tests.factories import make_claim, make_investigation, make_similar_pair, make_source
from tests.reports.conftest import sign_off
from tests.reports.test_report_transfer import (
    _counts,
    _export,
    _media_files,
    _refused,
    _report_hashes,
    _rewrite,
    _with_data,
)
from tests.test_evidence_files import PDF

PHOTO = photo_bytes(
    2022,
    taken_at="2022:01:05 14:03:07",
    make="Apple",
    model="iPhone 12",
    gps=(43.2381, 76.9452),
    serial="DEMO-F17ZX0QH",
)
DECIDED = (
    ClaimLink.Status.CONFIRMED_SAME,
    ClaimLink.Status.CONFIRMED_CONTRADICTS,
    ClaimLink.Status.REJECTED,
)


@pytest.fixture
def cited_world(report_world, alice, bob, rita):
    """The report world, plus: a photo and a PDF cited on a claim that is then signed off; a
    confirmed same-claim link whose other end is cited as testimony and signed off; a rejected
    link; and a confirmed link to a claim of another investigation (which cannot travel)."""
    investigation = report_world["investigation"]
    named = report_world["claims"][3]
    for name, body, stance in (("square.jpg", PHOTO, "supports"), ("decree.pdf", PDF, "context")):
        files.attach_file(
            named, actor=bob, upload=SimpleUploadedFile(name, body), stance=stance, note="Seen."
        )
    sign_off(named, bob, rita, rationale="The photo shows the square.")

    first, second, confirmed = make_similar_pair(investigation)
    links.decide(confirmed, actor=bob, decision="same", expected_version=confirmed.version)
    links.cite_testimony(confirmed, first, actor=bob, stance=Stance.SUPPORTS)
    sign_off(first, rita, bob, rationale="The wire says the same.")

    river = make_source(
        investigation,
        text="A resident said about 1,200 homes were flooded in Marrow overnight.",
        title="Resident",
        author="Resident",
    )
    rose = make_claim(river, "about 1,200 homes were flooded in Marrow overnight")
    matching.match_claim(rose.pk)
    rejected = ClaimLink.objects.filter(status=ClaimLink.Status.SUGGESTED).first()
    assert rejected is not None
    links.decide(rejected, actor=rita, decision="reject", expected_version=rejected.version)

    elsewhere = make_investigation(slug="alice-other", members=[(alice, Role.OWNER)])
    other = make_claim(
        make_source(elsewhere, text="The council counted 1,150 flooded homes in Marrow."),
        "The council counted 1,150 flooded homes in Marrow",
    )
    matching.match_claim(other.pk)
    across = ClaimLink.objects.filter(same_investigation=False, claim_b=other).first()
    links.decide(across, actor=alice, decision="same", expected_version=across.version)
    return investigation


def _signoffs(investigation):
    return sorted(
        (verdict.claim.statement, verdict.status, verdict.signed_sha256, verdict.signed_content)
        for verdict in Verdict.objects.filter(claim__investigation=investigation)
    )


def _read(field_file):
    with field_file.open("rb") as stored:
        return stored.read()


def _files(investigation):
    """Everything a stored file is, by its SHA-256, with the bytes of all three copies."""
    found = {}
    for stored in EvidenceFile.objects.filter(investigation=investigation):
        assert stored.evidence.investigation_id == investigation.pk
        found[stored.sha256] = {
            "evidence": stored.evidence.title,
            "kind": stored.kind,
            "content_type": stored.content_type,
            "size": stored.size,
            "original_name": stored.original_name,
            "uploaded_by": stored.uploaded_by.username,
            "uploaded_at": stored.uploaded_at,
            "original": hashlib.sha256(_read(stored.file)).hexdigest(),
            "published": (
                stored.published_sha256,
                stored.published_content_type,
                stored.published_copy and hashlib.sha256(_read(stored.published_copy)).hexdigest(),
            ),
            "thumbnail": stored.thumbnail and _read(stored.thumbnail),
            "picture": (stored.width, stored.height, stored.metadata, stored.dhash),
        }
    return found


def _decided_links(investigation):
    return sorted(
        (
            link.claim_a.quote,
            link.claim_b.quote,
            link.status,
            link.relation,
            link.score,
            link.reason,
            link.decided_by.username,
            link.decided_at,
            link.created_at,
        )
        for link in ClaimLink.objects.filter(
            claim_a__investigation=investigation,
            claim_b__investigation=investigation,
            status__in=DECIDED,
        )
    )


def _testimony(investigation):
    return sorted(
        (evidence.title, evidence.testimony.quote, evidence.testimony.source.title)
        for evidence in Evidence.objects.filter(
            investigation=investigation, testimony__isnull=False
        )
    )


def test_files_links_and_testimony_arrive_as_they_were(cited_world, media):
    investigation = cited_world
    reports_before = _report_hashes(investigation)
    signoffs, stored, decided = (
        _signoffs(investigation),
        _files(investigation),
        _decided_links(investigation),
    )
    testimony = _testimony(investigation)
    assert len(stored) == 2
    assert {link[2] for link in decided} == {
        ClaimLink.Status.CONFIRMED_SAME,
        ClaimLink.Status.REJECTED,
    }
    assert len(testimony) == 1
    data = _export(investigation)
    investigation.delete()

    copy = transfer.import_investigation(io.BytesIO(data))

    assert _signoffs(copy) == signoffs
    assert _files(copy) == stored
    assert _decided_links(copy) == decided
    assert _testimony(copy) == testimony
    assert _report_hashes(copy) == reports_before
