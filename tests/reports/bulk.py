"""Investigations of any size, fast: rows inserted in bulk, anchors exact by construction.

Used by the query-budget tests and by benchmarks/export.py.
"""

from datetime import UTC, datetime

from claims.models import (
    Claim,
    ClaimEvidence,
    ClaimStatus,
    Evidence,
    Quantity,
    Source,
    Stance,
    Verdict,
)
from claims.sources.anchoring import anchor_span

BATCH = 2000


def make_many_claims(
    investigation, count, *, evidence_per_claim=3, proposer, signer, claims_per_source=None
):
    """Add `count` claims, each with a quantity, `evidence_per_claim` pieces of evidence and
    (every other claim) a signed-off verdict, in sources of `claims_per_source` claims (all in
    one source when None). Returns the sources."""
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
