"""Attach evidence to claims: one Evidence row per page and investigation, cited by many claims."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import transaction
from django.db.models import Prefetch

from claims import audit
from claims.models import ClaimEvidence, CollectionLogEntry, Evidence, Snapshot
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

    Returns the ClaimEvidence. Raises AlreadyCited if this claim already cites the page.
    """
    normalized = normalize_url(url)
    with transaction.atomic():
        evidence = None
        if normalized:
            evidence = Evidence.objects.filter(
                investigation=claim.investigation, normalized_url=normalized
            ).first()
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
    panel shows, in a fixed number of queries: evidence, newest-first snapshots, collection
    log and the publisher's rating."""
    citations = claim.citations.all() if only is None else claim.citations.filter(pk=only)
    citations = list(
        citations.select_related("evidence", "added_by").prefetch_related(
            Prefetch(
                "evidence__snapshots",
                queryset=Snapshot.objects.order_by("-created_at", "-pk"),
                to_attr="prefetched_snapshots",
            ),
            Prefetch(
                "evidence__collection_log",
                queryset=CollectionLogEntry.objects.order_by("at", "pk"),
                to_attr="log",
            ),
        )
    )
    attach_ratings([citation.evidence for citation in citations], claim.investigation)
    for citation in citations:
        rechecks = [entry for entry in citation.evidence.log if entry.action == "recheck"]
        citation.evidence.last_recheck = rechecks[-1] if rechecks else None
    return citations
