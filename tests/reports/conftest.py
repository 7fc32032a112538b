"""An investigation worth reporting on: a witness spelled four ways, hostile text, snapshots."""

import hashlib
import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest
from django.core.files.base import ContentFile

from claims.devdata.demo import DEMO_TEXT_PATH
from claims.evidence import citations
from claims.models import Membership, Snapshot, Source, Verdict
from claims.review import reviews, signoff
from tests.factories import make_claim, make_comment, make_snapshot, make_source

WITNESS = "Alimshan Isbasarov"
# Every way the witness is written in the demo testimony and in the article below.
WITNESS_SPELLINGS = ["Alimshan", "Isbasarov", "Izbasarov", "Isabarov", "Isabarow"]
ARTICLE_TEXT = (
    "Officials dispute the account. Izbasarov said 90 percent of the crowd was peaceful, "
    "but the ministry counted 1,300 people with weapons.\n\n"
    '=HYPERLINK("https://evil.example") was posted under the article, and so was '
    "[a link](https://evil.example) and <img src=x onerror=alert(1)>.\n"
)
HOSTILE_STATEMENT = '=HYPERLINK("https://evil.example","click") <script>alert(1)</script>'
HOSTILE_RATIONALE = "[click me](javascript:alert(1)) and **bold** <b>tag</b> @SUM(A1)"
FIXED_NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def named_reviewers(bob, rita):
    """Reviewers with names distinctive enough to search every output for."""
    for user, first, last in ((bob, "Bartholomew", "Quenneville"), (rita, "Ottilie", "Marchetti")):
        user.first_name, user.last_name = first, last
        user.save()
    return [bob, rita]


def _membership(user):
    return Membership.objects.get(user=user)


def sign_off(claim, proposer, reviewer, rating="true", rationale="Two sources agree."):
    verdict = reviews.propose_verdict(
        claim,
        proposer=proposer,
        membership=_membership(proposer),
        rating=rating,
        rationale=rationale,
    )
    verdict = reviews.sign_off_verdict(verdict, reviewer=reviewer, membership=_membership(reviewer))
    if not verdict.signed_sha256:
        record_signed_content(verdict)
    return verdict


def record_signed_content(verdict):
    """Store what the verdict rests on as its signed content and SHA-256, as sign-off does.

    The claim's statement, the verdict, and each citation not retracted with its page's
    newest finished snapshot (the archive a report cites).
    """
    claim = verdict.claim
    cited = []
    for citation in claim.citations.filter(retracted_at__isnull=True).select_related("evidence"):
        page = citation.evidence
        snapshot = (
            page.snapshots.filter(status=Snapshot.Status.DONE)
            .order_by("-created_at", "-pk")
            .first()
        )
        cited.append(
            {
                "stance": citation.stance,
                "url": page.url,
                "title": page.title,
                "snapshot_sha256": snapshot.sha256 if snapshot else "",
                "excerpt": citation.excerpt,
                "note": citation.note,
            }
        )
    content = signoff.signed_content(
        statement=claim.statement,
        rating=verdict.rating,
        rationale=verdict.rationale,
        citations=cited,
    )
    verdict.signed_content, verdict.signed_sha256 = content, signoff.content_sha256(content)
    Verdict.objects.filter(pk=verdict.pk).update(
        signed_content=verdict.signed_content, signed_sha256=verdict.signed_sha256
    )


def archive(citation, body=b"<html><body>Archived page</body></html>"):
    """A stored snapshot of the cited page, as evidence capture would leave it."""
    return make_snapshot(
        citation.evidence,
        fetched_at=datetime(2026, 10, 2, 8, 30, 15, 123456, tzinfo=UTC),
        final_url=citation.evidence.url,
        http_status=200,
        content_type="text/html; charset=utf-8",
        sha256=hashlib.sha256(body).hexdigest(),
        body=ContentFile(body, name="page.html"),
    )


@pytest.fixture
def report_world(investigation, named_reviewers, media):
    """Two sources, six claims, evidence with snapshots, verdicts signed off and pending."""
    bob, rita = named_reviewers
    testimony = make_source(
        investigation,
        text=DEMO_TEXT_PATH.read_text(encoding="utf-8"),
        title="Witness account",
        kind=Source.Kind.TESTIMONY,
        author=WITNESS,
        publisher="Demo desk",
        published_on=date(2022, 1, 13),
    )
    article = make_source(
        investigation,
        text=ARTICLE_TEXT,
        title="Officials dispute Isbasarov's account",
        kind=Source.Kind.ARTICLE,
        publisher="Example Wire",
        origin_url="https://example.org/dispute",
    )
    crowd = make_claim(
        testimony,
        "a group of 100 people grow to 200, then 300, until around 20,000, if not more, "
        "were marching towards the akimat",
        actor=bob,
        statement="The crowd grew to about 20,000.",
        speaker=WITNESS,
        attribution="witness",
    )
    stormed = make_claim(
        testimony,
        "On 5 January the city administration building was stormed",
        actor=bob,
        statement="The akimat was stormed on 5 January 2022.",
        attribution="reporter",
    )
    arrests = make_claim(testimony, "About 10,000 people have been arrested so far.", actor=bob)
    named = make_claim(
        testimony,
        "Alimshan Isabarow looks tired and grim",
        actor=bob,
        statement="Isabarow was exhausted.",
        speaker="Izbasarov",
    )
    peaceful = make_claim(
        article,
        "Izbasarov said 90 percent of the crowd was peaceful",
        actor=bob,
        statement=HOSTILE_STATEMENT,
        speaker="Izbasarov",
        attribution="witness",
    )
    make_claim(article, "[a link](https://evil.example)", actor=bob, statement="-1+1")
    wire = citations.cite_evidence(
        stormed,
        actor=bob,
        stance="supports",
        url="https://example.org/wire",
        title="Wire report on the akimat",
        publisher="Example Wire",
        excerpt="Footage shows the building burning.",
    )
    archive(wire)
    citations.cite_evidence(
        stormed,
        actor=bob,
        stance="context",
        url="https://example.org/video",
        title="Geolocated video",
        excerpt="Isbasarov is seen nearby.",
    )
    citations.cite_evidence(
        arrests, actor=bob, stance="refutes", url="https://example.org/ministry", title="Ministry"
    )
    sign_off(stormed, bob, rita)
    sign_off(crowd, rita, bob, rating="mostly_true", rationale="Izbasarov's figure is high.")
    sign_off(peaceful, bob, rita, rating="misleading", rationale=HOSTILE_RATIONALE)
    reviews.propose_verdict(
        arrests,
        proposer=bob,
        membership=_membership(bob),
        rating="mostly_false",
        rationale="Officials counted fewer.",
    )
    make_comment(named, rita, "Check the spelling with Bob.")
    return {
        "investigation": investigation,
        "testimony": testimony,
        "article": article,
        "claims": [crowd, stormed, arrests, named, peaceful],
    }


def pdf_text(data, tmp_path):
    """The text of a PDF as poppler's pdftotext reads it (what a reader can copy)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    result = subprocess.run([pdftotext, str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")
