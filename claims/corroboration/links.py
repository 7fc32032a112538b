"""Similar claims across sources: reading, deciding and citing the links matching.py found.

- Reading: a link shows only to a user who may see both of its claims (`visible_links`).
- Deciding: a reviewer confirms "same claim" or "contradicts", or rejects (`decide`); the
  matcher never touches a decided link again, so a rejection stays.
- Independent corroboration: confirmed-same claims of the same investigation from sources
  whose author and publisher both differ from the claim's own source (a blank author or
  publisher says nothing, so it never makes two sources the same), counted by source.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Func, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from claims import limits
from claims.access.roles import Action, member_allows
from claims.evidence import citations
from claims.models import Claim, ClaimEvidence, ClaimLink, Membership, Source, Stance
from claims.review import audit
from claims.review.workflow import EditConflict, TransitionRefused

DECISIONS = {
    "same": ClaimLink.Status.CONFIRMED_SAME,
    "contradicts": ClaimLink.Status.CONFIRMED_CONTRADICTS,
    "reject": ClaimLink.Status.REJECTED,
}


class LinkChanged(EditConflict):
    """Someone decided the link since the page was loaded: the first decision stands."""


# -- Reading links --------------------------------------------------------------------------


@dataclass
class SimilarClaim:
    """One link as a claim page shows it: the link and the claim at its other end."""

    link: ClaimLink
    other: Claim

    @property
    def is_decided(self):
        return self.link.status != ClaimLink.Status.SUGGESTED

    @property
    def is_confirmed(self):
        return self.link.status in ClaimLink.CONFIRMED

    @property
    def is_independent(self):
        return self.link.status == ClaimLink.Status.CONFIRMED_SAME and self.link.same_investigation


# At most this many links are shown per claim: confirmed first, then the best suggestions.
# Synthetic near-duplicates gave some claims a hundred suggestions; nobody reads past a few.
SHOWN = 25


def visible_links(claim, user):
    """The claim's links whose other claim `user` may see, best first; one query.

    Confirmed links first, then suggestions by score, rejected ones last; at most SHOWN.
    """
    mine = Membership.objects.filter(user=user).values("investigation_id")
    rank = Case(
        When(status__in=ClaimLink.CONFIRMED, then=Value(0)),
        When(status=ClaimLink.Status.SUGGESTED, then=Value(1)),
        default=Value(2),
    )
    links = (
        ClaimLink.objects.filter(Q(claim_a=claim) | Q(claim_b=claim))
        .filter(claim_a__investigation_id__in=mine, claim_b__investigation_id__in=mine)
        .select_related("claim_a__source", "claim_b__source", "decided_by")
        .defer("claim_a__source__text", "claim_b__source__text")
        .alias(rank=rank)
        .order_by("rank", "-score", "pk")[:SHOWN]
    )
    return [
        SimilarClaim(link, link.claim_b if link.claim_a_id == claim.pk else link.claim_a)
        for link in links
    ]


def is_independent(source, other):
    """True when `other` is a source independent of `source`: another source whose author
    and publisher both differ (blank values never count as the same)."""

    def same(x, y):
        return bool(x.strip()) and x.strip().lower() == y.strip().lower()

    return (
        source.pk != other.pk
        and not same(source.author, other.author)
        and not same(source.publisher, other.publisher)
    )


def independent_count(claim, shown):
    """How many independent sources corroborate `claim`, from its loaded SimilarClaims."""
    sources = {
        item.other.source_id
        for item in shown
        if item.is_independent and is_independent(claim.source, item.other.source)
    }
    return len(sources)


class _Count(Func):
    function = "COUNT"
    output_field = IntegerField()


def independent_sources(outer="pk"):
    """An expression for a Claim queryset: the independent-corroboration count of each row
    (the claim id in column `outer`), as independent_count() would give it."""
    claim = OuterRef(OuterRef(outer))
    # One subquery of the other ends' sources, both directions at once: two IN lists joined
    # by OR left PostgreSQL scanning every source for every row of the list.
    other_sources = (
        ClaimLink.objects.filter(status=ClaimLink.Status.CONFIRMED_SAME, same_investigation=True)
        .filter(Q(claim_a=claim) | Q(claim_b=claim))
        .annotate(
            other_source=Case(
                When(claim_a=claim, then=F("claim_b__source_id")),
                default=F("claim_a__source_id"),
            )
        )
        .values("other_source")
    )
    # The claim's own source is read inside the subquery, not joined to the outer query:
    # a join there stays in the list's capped count, which then read every claim (a
    # sequential scan at 100,000 claims) instead of walking an index.
    own_source = Source.objects.filter(pk=OuterRef(OuterRef("source_id")))
    sources = (
        Source.objects.filter(pk__in=other_sources)
        .exclude(pk=OuterRef("source_id"))
        .alias(
            own_author=Subquery(own_source.values("author")[:1]),
            own_publisher=Subquery(own_source.values("publisher")[:1]),
        )
        .exclude(Q(author__iexact=F("own_author")) & ~Q(author=""))
        .exclude(Q(publisher__iexact=F("own_publisher")) & ~Q(publisher=""))
        .order_by()
        .annotate(n=_Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(sources, output_field=IntegerField()), Value(0))


def confirmed_same_claims():
    """A subquery of the ids of claims in at least one confirmed same-claim link of their
    own investigation: the few claims independent_sources() can count above zero."""
    confirmed = ClaimLink.objects.filter(
        status=ClaimLink.Status.CONFIRMED_SAME, same_investigation=True
    )
    return Claim.objects.filter(
        Q(pk__in=confirmed.values("claim_a")) | Q(pk__in=confirmed.values("claim_b"))
    ).values("pk")


# -- Deciding -------------------------------------------------------------------------------


def decide(link, *, actor, decision, expected_version):
    """Confirm the link as the same claim or a contradiction, or reject it; return it.

    Recorded on both claims' histories. Raises LinkChanged when the link was decided (or
    rescored) since `expected_version`: two clicks at once make one decision.
    """
    if decision not in DECISIONS:
        raise TransitionRefused("Choose “same claim”, “contradicts” or “reject”.")
    _require_role(
        actor, {link.claim_a.investigation_id, link.claim_b.investigation_id}, Action.DECIDE_LINK
    )
    status = DECISIONS[decision]
    before = link.status
    with transaction.atomic():
        updated = ClaimLink.objects.filter(pk=link.pk, version=expected_version).update(
            status=status,
            decided_by=actor,
            decided_at=timezone.now(),
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        link.refresh_from_db()
        if not updated:
            who = link.decided_by.get_username() if link.decided_by else "the matcher"
            raise LinkChanged(
                f"This link changed meanwhile: it is now “{link.get_status_display()}” "
                f"(by {who}). Nothing was changed; check it and decide again if needed."
            )
        claims = Claim.objects.select_related("investigation").filter(
            pk__in=[link.claim_a_id, link.claim_b_id]
        )
        for claim in sorted(claims, key=lambda c: (c.investigation_id, c.pk)):
            other = link.other(claim.pk)
            audit.record(
                actor,
                f"link.{status}",
                link,
                investigation=claim.investigation,
                claim=claim,
                before={"status": before},
                after={"status": status, "other_claim": other, "reason": link.reason},
            )
    return link


def _require_role(actor, investigation_ids, action):
    """TransitionRefused unless `actor` may take `action` in every one of the investigations:
    the rule holds for every door (page, command, shell), not only the views' permission check."""
    memberships = {
        row.investigation_id: row
        for row in Membership.objects.filter(user=actor, investigation_id__in=investigation_ids)
    }
    if not all(member_allows(memberships.get(pk), action) for pk in investigation_ids):
        raise TransitionRefused("Your role does not allow this on both claims' investigations.")


# -- Citing a matched claim as evidence -----------------------------------------------------


def cite_testimony(link, claim, *, actor, stance):
    """Cite the claim at the other end of a confirmed `link` as evidence for `claim`.

    The other claim must be in the same investigation (a citation shows its words to every
    member). Returns the ClaimEvidence; raises TransitionRefused for a link not confirmed
    or across investigations, citations.AlreadyCited when `claim` cites it already.
    """
    if claim.pk not in (link.claim_a_id, link.claim_b_id):
        raise TransitionRefused("That match does not involve this claim.")
    if stance not in Stance.values:
        raise TransitionRefused("Choose how the testimony bears on the claim.")
    _require_role(actor, {claim.investigation_id}, Action.CITE_TESTIMONY)
    if link.status not in ClaimLink.CONFIRMED:
        raise TransitionRefused("Only a confirmed match can be cited as evidence.")
    other = (
        Claim.objects.select_related("source").defer("source__text").get(pk=link.other(claim.pk))
    )
    if other.investigation_id != claim.investigation_id:
        raise TransitionRefused(
            "Only a claim of this investigation can be cited: its members would see it."
        )
    source = other.source
    with transaction.atomic():
        cited = ClaimEvidence.objects.filter(
            claim=claim, evidence__testimony=other, retracted_at__isnull=True
        )
        if cited.exists():
            raise citations.AlreadyCited("This claim already cites that testimony.")
        relation = (
            "the same claim"
            if link.status == ClaimLink.Status.CONFIRMED_SAME
            else ("a contradicting claim")
        )
        try:
            return citations.cite_evidence(
                claim,
                actor=actor,
                stance=stance,
                title=f"Testimony: {source.title}"[:300],
                publisher=(source.publisher or source.author)[:200],
                published_on=source.published_on,
                excerpt=other.quote[: limits.EXCERPT_MAX_CHARS],
                note=_confirmed_note(relation, other.speaker or source.author),
                testimony=other,
            )
        except IntegrityError as error:  # pragma: no cover - the unique citation rule
            raise citations.AlreadyCited("This claim already cites that testimony.") from error


# -- Listing an investigation's links -------------------------------------------------------


@dataclass
class LinkedPair:
    """One link of an investigation, for `manage.py corroborate`."""

    relation: str  # "same" or "contradicts"
    status: str
    score: float
    reason: str
    claims: list[dict]


def investigation_links(investigation, *, include_suggestions=False):
    """The confirmed links between claims of `investigation` (and the suggested ones with
    `include_suggestions`), best first; rejected links never. One query."""
    statuses = list(ClaimLink.CONFIRMED)
    if include_suggestions:
        statuses.append(ClaimLink.Status.SUGGESTED)
    rows = (
        ClaimLink.objects.filter(
            claim_a__investigation=investigation,
            same_investigation=True,
            status__in=statuses,
        )
        .select_related("claim_a__source", "claim_b__source")
        .defer("claim_a__source__text", "claim_b__source__text")
        .order_by("-score", "pk")
    )
    pairs = []
    for link in rows:
        decided: dict[str, str] = {
            ClaimLink.Status.CONFIRMED_SAME: ClaimLink.Relation.SAME,
            ClaimLink.Status.CONFIRMED_CONTRADICTS: ClaimLink.Relation.CONTRADICTS,
        }
        relation = decided.get(link.status, link.relation)
        claims = [
            {"source": claim.source.title, "quote": claim.quote, "claim_id": claim.pk}
            for claim in (link.claim_a, link.claim_b)
        ]
        pairs.append(LinkedPair(str(relation), link.status, link.score, link.reason, claims))
    return pairs


def _confirmed_note(relation, said_by):
    """The citation's note: what the reviewer confirmed, and by whom the other claim is said
    when its source names anyone."""
    if not said_by:
        return f"Confirmed as {relation}."
    return f"Confirmed as {relation}, as stated by {said_by}."
