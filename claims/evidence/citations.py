"""Attach evidence to claims: one Evidence row per page and investigation, cited by many claims.

A citation is never deleted. One that should not have been made is retracted, with a reason:
it stays on the claim page, struck through, and leaves the evidence a verdict rests on. Both
citing and retracting change what a sign-off approves, so each voids a sign-off it no longer
matches (reviews.void_if_changed), in the same transaction.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from claims import limits
from claims.access.roles import Action, member_allows
from claims.columns import with_usernames
from claims.evidence.publishers import attach_ratings
from claims.models import ClaimEvidence, CollectionLogEntry, Evidence, EvidenceFile, Snapshot
from claims.review import audit, reviews
from claims.review.guarded import guarded_update
from claims.review.workflow import EditConflict, TransitionRefused, WorkflowError
from claims.weblinks import DEFAULT_PORTS

# Parameters that identify a campaign or a click, not a document.
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "ref_src"}
)


class AlreadyCited(ValueError):
    """The claim already cites this evidence."""


class RetractionRefused(WorkflowError):
    """The member may not retract this citation."""


class AlreadyRetracted(EditConflict):
    """The citation was retracted before this request could: the first retraction counts."""


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
    try:
        port = parts.port
    except ValueError:  # out of range or not a number: keep it as written, never fail here
        port = parts.netloc.rpartition(":")[2]
    if port and DEFAULT_PORTS.get(scheme) != port:
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
    testimony=None,
):
    """Cite a page as evidence for `claim`, reusing the investigation's row for the same URL.

    `testimony`: another claim of the investigation cited as evidence (links.cite_testimony);
    such evidence has no link.

    Returns the ClaimEvidence. Raises AlreadyCited if this claim already cites the page, and
    limits.TextTooLong for an excerpt or note over its limit.
    """
    limits.check_lengths(
        excerpt=(excerpt, limits.EXCERPT_MAX_CHARS), note=(note, limits.NOTE_MAX_CHARS)
    )
    normalized = normalize_url(url)
    fields = {
        "url": url,
        "title": title,
        "publisher": publisher,
        "published_on": published_on,
        "added_by": actor,
    }
    if testimony is not None:
        fields["testimony"] = testimony
    if reliability:
        fields["reliability"] = reliability
    with transaction.atomic():
        if not normalized:  # no link (a book, an interview): always an item of its own
            evidence = Evidence.objects.create(investigation=claim.investigation, **fields)
        else:
            # Locked until the caller's transaction ends: cite_and_capture decides from
            # this row whether a capture is needed, and two citations at once must agree.
            # When two citations of a new link race, both insert; the unique constraint makes
            # the second wait for the first and fail, and get_or_create (inside a savepoint)
            # then reads and locks the first's row: one evidence item, one capture.
            evidence, created = Evidence.objects.select_for_update().get_or_create(
                investigation=claim.investigation, normalized_url=normalized, defaults=fields
            )
            # A retracted citation stays as it was; citing the page again is a new citation.
            if (
                not created
                and ClaimEvidence.objects.filter(
                    claim=claim, evidence=evidence, retracted_at__isnull=True
                ).exists()
            ):
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
        reviews.void_if_changed(
            claim, actor=actor, reason=f"Evidence was cited after the sign-off: “{evidence.title}”."
        )
    return citation


def can_retract(membership, citation, user):
    """True when the member may retract `citation`: editors any, reviewers their own."""
    if member_allows(membership, Action.RETRACT_ANY_CITATION):
        return True
    own = citation.added_by_id is not None and citation.added_by_id == user.pk
    return own and member_allows(membership, Action.RETRACT_OWN_CITATION)


def retract_citation(citation, *, actor, membership, reason):
    """Take a citation back, with a reason; return it.

    The row stays, with who retracted it, when and why; it leaves the evidence a verdict rests
    on, so a sign-off that rested on it is voided. Raises RetractionRefused when the member may
    not retract it (can_retract), TransitionRefused without a reason, and AlreadyRetracted when
    it was retracted meanwhile (the same request sent twice, or someone else): the first
    retraction is the one kept, and recorded once.
    """
    if not can_retract(membership, citation, actor):
        if member_allows(membership, Action.RETRACT_OWN_CITATION):
            raise RetractionRefused(
                "You can retract only your own citations; an editor can retract any."
            )
        raise RetractionRefused("Your role cannot retract citations.")
    reason = reason.strip()
    if not reason:
        raise TransitionRefused("Say why the citation is retracted: a reason is required.")
    claim = citation.claim
    with transaction.atomic():
        title = citation.evidence.title
        guarded_update(
            citation,
            expect={"retracted_at__isnull": True},
            changes={
                "retracted_at": timezone.now(),
                "retracted_by": actor,
                "retraction_reason": reason,
                "version": F("version") + 1,
            },
            conflict=_retracted_before,
            event={
                "actor": actor,
                "action": "citation.retract",
                "after": {"reason": reason, "title": title},
            },
        )
        reviews.void_if_changed(
            claim, actor=actor, reason=f"The citation of “{title}” was retracted: {reason}"
        )
    return citation


def _retracted_before(citation):
    who = citation.retracted_by.get_username() if citation.retracted_by else "someone"
    return AlreadyRetracted(
        f"This citation was already retracted by {who} on "
        f"{citation.retracted_at:%-d %b %Y, %H:%M} UTC "
        f"(“{citation.retraction_reason}”). Nothing was changed."
    )


# What the evidence panel reads: the citation, its evidence and both snapshots, and the
# names of who cited and who retracted. The latest snapshot is read only for its status and
# error; its text and metadata would repeat the archived snapshot's when both are one row.
_CITATION_COLUMNS = (
    *with_usernames(ClaimEvidence, "added_by", "retracted_by"),
    *with_usernames(Evidence, prefix="evidence__"),
    *with_usernames(
        Snapshot,
        prefix="evidence__latest_snapshot__",
        without=("extracted_text", "metadata"),
    ),
    *with_usernames(Snapshot, prefix="evidence__archived_snapshot__"),
    *with_usernames(EvidenceFile, prefix="evidence__file__"),
)


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
            "evidence__latest_snapshot",
            "evidence__archived_snapshot",
            "evidence__file",
            "added_by",
            "retracted_by",
        )
        .only(*_CITATION_COLUMNS)
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
