"""Similar-claim lookup at scale: the worker's search for one changed claim, and the page read.

    DATABASE_URL=postgres://... DEBUG=1 python -m benchmarks.similar_scale [--claims 100000]

Needs PostgreSQL with the project migrated. Fills investigation `similar-<N>` with
`generate_synthetic` (once), indexes every claim's words (ClaimToken), then for a sample of
claims measures:

- candidates: the index query that shortlists claims sharing words (matching.candidates);
- worker: one changed claim end to end (matching.match_claim: re-index, shortlist, score
  with rapidfuzz, store links);
- page: the claim page section's read (links.visible_links + links.independent_count).

Prints p50/p95/p99 in milliseconds and writes benchmarks/results/similar_scale.json. The
synthetic texts use a small vocabulary, so every word is common: the worst case for the index.
"""

import argparse
import json
import random
import statistics
import time
from pathlib import Path

import django

RESULTS = Path(__file__).with_name("results") / "similar_scale.json"


def percentiles(samples):
    ordered = sorted(samples)

    def at(share):
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 2)

    return {"p50": at(0.5), "p95": at(0.95), "p99": at(0.99), "n": len(ordered)}


def timed(function, *args):
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from claims.corroboration import links, matching
    from claims.models import Claim, ClaimToken, Investigation, Membership

    if connection.vendor != "postgresql":
        raise SystemExit("Run with DATABASE_URL naming a PostgreSQL database.")
    slug = f"similar-{args.claims}"
    investigation = Investigation.objects.filter(slug=slug).first()
    if investigation is None:
        call_command("generate_synthetic", investigation=slug, claims=args.claims)
        investigation = Investigation.objects.get(slug=slug)
    ids = list(
        Claim.objects.filter(investigation=investigation)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ClaimToken.objects.filter(investigation=investigation).exists():
        started = time.perf_counter()
        for start in range(0, len(ids), 5000):
            with transaction.atomic():
                matching.index_claims(matching.claim_texts(ids[start : start + 5000]).values())
        print(f"indexed {len(ids):,} claims in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rng = random.Random(7)
    sample = rng.sample(ids, min(args.sample, len(ids)))
    scope = matching.matching_scope(investigation.pk)
    texts = matching.claim_texts(sample)
    # Warm the caches once, as a running server would be.
    for claim_id in sample[:20]:
        matching.candidates(texts[claim_id], scope)
    candidate_times = [timed(matching.candidates, texts[pk], scope) for pk in sample]
    worker_times = []
    for claim_id in sample:
        with transaction.atomic():
            worker_times.append(timed(matching.match_claim, claim_id))
    user = Membership.objects.filter(investigation=investigation).first().user
    claims = {
        claim.pk: claim for claim in Claim.objects.select_related("source").filter(pk__in=sample)
    }

    def page(claim):
        links.independent_count(claim, links.visible_links(claim, user))

    page_times = [timed(page, claims[pk]) for pk in sample]
    shortlist = [len(matching.candidates(texts[pk], scope)) for pk in sample[:50]]
    result = {
        "claims": len(ids),
        "tokens": ClaimToken.objects.filter(investigation=investigation).count(),
        "links": investigation.claims.filter(links_as_a__isnull=False).count(),
        "candidates_ms": percentiles(candidate_times),
        "worker_one_claim_ms": percentiles(worker_times),
        "page_read_ms": percentiles(page_times),
        "mean_shortlist": statistics.mean(shortlist),
    }
    print(json.dumps(result, indent=2))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
