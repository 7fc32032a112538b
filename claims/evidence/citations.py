"""Attach evidence to claims: one Evidence row per page and investigation, cited by many claims.

A citation is never deleted. One that should not have been made is retracted, with a reason:
it stays on the claim page, struck through, and leaves the evidence a verdict rests on. Both
citing and retracting change what a sign-off approves, so each voids a sign-off it no longer
matches (reviews.void_if_changed), in the same transaction.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims import limits, rows
from claims.access.roles import Action, member_allows
from claims.columns import columns
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
_USER = get_user_model()
_CITED = rows.Columns(ClaimEvidence, "citation")
_ADDED_BY = rows.Columns(_USER, "added_by", [_USER.USERNAME_FIELD])
_RETRACTED_BY = rows.Columns(_USER, "retracted_by", [_USER.USERNAME_FIELD])
_EVIDENCE = rows.Columns(Evidence, "evidence")
_LATEST = rows.Columns(
    Snapshot,
    "latest",
    [name for name in columns(Snapshot) if name not in ("extracted_text", "metadata")],
)
_ARCHIVED = rows.Columns(Snapshot, "archived")
_FILE = rows.Columns(EvidenceFile, "stored")
_PARTS = (_CITED, _ADDED_BY, _RETRACTED_BY, _EVIDENCE, _LATEST, _ARCHIVED, _FILE)
_LOG = rows.quote(CollectionLogEntry._meta.db_table)
# Only table and column names from _meta are formatted into the SQL; values go as parameters.
_RECHECK = f"""(SELECT {{column}} FROM {_LOG} log WHERE log.evidence_id = citation.evidence_id
    AND log.action = '{CollectionLogEntry.Action.RECHECK}' ORDER BY log.at DESC, log.id DESC
    LIMIT 1)"""  # noqa: S608
_CITATIONS_SQL = f"""
SELECT {", ".join(part.sql for part in _PARTS)},
    (SELECT COUNT(*) FROM {_LOG} log WHERE log.evidence_id = citation.evidence_id),
    {_RECHECK.format(column="log.at")},
    {_RECHECK.format(column="log.outcome")}
FROM {_CITED.table} citation
JOIN {_EVIDENCE.table} evidence ON evidence.id = citation.evidence_id
LEFT JOIN {_ADDED_BY.table} added_by ON added_by.id = citation.added_by_id
LEFT JOIN {_RETRACTED_BY.table} retracted_by ON retracted_by.id = citation.retracted_by_id
LEFT JOIN {_LATEST.table} latest ON latest.id = evidence.latest_snapshot_id
LEFT JOIN {_ARCHIVED.table} archived ON archived.id = evidence.archived_snapshot_id
LEFT JOIN {_FILE.table} stored ON stored.evidence_id = evidence.id
WHERE citation.claim_id = %s {{only}}
ORDER BY citation.created_at, citation.id
"""  # noqa: S608


def load_citations(claim, *, only=None):
    """The claim's citations (or just the one with pk `only`) with everything the evidence
    panel shows, in two queries however many there are: one for the citations with their
    evidence, latest and archived snapshot (pointers kept on Evidence), stored file, and the
    size and last re-check of the collection log; one for the publishers' ratings. The log
    itself is loaded only when someone opens it (load_collection_log).

    Hand-written SQL (claims/rows.py): the evidence panel is on every claim page, and the
    same read as a queryset cost 5 ms of CPU to compile for 0.3 ms of work."""
    sql = _CITATIONS_SQL.format(only="" if only is None else "AND citation.id = %s")
    params = [claim.pk] if only is None else [claim.pk, only]
    loaded = []
    for row in rows.fetch(sql, params):
        parts, (log_count, recheck_at, recheck_outcome) = rows.split(row, _PARTS)
        citation, added_by, retracted_by, evidence, latest, archived, stored = parts
        rows.cache_related(citation, "claim", claim)
        rows.cache_related(citation, "evidence", evidence)
        rows.cache_related(citation, "added_by", added_by)
        rows.cache_related(citation, "retracted_by", retracted_by)
        rows.cache_related(evidence, "latest_snapshot", latest)
        rows.cache_related(evidence, "archived_snapshot", archived)
        rows.cache_related(evidence, "file", stored)
        evidence.log_count = log_count
        evidence.last_recheck = None
        if recheck_at is not None:
            # Unsaved, for display only: the template shows its date and outcome.
            evidence.last_recheck = CollectionLogEntry(
                at=rows.convert(recheck_at, CollectionLogEntry, "at"), outcome=recheck_outcome
            )
        loaded.append(citation)
    attach_ratings([citation.evidence for citation in loaded], claim.investigation)
    return loaded


def load_collection_log(evidence):
    """The evidence item's collection log, oldest first."""
    return list(evidence.collection_log.order_by("at", "pk"))
