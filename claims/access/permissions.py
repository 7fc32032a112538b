"""The only doors from a URL id to an object, and the role policy as views use it.

The policy itself (role order, actions, the table) is roles.py; this module adds what needs
a request's user: loading the object and the membership, and refusing with 404 or 403.

Every view that takes an id calls one of the get_<thing>_for_user functions. An object of an
investigation the user is not a member of answers 404 (ids must not be probeable); a member
whose role is too low gets 403.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from claims import rows
from claims.access import roles
from claims.access.roles import Action
from claims.models import (
    Claim,
    ClaimEvidence,
    ClaimLink,
    EvidenceFile,
    Investigation,
    InvestigationArchived,
    Invite,
    Membership,
    Quantity,
    ReportFile,
    Snapshot,
    Source,
    Verdict,
)


def capabilities(membership):
    """{action name: bool} for templates, so buttons match what the views will accept.

    Every door below hands back its membership with the investigation attached, so reading
    whether it is archived costs no query.
    """
    if membership is None:
        return roles.capabilities(None)
    archived = membership.investigation.is_archived
    return roles.capabilities(membership.role, archived=archived)


def get_membership(user, investigation_id):
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(investigation_id=investigation_id, user=user).first()


def _check(user, investigation, action):
    membership = get_membership(user, investigation.pk)
    if membership is not None:
        membership.investigation = investigation
    return _require(membership, action, investigation, user)


class SecondFactorRequired(PermissionDenied):
    """The investigation requires a second factor this member's session has not passed."""

    def __init__(self):
        super().__init__("This investigation requires its members to log in with a second factor.")


def _require(membership, action, investigation, user):
    """Refuse a non-member (404), a member without the second factor the investigation
    requires (403), a member whose role is too low (403), and any write in an archived
    investigation (403, InvestigationArchived), whoever asks."""
    if membership is None:
        raise Http404("No such object.")
    if investigation.require_second_factor and not _verified(user):
        raise SecondFactorRequired()
    if roles.refused_as_archived(action, archived=investigation.is_archived):
        raise InvestigationArchived()
    if not roles.member_allows(membership, action):
        raise PermissionDenied(f"Your role does not allow this ({Action(action).value}).")
    return membership


def _verified(user):
    """Whether this user's session (or API token, see claims/api/authentication.py) passed a
    second factor: django-otp's OTPMiddleware gives web users is_verified()."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def get_investigation_for_user(user, slug, action=Action.VIEW):
    """Return (investigation, membership) for a member allowed to take `action`.

    One query: the membership with its investigation. A missing investigation and one the
    user is not a member of are the same 404, so outsiders learn nothing of which exist.
    """
    membership = None
    if user.is_authenticated:
        memberships = Membership.objects.select_related("investigation")
        membership = memberships.filter(investigation__slug=slug, user=user).first()
    if membership is None:
        raise Http404("No such object.")
    membership = _require(membership, action, membership.investigation, user)
    return membership.investigation, membership


def get_report_file_for_user(user, report_file_id, action=Action.VIEW):
    """A report file is as visible as the report it holds: to every member."""
    report_files = ReportFile.objects.select_related("investigation")
    report_file = get_object_or_404(report_files, pk=report_file_id)
    membership = _check(user, report_file.investigation, action)
    return report_file, membership


def get_invite_for_user(user, invite_id, action):
    """An invitation is seen and withdrawn by those who may invite to its investigation."""
    invite = get_object_or_404(Invite.objects.select_related("investigation"), pk=invite_id)
    membership = _check(user, invite.investigation, action)
    return invite, membership


def get_source_for_user(user, source_id, action=Action.VIEW):
    source = get_object_or_404(Source.objects.select_related("investigation"), pk=source_id)
    membership = _check(user, source.investigation, action)
    return source, membership


_USER = get_user_model()
_CLAIM = rows.Columns(Claim, "claim")
_SOURCE = rows.Columns(Source, "source")
_INVESTIGATION = rows.Columns(Investigation, "investigation")
_ASSIGNEE = rows.Columns(_USER, "assignee")
_MEMBERSHIP = rows.Columns(Membership, "membership")
_CLAIM_PARTS = (_CLAIM, _SOURCE, _INVESTIGATION, _ASSIGNEE, _MEMBERSHIP)
# The member's row is joined to the claim, in one query: the claim page is the busiest page
# of the app and every one of its actions passes through here. Hand-written (claims/rows.py):
# as a queryset with a FilteredRelation it cost more CPU to build than the page's evidence.
# Only table and column names from _meta are formatted in; values go as parameters.
_CLAIM_SQL = f"""
SELECT {", ".join(part.sql for part in _CLAIM_PARTS)}
FROM {_CLAIM.table} claim
JOIN {_SOURCE.table} source ON source.id = claim.source_id
JOIN {_INVESTIGATION.table} investigation ON investigation.id = claim.investigation_id
LEFT JOIN {_ASSIGNEE.table} assignee ON assignee.id = claim.assignee_id
LEFT JOIN {_MEMBERSHIP.table} membership
    ON membership.investigation_id = claim.investigation_id AND membership.user_id = %s
WHERE claim.id = %s
"""  # noqa: S608


def get_claim_for_user(user, claim_id, action=Action.VIEW):
    if not user.is_authenticated:
        raise Http404("No such object.")
    try:
        claim_id = int(claim_id)
    except (TypeError, ValueError):
        raise Http404("No such object.") from None
    if not 0 < claim_id < 2**63:  # no row has such a key, and SQLite cannot even bind it
        raise Http404("No such object.")
    found = rows.fetch(_CLAIM_SQL, [user.pk, claim_id])
    if not found:
        raise Http404("No such object.")
    (claim, source, investigation, assignee, membership), _ = rows.split(found[0], _CLAIM_PARTS)
    rows.cache_related(claim, "source", source)
    rows.cache_related(claim, "investigation", investigation)
    rows.cache_related(source, "investigation", investigation)
    rows.cache_related(claim, "assignee", assignee)
    if membership is not None:
        membership.investigation = investigation
    return claim, _require(membership, action, investigation, user)


def get_verdict_for_user(user, verdict_id, action=Action.VIEW):
    verdicts = Verdict.objects.select_related("claim__source", "claim__investigation")
    verdict = get_object_or_404(verdicts, pk=verdict_id)
    membership = _check(user, verdict.claim.investigation, action)
    return verdict, membership


def get_citation_for_user(user, citation_id, action=Action.VIEW):
    citations = ClaimEvidence.objects.select_related(
        "claim__source", "claim__investigation", "evidence__investigation"
    )
    citation = get_object_or_404(citations, pk=citation_id)
    membership = _check(user, citation.claim.investigation, action)
    return citation, membership


def get_quantity_for_user(user, quantity_id, action=Action.VIEW):
    quantities = Quantity.objects.select_related("claim__source", "claim__investigation")
    quantity = get_object_or_404(quantities, pk=quantity_id)
    membership = _check(user, quantity.claim.investigation, action)
    return quantity, membership


def get_snapshot_for_user(user, snapshot_id, action=Action.VIEW):
    snapshots = Snapshot.objects.select_related("evidence__investigation")
    snapshot = get_object_or_404(snapshots, pk=snapshot_id)
    membership = _check(user, snapshot.evidence.investigation, action)
    return snapshot, membership


def get_evidence_file_for_user(user, file_id, action=Action.VIEW):
    """An uploaded evidence file is as visible as an archived page: to every member."""
    stored = get_object_or_404(
        EvidenceFile.objects.select_related("evidence", "investigation"), pk=file_id
    )
    membership = _check(user, stored.investigation, action)
    return stored, membership


def get_link_for_user(user, link_id, action=Action.VIEW):
    """Return (link, memberships by investigation id) for a user who may see both claims.

    A link joins claims that may lie in two investigations: a user who is not a member of
    both gets 404, as if it did not exist (one claim must not reveal the other); a member of
    both whose role in either is too low for `action` gets 403.
    """
    links = ClaimLink.objects.select_related(
        "claim_a__source", "claim_a__investigation", "claim_b__source", "claim_b__investigation"
    ).defer("claim_a__source__text", "claim_b__source__text")
    link = get_object_or_404(links, pk=link_id)
    wanted = {link.claim_a.investigation_id, link.claim_b.investigation_id}
    memberships = {}
    if user.is_authenticated:
        rows = Membership.objects.filter(user=user, investigation_id__in=wanted)
        memberships = {row.investigation_id: row for row in rows}
    if set(memberships) != wanted:
        raise Http404("No such object.")
    investigations = {link.claim_a.investigation_id: link.claim_a.investigation}
    investigations[link.claim_b.investigation_id] = link.claim_b.investigation
    for investigation_id, membership in memberships.items():
        membership.investigation = investigations[investigation_id]
        _require(membership, action, membership.investigation, user)
    return link, memberships
