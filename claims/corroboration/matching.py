"""Finding similar claims, by the task worker: index a claim's words, shortlist, score, store.

When a claim is created, accepted or its words change, `queue_matching` asks the worker to
run `match_claims`. That indexes the claim's words (ClaimToken), shortlists the claims
sharing most of them through the index, scores the shortlist with similar.score and stores
each pair over the threshold as a suggested ClaimLink. Never all pairs, never on a page load.
`recompute(investigation)` does the same for every claim (after an import, for the demo).

Scope: a claim is matched against claims of its own investigation and of investigations that
share a member with it ("the user's other investigations"); links.py shows a link only to a
user who may see both of its claims. Decided links are never touched here.
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from claims.corroboration import similar
from claims.corroboration.comparison import interval
from claims.models import Claim, ClaimLink, ClaimStatus, ClaimToken, Membership, Quantity

# The candidate search reads at most this many claims per shared word, the newest first: a
# word shared by thousands of claims says little on its own, and the cost stays bounded.
POSTINGS_PER_WORD = 300
# Claims scored per changed claim, those sharing the most indexed words first.
SHORTLIST = 100


def claim_texts(claim_ids: Iterable[int]) -> dict[int, similar.ClaimText]:
    """{claim id: ClaimText} for the claims that exist among `claim_ids`; two queries."""
    ids = list(claim_ids)
    rows = Claim.objects.filter(pk__in=ids).values_list(
        "pk", "statement", "quote", "speaker", "investigation_id", "source_id"
    )
    figures: dict[int, list[similar.Figure]] = {}
    quantities = Quantity.objects.filter(claim_id__in=ids).values_list(
        "claim_id", "measure", "value", "low", "high", "bound", "text"
    )
    for claim_id, measure, value, low, high, bound, text in quantities:
        lowest, highest = interval(text, value, low, high, bound)
        figures.setdefault(claim_id, []).append(
            similar.Figure(measure, value, lowest, highest, text)
        )
    return {
        pk: similar.ClaimText(
            claim_id=pk,
            text=f"{statement} {quote}" if statement else quote,
            speaker=speaker,
            figures=figures.get(pk, []),
            investigation_id=investigation_id,
            source_id=source_id,
        )
        for pk, statement, quote, speaker, investigation_id, source_id in rows
    }


def index_claims(texts: Iterable[similar.ClaimText]):
    """Store the indexed words of each claim in place of those it had."""
    texts = list(texts)
    ClaimToken.objects.filter(claim_id__in=[text.claim_id for text in texts]).delete()
    ClaimToken.objects.bulk_create(
        [
            ClaimToken(claim_id=text.claim_id, investigation_id=text.investigation_id, token=token)
            for text in texts
            for token in similar.index_tokens(text.text)
        ],
        batch_size=2000,
    )


def matching_scope(investigation_id):
    """Ids of the investigations a claim of `investigation_id` is matched against: its own
    and those sharing at least one member with it."""
    shared = Membership.objects.filter(
        user__in=Membership.objects.filter(investigation_id=investigation_id).values("user")
    )
    return sorted({investigation_id, *shared.values_list("investigation_id", flat=True)})


def candidates(text: similar.ClaimText, scope, *, limit=SHORTLIST):
    """Ids of the claims in investigations `scope` sharing most indexed words with `text`.

    One query: per word, the newest POSTINGS_PER_WORD claims from the index (token, claim
    descending), counted per claim. The same SQL on PostgreSQL and SQLite.
    """
    tokens = similar.index_tokens(text.text)
    if not tokens or not scope:
        return []
    table = ClaimToken._meta.db_table
    in_scope = ", ".join(["%s"] * len(scope))
    part = (
        f"SELECT claim_id FROM (SELECT claim_id FROM {table} "  # noqa: S608 - names from models
        f"WHERE token = %s AND investigation_id IN ({in_scope}) "
        "ORDER BY claim_id DESC LIMIT %s) AS p{n}"
    )
    parts, params = [], []
    for n, token in enumerate(tokens):
        parts.append(part.replace("{n}", str(n)))
        params += [token, *scope, POSTINGS_PER_WORD]
    # A claim of several words must share two of them; a one- or two-word claim, one.
    at_least = 2 if len(tokens) >= 4 else 1
    sql = (
        f"SELECT claim_id FROM ({' UNION ALL '.join(parts)}) AS shared "  # noqa: S608
        "WHERE claim_id <> %s GROUP BY claim_id HAVING COUNT(*) >= %s "
        "ORDER BY COUNT(*) DESC, claim_id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, text.claim_id, at_least, limit])
        return [row[0] for row in cursor.fetchall()]


def _pair(x, y):
    return (x, y) if x < y else (y, x)


def match_claim(claim_id, *, index=True):
    """Index claim `claim_id`, score its candidates and store the suggested links.

    Returns the number of links suggested or updated. Decided links are left as they are;
    suggested links of this claim that no longer reach the threshold are removed.
    """
    texts = claim_texts([claim_id])
    text = texts.get(claim_id)
    if text is None:
        return 0
    if index:
        index_claims([text])
    existing = {
        _pair(a, b): (pk, status)
        for pk, a, b, status in ClaimLink.objects.filter(
            Q(claim_a=claim_id) | Q(claim_b=claim_id)
        ).values_list("pk", "claim_a", "claim_b", "status")
    }
    found = candidates(text, matching_scope(text.investigation_id))
    # Suggested partners are scored again, so a claim whose words changed loses them.
    again = [
        a if b == claim_id else b
        for (a, b), (_, status) in existing.items()
        if status == ClaimLink.Status.SUGGESTED
    ]
    others = claim_texts(set(found) | set(again))
    return _store(text, others, existing)


def _store(text, others, existing):
    new, changed, gone = [], 0, []
    for other in others.values():
        if other.source_id == text.source_id:
            continue  # claims across sources: one source repeating itself is no match
        match = similar.score(text, other)
        pair = _pair(text.claim_id, other.claim_id)
        known = existing.get(pair)
        if known is not None and known[1] != ClaimLink.Status.SUGGESTED:
            continue  # decided: the matcher never overrides a person
        if match.score < similar.THRESHOLD:
            if known is not None:
                gone.append(known[0])
            continue
        fields = {"relation": match.relation, "score": match.score, "reason": match.reason}
        if known is None:
            new.append(
                ClaimLink(
                    claim_a_id=pair[0],
                    claim_b_id=pair[1],
                    same_investigation=text.investigation_id == other.investigation_id,
                    **fields,
                )
            )
        else:
            changed += ClaimLink.objects.filter(
                pk=known[0], status=ClaimLink.Status.SUGGESTED
            ).update(**fields, updated_at=timezone.now())
    if gone:
        ClaimLink.objects.filter(pk__in=gone, status=ClaimLink.Status.SUGGESTED).delete()
    # Two workers may find the same pair at once: the unique pair keeps one row.
    ClaimLink.objects.bulk_create(new, ignore_conflicts=True)
    return len(new) + changed


@task
def match_claims(claim_ids):
    """The background task: find similar claims for each of `claim_ids`."""
    for claim_id in claim_ids:
        with transaction.atomic():
            match_claim(claim_id)


def queue_matching(claim_ids):
    """Ask the worker to match these claims once the current transaction commits."""
    ids = [int(pk) for pk in claim_ids]
    if ids:
        transaction.on_commit(lambda: match_claims.enqueue(ids))


def recompute(investigation, *, progress=None):
    """Index every claim of `investigation`, then match each; return links suggested.

    Indexing first lets each claim find the ones after it. `progress(done, total)` is
    called every 500 claims.
    """
    ids = list(
        Claim.objects.filter(investigation=investigation)
        .exclude(status=ClaimStatus.DISMISSED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), 2000):
        with transaction.atomic():
            index_claims(claim_texts(ids[start : start + 2000]).values())
    found = 0
    for done, claim_id in enumerate(ids, 1):
        with transaction.atomic():
            found += match_claim(claim_id, index=False)
        if progress is not None and done % 500 == 0:
            progress(done, len(ids))
    return found
