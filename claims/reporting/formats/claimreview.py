"""ClaimReview (schema.org JSON-LD), the markup search engines and fact-check networks read.

Only claims whose verdict a second reviewer signed off are published as ClaimReview: a
proposal awaiting sign-off is not yet the team's finding.
"""

import json

from claims.models import VerdictRating

# ClaimReview wants a number on a scale; our verdicts are words. The number places each verdict
# on a scale from 1 (false) to 5 (true); alternateName always carries the verdict itself, which
# is what readers and search engines show. "Misleading" (true parts, false impression) sits
# with "mostly false"; "unverifiable" asserts neither truth nor falsehood and sits in the middle
# with "mixed" — read alternateName to tell them apart.
RATING_VALUES = {
    VerdictRating.TRUE: 5,
    VerdictRating.MOSTLY_TRUE: 4,
    VerdictRating.MIXED: 3,
    VerdictRating.UNVERIFIABLE: 3,
    VerdictRating.MISLEADING: 2,
    VerdictRating.MOSTLY_FALSE: 2,
    VerdictRating.FALSE: 1,
}
BEST_RATING, WORST_RATING = 5, 1


def one_line(text):
    """The text with its line breaks and runs of spaces folded to single spaces.

    claimReviewed is the claim whole: search engines suggest a short one, but a claim cut
    to fit is another claim, so shortening it is the writer's job, in the statement.
    """
    return " ".join(text.split())


def _claim_author(source, claim):
    if claim.speaker:
        return {"@type": "Person", "name": claim.speaker}
    if claim.attribution == "reporter" and source.publisher:
        return {"@type": "Organization", "name": source.publisher}
    if source.author:
        return {"@type": "Person", "name": source.author}
    if source.publisher:
        return {"@type": "Organization", "name": source.publisher}
    return None


def claim_review(report, source, claim):
    verdict = claim.verdict
    appearance = {"@type": "CreativeWork", "headline": source.title}
    if source.origin_url:
        appearance["url"] = source.origin_url
    if source.published_on:
        appearance["datePublished"] = source.published_on
    item = {"@type": "Claim", "appearance": appearance, "firstAppearance": appearance}
    author = _claim_author(source, claim)
    if author:
        item["author"] = author
    if source.published_on:
        item["datePublished"] = source.published_on
    review: dict = {"@context": "https://schema.org", "@type": "ClaimReview"}
    if report.publication_url:
        # Where readers find the review. Without a publication address there is none to
        # give: the workbench's own address is private, and a URN is no page.
        review["url"] = report.claim_url(claim)
    review |= {
        "claimReviewed": one_line(claim.statement or claim.quote),
        "datePublished": verdict.signed_off_at[:10],
        "author": {
            "@type": "Organization",
            "name": report.publisher or f"Verification team: {report.investigation['title']}",
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_VALUES[verdict.rating],
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": verdict.rating_label,
            "ratingExplanation": verdict.rationale,
        },
        "itemReviewed": item,
    }
    if claim.signoff is not None and claim.signoff.sha256:
        # Thing.identifier takes a PropertyValue: the digest that ties this review to the
        # sign-off recorded by the team (withheld in some pseudonymized reports).
        review["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "signoff-sha256",
            "name": "SHA-256 of the signed-off verdict",
            "value": claim.signoff.sha256,
        }
    return review


def claim_reviews(report):
    return [
        claim_review(report, source, claim)
        for source in report.sources
        for claim in source.claims
        if claim.verdict is not None and claim.verdict.is_signed_off
    ]


def render_claimreview(report):
    """A JSON array of ClaimReview objects, ready for a <script type="application/ld+json">."""
    return json.dumps(claim_reviews(report), ensure_ascii=False, indent=2) + "\n"
