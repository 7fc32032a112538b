"""Every GET page of the app, named by the permission matrix's table, and data to fill them.

Tests over "every page" (query budgets, headers, escaping) take their list from
`tests/test_permissions_matrix.EXPECTATIONS`, which already fails when a view has no entry;
a new GET view therefore joins these tests by being added there.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from claims.devdata import synthetic
from claims.models import (
    Claim,
    ClaimEvidence,
    CollectionLogEntry,
    Comment,
    Evidence,
    Investigation,
    Membership,
    Quantity,
    ReportFile,
    Role,
    Snapshot,
    Source,
    Stance,
    Verdict,
    refresh_snapshot_pointers,
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

    def url(self, name):
        target = EXPECTATIONS[name][1]
        if target is None:
            return reverse(f"claims:{name}")
        obj = getattr(self, target)
        first = obj.slug if target == "investigation" else obj.pk
        return reverse(f"claims:{name}", args=[first, *EXTRA_ARGS.get(name, [])])


def build_world(rows, slug="world"):
    """An investigation where every list a page shows has about `rows` entries.

    Claims (with verdicts, comments, evidence and history) come from the synthetic
    generator; one claim additionally carries `rows` comments and citations, the viewer
    belongs to `rows` other investigations and the investigation has `rows` extra members.
    The viewer is the investigation's owner, so every page and button is open to them.
    """
    investigation = Investigation.objects.create(slug=slug, title=f"World {slug}")
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
    Comment.objects.bulk_create(
        Comment(claim=claim, author=owner, body=f"Comment {n}") for n in range(rows)
    )
    evidence = Evidence.objects.bulk_create(
        Evidence(investigation=investigation, title=f"Page {n}", url=f"https://example.org/{n}")
        for n in range(rows)
    )
    ClaimEvidence.objects.bulk_create(
        ClaimEvidence(claim=claim, evidence=page, stance=Stance.SUPPORTS) for page in evidence
    )
    # Each cited page has a failed and an archived capture, each logged, plus a re-check.
    now = timezone.now()
    snapshots = Snapshot.objects.bulk_create(
        Snapshot(evidence=page, status=status, sha256="1" * 64, extracted_text=f"Text {n}")
        for n, page in enumerate(evidence)
        for status in (Snapshot.Status.FAILED, Snapshot.Status.DONE)
    )
    refresh_snapshot_pointers([page.pk for page in evidence])
    CollectionLogEntry.objects.bulk_create(
        CollectionLogEntry(
            evidence=snapshot.evidence,
            snapshot=snapshot,
            action=action,
            outcome=outcome,
            at=now,
            url=snapshot.evidence.url,
            method="test",
            operator_name="tester",
        )
        for snapshot in snapshots
        for action, outcome in (
            [("capture", "archived"), ("recheck", "unchanged")]
            if snapshot.status == Snapshot.Status.DONE
            else [("capture", "failed")]
        )
    )
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{slug}-member-{n}") for n in range(rows)
    )
    Membership.objects.bulk_create(
        Membership(investigation=investigation, user=user, role=Role.VIEWER) for user in users
    )
    for n in range(rows):
        other = Investigation.objects.create(slug=f"{slug}-other-{n}", title=f"Other {n}")
        Membership.objects.create(investigation=other, user=owner, role=Role.VIEWER)
    citation = ClaimEvidence.objects.filter(claim=claim).order_by("pk").first()
    snapshot = Snapshot.objects.create(
        evidence=citation.evidence,
        status=Snapshot.Status.DONE,
        sha256="0" * 64,
        body=ContentFile(b"kept", name="kept.gz"),
    )
    report_file = make_report_file(investigation)
    return World(
        viewer=owner,
        investigation=investigation,
        source=source,
        claim=claim,
        verdict=verdict,
        quantity=claim.quantities.first(),
        citation=citation,
        snapshot=snapshot,
        report_file=report_file,
    )


def make_report_file(investigation):
    """A PDF report the worker has finished, stored in media."""
    return ReportFile.objects.create(
        investigation=investigation,
        format_name="pdf",
        status=ReportFile.Status.DONE,
        file=ContentFile(b"%PDF-1.7 prepared", name="report.pdf"),
    )
