"""Every GET page of the app, named by the permission matrix's table, and data to fill them.

Tests over "every page" (query budgets, headers, escaping) take their list from
`tests/test_permissions_matrix.EXPECTATIONS`, which already fails when a view has no entry;
a new GET view therefore joins these tests by being added there.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.access import invites
from claims.devdata import synthetic
from claims.devdata.photos import photo_bytes
from claims.evidence import files
from claims.models import (
    Claim,
    ClaimEvidence,
    EvidenceFile,
    Investigation,
    Quantity,
    ReportFile,
    Role,
    Snapshot,
    Source,
    Verdict,
)
from tests.factories import (
    add_members,
    cite_pages,
    make_capture_histories,
    make_comments,
    make_investigation,
    make_report_file,
    make_snapshot,
    make_users,
)
from tests.test_permissions_matrix import EXPECTATIONS, EXTRA_ARGS

# Fragments polled by htmx; a plain GET of them redirects to the page that holds them.
HTMX_ONLY = {"citation-detail"}

GET_PAGES = sorted(name for name, (method, _, _) in EXPECTATIONS.items() if method == "GET")


@dataclass
class World:
    viewer: object
    investigation: Investigation
    source: Source
    claim: Claim
    verdict: Verdict
    quantity: Quantity
    citation: ClaimEvidence | None = None
    snapshot: Snapshot | None = None
    report_file: ReportFile | None = None
    invite_token: str | None = None
    evidence_file: EvidenceFile | None = None
    picture_citation: ClaimEvidence | None = None

    def url(self, name):
        target = EXPECTATIONS[name][1]
        if target is None:
            return reverse(f"claims:{name}")
        obj = getattr(self, target)
        first = obj if isinstance(obj, str) else (obj.slug if target == "investigation" else obj.pk)
        return reverse(f"claims:{name}", args=[first, *EXTRA_ARGS.get(name, [])])


def build_world(rows, slug="world"):
    """An investigation where every list a page shows has about `rows` entries.

    Claims (with verdicts, comments, evidence and history) come from the synthetic
    generator; one claim additionally carries `rows` comments and citations, the viewer
    belongs to `rows` other investigations and the investigation has `rows` extra members.
    The viewer is the investigation's owner, so every page and button is open to them.
    """
    investigation = make_investigation(slug=slug, title=f"World {slug}")
    synthetic.generate(investigation, claims=rows, seed=rows)
    owner = get_user_model().objects.get(username="synthetic-owner")
    source = (
        Source.objects.filter(investigation=investigation).order_by("-pk").first()
        if rows < synthetic.CLAIMS_PER_SOURCE
        else Source.objects.filter(investigation=investigation).order_by("pk").first()
    )
    claim = (
        Claim.objects.filter(source=source, quantities__isnull=False)
        .exclude(status__in=["suggested", "dismissed"])
        .order_by("pk")
        .first()
    )
    source.original_file.save("original.html", ContentFile(b"<p>As uploaded.</p>"))
    verdict = Verdict.objects.filter(claim__investigation=investigation).order_by("pk").first()
    make_comments(claim, owner, [f"Comment {n}" for n in range(rows)])
    # Each cited page has a failed and an archived capture, each logged, plus a re-check.
    make_capture_histories(cite_pages(claim, rows))
    add_members(investigation, make_users(f"{slug}-member-{n}" for n in range(rows)), Role.VIEWER)
    for n in range(rows):
        make_investigation(
            slug=f"{slug}-other-{n}", title=f"Other {n}", members=[(owner, Role.VIEWER)]
        )
    citation = ClaimEvidence.objects.filter(claim=claim).order_by("pk").first()
    snapshot = make_snapshot(
        citation.evidence, sha256="0" * 64, body=ContentFile(b"kept", name="kept.gz")
    )
    report_file = make_report_file(investigation)
    # A photo cited on the claim, and a smaller copy of it on another: thumbnail, metadata
    # and the "same picture" links are on the page.
    picture = files.attach_file(
        claim,
        actor=owner,
        upload=SimpleUploadedFile("street.jpg", photo_bytes(1, taken_at="2022:01:05 14:03:07")),
        stance="supports",
    )
    other_claim = Claim.objects.filter(investigation=investigation).exclude(pk=claim.pk).first()
    if other_claim is not None:
        files.attach_file(
            other_claim,
            actor=owner,
            upload=SimpleUploadedFile("copy.jpg", photo_bytes(1, size=(300, 200), quality=50)),
            stance="context",
        )
    _, invite_token = invites.create(
        investigation, actor=owner, email="new@example.org", role=Role.VIEWER
    )
    return World(
        invite_token=invite_token,
        viewer=owner,
        investigation=investigation,
        source=source,
        claim=claim,
        verdict=verdict,
        quantity=claim.quantities.first(),
        citation=citation,
        snapshot=snapshot,
        report_file=report_file,
        evidence_file=picture.evidence.file,
        picture_citation=picture,
    )
