"""Find claims: the claim list's filters, sort orders and full-text search.

Search matches words at the start of words ("arrest" finds "arrested") in a claim's quote,
statement and speaker, the titles of the evidence it cites and its comments; every word must
match somewhere. On PostgreSQL each of those texts has a GIN index on
`to_tsvector('simple', ...)` (migrations 0004 and 0019), and the query below uses the very
same expressions so the planner can use them. The 'simple' configuration neither stems nor drops
stop words, which is what lets SQLite, with a regular expression per word, return the same
claims for plain words.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from claims.corroboration.links import confirmed_same_claims, independent_sources
from claims.models import Claim, ClaimEvidence, ClaimStatus, Comment, Quantity, Verdict

# Letters and digits; everything else (underscore included, as PostgreSQL's parser does)
# separates words.
WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 8
ACTIVE_EXCLUDED = (ClaimStatus.SUGGESTED, ClaimStatus.DISMISSED)

SORTS = {
    "position": ("Position in source", ["source_id", "start", "pk"]),
    "recent": ("Recently changed", ["-updated_at", "-pk"]),
    "priority": ("Priority", ["-priority", "source_id", "start", "pk"]),
    "status": ("Status", ["status", "source_id", "start", "pk"]),
    "evidence": ("Most evidence", ["-evidence_count", "source_id", "start", "pk"]),
    "fewest-evidence": ("Least evidence", ["evidence_count", "source_id", "start", "pk"]),
}


class SimpleVector(Func):
    """to_tsvector('simple', a || ' ' || b): must match the index expressions to the letter."""

    function = "to_tsvector"
    template = "%(function)s('simple'::regconfig, %(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = SearchVectorField()


def words(text):
    """The lower-cased words of a search text, at most MAX_WORDS, duplicates dropped."""
    seen = []
    for word in WORD.findall(text.lower()):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


def search(claims, text):
    """Narrow a Claim queryset to the claims matching every word of `text`."""
    for word in words(text):
        claims = claims.filter(_word_matches(word))
    return claims


def _word_matches(word):
    # Three uncorrelated id lists joined by OR: each is answered from its own index, where
    # one OR of a column test and EXISTS subqueries would force a scan of every claim.
    own, cited, commented = matching_rows(word)
    return (
        Q(pk__in=own.values("pk"))
        | Q(pk__in=cited.values("claim_id"))
        | Q(pk__in=commented.values("claim_id"))
    )


def matching_rows(word):
    """(claims, citations, comments) whose own text matches `word`, one queryset each."""
    own: QuerySet[Claim]
    cited: QuerySet[ClaimEvidence]
    commented: QuerySet[Comment]
    if connection.vendor == "postgresql":
        query = SearchQuery(f"{word}:*", config="simple", search_type="raw")
        own = Claim.objects.alias(v=SimpleVector("quote", "statement", "speaker")).filter(v=query)
        cited = ClaimEvidence.objects.alias(v=SimpleVector("evidence__title")).filter(v=query)
        commented = Comment.objects.alias(v=SimpleVector("body")).filter(v=query)
    else:
        # Python's `re` runs REGEXP on SQLite: a word starting after a non-letter-or-digit.
        pattern = rf"(?i)(?<![^\W_]){re.escape(word)}"
        own = Claim.objects.filter(
            Q(quote__regex=pattern) | Q(statement__regex=pattern) | Q(speaker__regex=pattern)
        )
        cited = ClaimEvidence.objects.filter(evidence__title__regex=pattern)
        commented = Comment.objects.filter(body__regex=pattern)
    return own, cited, commented


def with_list_columns(claims):
    """Annotate what a row of the claim list shows, in the one query that fetches the rows.

    Counts are subqueries rather than joins, so filters and sorts never multiply rows.
    """
    citations = (
        ClaimEvidence.objects.filter(claim=OuterRef("pk"), retracted_at__isnull=True)
        .order_by()
        .values("claim")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # One current verdict per claim (a constraint), so no order is needed to pick it.
    current = Verdict.objects.filter(
        claim=OuterRef("pk"), status__in=Verdict.CURRENT_STATUSES
    ).order_by()
    # "Has a quantity" as a scalar subquery with LIMIT 1, probed per row shown. PostgreSQL
    # plans an EXISTS here as a hashed subplan that reads every quantity of every claim
    # first (111,000 rows for a page of 50 at 100,000 claims).
    first_quantity = Quantity.objects.filter(claim=OuterRef("pk")).order_by().values("pk")[:1]
    return claims.alias(first_quantity=Subquery(first_quantity)).annotate(
        evidence_count=Coalesce(Subquery(citations, output_field=IntegerField()), Value(0)),
        has_numbers=ExpressionWrapper(Q(first_quantity__isnull=False), output_field=BooleanField()),
        verdict_rating=Subquery(current.values("rating")[:1]),
        verdict_status=Subquery(current.values("status")[:1]),
        independent_count=independent_sources(),
    )


# Each step of the walk below finds the next speaker name in index order; the walk ends
# when there is none. Table names come from the models, values are parameters.
_SPEAKERS_SQL = """
WITH RECURSIVE walk(name) AS (
    SELECT (SELECT speaker FROM {claim} WHERE investigation_id = %s ORDER BY speaker LIMIT 1)
    UNION ALL
    SELECT (
        SELECT speaker FROM {claim}
        WHERE investigation_id = %s AND speaker > walk.name ORDER BY speaker LIMIT 1
    )
    FROM walk WHERE walk.name IS NOT NULL
)
SELECT name FROM walk WHERE name IS NOT NULL AND name <> ''
"""


def speakers(investigation):
    """The distinct speakers of the investigation's claims, in no particular order.

    SELECT DISTINCT would read every claim (90 ms at 100,000 claims). This walks the index
    claim_speaker from one name to the next, one probe per distinct speaker.
    """
    sql = _SPEAKERS_SQL.format(claim=Claim._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [investigation.pk, investigation.pk])
        return [name for (name,) in cursor.fetchall()]


def filter_claims(claims, *, user, filters):
    """Apply the claim list's filters (a dict of cleaned form values) and its sort order.

    Keys, all optional: status ("" for claims being worked, "all", or a status), verdict (a
    rating, "none" or "awaiting"), assignee (a user id, "me" or "none"), speaker, source (id),
    tag (id), has_evidence, has_numbers and corroborated ("yes"/"no"), q (search words),
    sort (a SORTS key).
    """
    claims = with_list_columns(claims)
    # A missing or empty value reaches each filter as "": every one but status then does nothing.
    for key, apply in _FILTERS:
        claims = apply(claims, filters.get(key) or "", user)
    order = SORTS.get(filters.get("sort") or "position", SORTS["position"])[1]
    return claims.order_by(*order)


def _by_status(claims, status, user):
    if status in ClaimStatus.values:
        return claims.filter(status=status)
    if status != "all":
        return claims.exclude(status__in=ACTIVE_EXCLUDED)
    return claims


def _by_verdict(claims, verdict, user):
    if verdict == "none":
        return claims.filter(verdict_rating__isnull=True)
    if verdict == "awaiting":
        return claims.filter(verdict_status=Verdict.Status.PROPOSED)
    if verdict:
        return claims.filter(verdict_rating=verdict)
    return claims


def _by_assignee(claims, assignee, user):
    if assignee == "none":
        return claims.filter(assignee__isnull=True)
    if assignee == "me":
        return claims.filter(assignee=user)
    if assignee:
        return claims.filter(assignee_id=assignee)
    return claims


def _equal_to(lookup):
    """A filter keeping the claims whose `lookup` equals the value, when there is one."""

    def apply(claims, value, user):
        return claims.filter(**{lookup: value}) if value else claims

    return apply


def _by_evidence(claims, answer, user):
    if answer not in ("yes", "no"):
        return claims
    has_evidence = Q(evidence_count__gt=0)
    return claims.filter(has_evidence if answer == "yes" else ~has_evidence)


def _by_numbers(claims, answer, user):
    if answer not in ("yes", "no"):
        return claims
    return claims.filter(has_numbers=answer == "yes")


def _by_corroboration(claims, answer, user):
    # Only claims in a confirmed same-claim link can count above zero: the id list (few
    # rows, from a partial index) narrows the list before any count is taken.
    if answer == "yes":
        return claims.filter(pk__in=confirmed_same_claims(), independent_count__gt=0)
    if answer == "no":
        return claims.filter(~Q(pk__in=confirmed_same_claims()) | Q(independent_count=0))
    return claims


def _by_words(claims, text, user):
    return search(claims, text) if text else claims


# Applied in this order; each takes (claims, value or "", user) and returns claims.
_FILTERS = (
    ("status", _by_status),
    ("verdict", _by_verdict),
    ("assignee", _by_assignee),
    ("speaker", _equal_to("speaker")),
    ("source", _equal_to("source_id")),
    ("tag", _equal_to("tags__id")),
    ("has_evidence", _by_evidence),
    ("has_numbers", _by_numbers),
    ("corroborated", _by_corroboration),
    ("q", _by_words),
)
