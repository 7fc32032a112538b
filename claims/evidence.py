"""Attach evidence to claims: one Evidence row per page and investigation, cited by many claims."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from claims import audit, limits
from claims.models import ClaimEvidence, CollectionLogEntry, Evidence
from claims.publishers import attach_ratings

# Parameters that identify a campaign or a click, not a document.
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "ref_src"}
)


class AlreadyCited(ValueError):
    """The claim already cites this evidence."""


def normalize_url(url):
    """Canonical form of a URL for recognising the same page twice.

    Lower-cases scheme and host, drops default ports, fragments and tracking parameters
    (utm_* and click ids), and sorts the remaining query so parameter order does not matter.
    """
    if not url:
        return ""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMETERS
    )
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def cite_evidence(
    claim,
    *,
    actor,
    stance,
    url="",
    title,
    publisher="",
    published_on=None,
    excerpt="",
    note="",
    reliability=None,
):
    """Cite a page as evidence for `claim`, reusing the investigation's row for the same URL.

    Returns the ClaimEvidence. Raises AlreadyCited if this claim already cites the page, and
    limits.TextTooLong for an excerpt or note over its limit.
    """
    limits.check_lengths(
        excerpt=(excerpt, limits.EXCERPT_MAX_CHARS), note=(note, limits.NOTE_MAX_CHARS)
    )
    normalized = normalize_url(url)
    with transaction.atomic():
        evidence = None
        if normalized:
            # Locked until the caller's transaction ends: cite_and_capture decides from
            # this row whether a capture is needed, and two citations at once must agree.
            evidence = (
                Evidence.objects.select_for_update()
                .filter(investigation=claim.investigation, normalized_url=normalized)
                .first()
            )
        if evidence is None:
            evidence = Evidence(
                investigation=claim.investigation,
                url=url,
                normalized_url=normalized,
                title=title,
                publisher=publisher,
                published_on=published_on,
                added_by=actor,
            )
            if reliability:
                evidence.reliability = reliability
            evidence.save()
        elif ClaimEvidence.objects.filter(claim=claim, evidence=evidence).exists():
            raise AlreadyCited("This claim already cites that page.")
        citation = ClaimEvidence.objects.create(
            claim=claim,
            evidence=evidence,
            stance=stance,
            excerpt=excerpt,
            note=note,
            added_by=actor,
        )
        audit.record(
            actor,
            "evidence.cite",
            citation,
            investigation=claim.investigation,
            claim=claim,
            after={"url": evidence.url, "title": evidence.title, "stance": stance},
        )
    return citation


def load_citations(claim, *, only=None):
    """The claim's citations (or just the one with pk `only`) with everything the evidence
    panel shows, in two queries however many there are: one for the citations with their
    evidence, latest and archived snapshot (pointers kept on Evidence) and the size and last
    re-check of the collection log; one for the publishers' ratings. The log itself is
    loaded only when someone opens it (load_collection_log)."""
    citations = claim.citations.all() if only is None else claim.citations.filter(pk=only)
    log = CollectionLogEntry.objects.filter(evidence=OuterRef("evidence")).order_by()
    rechecks = log.filter(action=CollectionLogEntry.Action.RECHECK).order_by("-at", "-pk")
    count = log.values("evidence").annotate(n=Count("pk")).values("n")
    citations = list(
        citations.select_related(
            "evidence__latest_snapshot", "evidence__archived_snapshot", "added_by"
        )
        # The latest snapshot is read only for its status and error; its text and metadata
        # would repeat the archived snapshot's when both are the same row.
        .defer("evidence__latest_snapshot__extracted_text", "evidence__latest_snapshot__metadata")
        .annotate(
            log_count=Coalesce(Subquery(count), 0),
            last_recheck_at=Subquery(rechecks.values("at")[:1]),
            last_recheck_outcome=Subquery(rechecks.values("outcome")[:1]),
        )
    )
    attach_ratings([citation.evidence for citation in citations], claim.investigation)
    for citation in citations:
        page = citation.evidence
        page.log_count = citation.log_count
        page.last_recheck = None
        if citation.last_recheck_at is not None:
            # Unsaved, for display only: the template shows its date and outcome.
            page.last_recheck = CollectionLogEntry(
                at=citation.last_recheck_at, outcome=citation.last_recheck_outcome
            )
    return citations


def load_collection_log(evidence):
    """The evidence item's collection log, oldest first."""
    return list(evidence.collection_log.order_by("at", "pk"))
