"""The one place where tests create model rows. Text here is the tests' own.

Other helpers (the page world, the report fixtures, the permission matrix) build on these
functions instead of calling the ORM themselves. The functions named in the plural insert
their rows in bulk, for the tests and benchmarks that need many of them.
"""

from datetime import UTC, date, datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from claims.models import (
    Claim,
    ClaimEvidence,
    ClaimLink,
    ClaimStatus,
    CollectionLogEntry,
    Comment,
    Evidence,
    Investigation,
    Membership,
    Quantity,
    ReportFile,
    Snapshot,
    Source,
    Stance,
    Verdict,
    refresh_snapshot_pointers,
)
from claims.sources import marking
from claims.sources.anchoring import anchor_span, find_quote

FLOOD_TEXT = (
    "Flood on the Lower Vessa\n\n"
    "By the river desk\n\n"
    "The river rose by 3.2 metres overnight and about 1,200 homes were flooded in Marrow. "
    '"We lost everything in two hours," a baker named Ida Sorensen says. '
    "The regional governor said at least 14 people had died. "
    "Is the dam safe? Nobody could tell us.\n\n"
    "Leave a Reply\n"
)
BATCH = 2000


# --- People and investigations -----------------------------------------------------------


def make_user(username, password="pw-for-tests-123", **fields):
    return get_user_model().objects.create_user(username=username, password=password, **fields)


def make_users(usernames):
    """Users without a usable password, inserted together."""
    model = get_user_model()
    return model.objects.bulk_create(model(username=name) for name in usernames)


def make_investigation(slug="flood-2026", title="Vessa flood", members=(), **fields):
    """Create an investigation; `members` is a list of (user, role)."""
    investigation = Investigation.objects.create(slug=slug, title=title, **fields)
    for user, role in members:
        Membership.objects.create(investigation=investigation, user=user, role=role)
    return investigation


def add_members(investigation, users, role):
    return Membership.objects.bulk_create(
        Membership(investigation=investigation, user=user, role=role) for user in users
    )


# --- Sources and claims ------------------------------------------------------------------


def make_source(investigation, text=FLOOD_TEXT, title="Flood report", extract=False, **fields):
    return marking.add_source(
        investigation,
        actor=fields.pop("actor", None),
        text=text,
        run_extraction=extract,
        title=title,
        kind=fields.pop("kind", Source.Kind.ARTICLE),
        **fields,
    )


def make_claim(source, quote="about 1,200 homes were flooded in Marrow", actor=None, **fields):
    anchor = find_quote(source.text, quote)
    return marking.mark_claim(source, actor=actor, start=anchor.start, end=anchor.end, **fields)


def make_many_claims(investigation, count, title="Many boats"):
    """A source of `count` sentences, each marked as a claim; returns the claims in order."""
    text = " ".join(f"Item {i}: {i + 2} boats sank." for i in range(count))
    source = make_source(investigation, text=text, title=title)
    return [make_claim(source, f"Item {i}: {i + 2} boats sank.") for i in range(count)]


MINISTRY_FIGURES = "The interior ministry said 9,900 people had been detained. At least 238 died."
WIRE_FIGURES = "Nearly 6,000 people had been detained by Sunday. Tens of thousands marched."


def make_figure_sources(investigation, actor=None):
    """Two dated sources whose claims count the same things differently: (ministry, wire).

    Detained: "9,900" (ministry, 12 Jan 2022) and "Nearly 6,000" (wire, 9 Jan 2022), which rose;
    killed: "At least 238" alone. The wire's "Tens of thousands marched." is not marked.
    """
    ministry = make_source(
        investigation, text=MINISTRY_FIGURES, title="Ministry", published_on=date(2022, 1, 12)
    )
    wire = make_source(
        investigation, text=WIRE_FIGURES, title="Wire", published_on=date(2022, 1, 9)
    )
    make_claim(ministry, "The interior ministry said 9,900 people had been detained.", actor)
    make_claim(ministry, "At least 238 died.", actor, attribution="government")
    make_claim(wire, "Nearly 6,000 people had been detained by Sunday.", actor)
    return ministry, wire


def make_many_figures(investigation, count, title="Many counts"):
    """A source of `count` sentences that each give a number of people detained."""
    text = " ".join(f"Day {i}: {100 + i} people were detained." for i in range(count))
    source = make_source(investigation, text=text, title=title)
    return [make_claim(source, f"Day {i}: {100 + i} people were detained.") for i in range(count)]


def make_comment(claim, author, body="A note."):
    return Comment.objects.create(claim=claim, author=author, body=body)


def make_comments(claim, author, bodies):
    return Comment.objects.bulk_create(
        Comment(claim=claim, author=author, body=body) for body in bodies
    )


# --- Evidence, snapshots and report files ------------------------------------------------


def make_evidence(investigation, url="https://example.org/page", title="Page", **fields):
    fields.setdefault("normalized_url", url)
    return Evidence.objects.create(investigation=investigation, url=url, title=title, **fields)


def cite_pages(claim, count, stance=Stance.SUPPORTS):
    """`count` pages (Page 0, Page 1…) each cited on `claim`, inserted together."""
    pages = Evidence.objects.bulk_create(
        Evidence(
            investigation_id=claim.investigation_id,
            title=f"Page {n}",
            url=f"https://example.org/{n}",
        )
        for n in range(count)
    )
    ClaimEvidence.objects.bulk_create(
        ClaimEvidence(claim=claim, evidence=page, stance=stance) for page in pages
    )
    return pages


def make_snapshot(evidence, status=Snapshot.Status.DONE, **fields):
    return Snapshot.objects.create(evidence=evidence, status=status, **fields)


def make_capture_histories(pages):
    """For each page a failed and an archived capture, each logged, and a re-check."""
    now = timezone.now()
    snapshots = Snapshot.objects.bulk_create(
        Snapshot(evidence=page, status=status, sha256="1" * 64, extracted_text=f"Text {n}")
        for n, page in enumerate(pages)
        for status in (Snapshot.Status.FAILED, Snapshot.Status.DONE)
    )
    refresh_snapshot_pointers([page.pk for page in pages])
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
    return snapshots


def make_report_file(investigation, content=b"%PDF-1.7 prepared", name="report.pdf", **fields):
    """A report file, by default a PDF the worker has finished and stored in media; pass
    `content=None` for a row without a stored file (waiting, failed, or to save one later)."""
    fields.setdefault("status", ReportFile.Status.DONE)
    fields.setdefault("format_name", "pdf")
    if content is not None:
        fields["file"] = ContentFile(content, name=name)
    return ReportFile.objects.create(investigation=investigation, **fields)


# --- Large investigations ----------------------------------------------------------------


def make_bulk_claims(
    investigation, count, *, evidence_per_claim=3, proposer, signer, claims_per_source=None
):
    """Add `count` claims fast (rows inserted in bulk, anchors exact by construction), each
    with a quantity, `evidence_per_claim` pieces of evidence and (every other claim) a
    signed-off verdict, in sources of `claims_per_source` claims (all in one source when
    None). Returns the sources. Used by the report scale tests and the export benchmarks."""
    sentences = [
        f"Witness {n} said that {n % 97 + 3} people were detained near block {n}."
        for n in range(count)
    ]
    per_source = claims_per_source or max(count, 1)
    sources, claims = [], []
    for first in range(0, count, per_source):
        group = sentences[first : first + per_source]
        text = "\n".join(group)
        source = Source.objects.create(
            investigation=investigation,
            title=f"Statements {first + 1} to {first + len(group)}",
            text=text,
            kind="statement",
        )
        sources.append(source)
        position = 0
        for sentence in group:
            anchor = anchor_span(text, position, position + len(sentence))
            claims.append(
                Claim(
                    investigation=investigation,
                    source=source,
                    start=anchor.start,
                    end=anchor.end,
                    quote=anchor.quote,
                    prefix=anchor.prefix,
                    suffix=anchor.suffix,
                    statement=f"Detentions near block {len(claims)}.",
                    status=ClaimStatus.VERIFIED if len(claims) % 2 == 0 else ClaimStatus.OPEN,
                )
            )
            position += len(sentence) + 1
    Claim.objects.bulk_create(claims, batch_size=BATCH)
    quantities = []
    for claim in claims:
        number = claim.quote.split(" said that ")[1].split(" ")[0]
        start = claim.start + claim.quote.index(f" {number} people") + 1
        quantities.append(
            Quantity(
                claim=claim,
                investigation_id=claim.investigation_id,
                start=start,
                end=start + len(number),
                text=number,
                value=float(number),
                unit="people",
            )
        )
    Quantity.objects.bulk_create(quantities, batch_size=BATCH)
    evidence = [
        Evidence(
            investigation=investigation,
            url=f"https://example.org/{claim.pk}/{n}",
            normalized_url=f"https://example.org/{claim.pk}/{n}",
            title=f"Evidence {n} for claim {claim.pk}",
            publisher="Example",
        )
        for claim in claims
        for n in range(evidence_per_claim)
    ]
    Evidence.objects.bulk_create(evidence, batch_size=BATCH)
    ClaimEvidence.objects.bulk_create(
        [
            ClaimEvidence(
                claim=claims[index // evidence_per_claim],
                evidence=item,
                stance=Stance.SUPPORTS,
                excerpt="An excerpt long enough to look like a real one, quoted from the page.",
            )
            for index, item in enumerate(evidence)
        ],
        batch_size=BATCH,
    )
    now = datetime.now(UTC)
    Verdict.objects.bulk_create(
        [
            Verdict(
                claim=claim,
                rating="mostly_true",
                rationale="Official figures agree within ten percent.",
                status=Verdict.Status.SIGNED_OFF,
                proposed_by=proposer,
                signed_off_by=signer,
                signed_off_at=now,
            )
            for claim in claims
            if claim.status == ClaimStatus.VERIFIED
        ],
        batch_size=BATCH,
    )
    return sources


# --- Similar claims across sources ----------------------------------------------------------

WIRE_TEXT = (
    "Flood report from the wire\n\n"
    "The council counted 1,150 flooded homes in Marrow after the river rose overnight. "
    "A new school opened in the spring.\n"
)


def make_similar_pair(
    investigation,
    first_source=None,
    text=WIRE_TEXT,
    quote="The council counted 1,150 flooded homes in Marrow",
    **source_fields,
):
    """A second source whose claim says what the flood report's does; both matched at once
    (as the worker would). Returns (flood claim, wire claim, their ClaimLink)."""
    from claims.corroboration import matching

    first_source = first_source or make_source(investigation)
    first = make_claim(first_source)
    source_fields.setdefault("author", "Wire desk")
    source_fields.setdefault("publisher", "Example Wire")
    second_source = make_source(investigation, text=text, title="Wire report", **source_fields)
    second = make_claim(second_source, quote)
    matching.match_claim(first.pk)
    matching.match_claim(second.pk)
    low, high = sorted([first.pk, second.pk])
    return first, second, ClaimLink.objects.get(claim_a_id=low, claim_b_id=high)
