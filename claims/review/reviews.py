"""Verdicts under the four-eyes rule: one reviewer proposes, a different one signs off.

A verdict's rating and rationale never change after it is proposed: a different verdict is a
new proposal that supersedes the old one. A sign-off approves exactly what the second reviewer
read: the claim's statement as the claim page shows it, the rating and rationale, and the
citations that are not retracted, each with the SHA-256 of its archived page (signoff.py).
That content and its SHA-256 are stored with the sign-off.

The sign-off form carries the digest of the content its page showed, so a change made while
the reviewer read refuses the sign-off (ContentChanged). A change made afterwards voids it
(`void_if_changed`, called by every module that changes the statement or the evidence, in the
same transaction): the signed-off verdict becomes "sign-off voided", with who made the change
and why, the same rating and rationale wait again for a second reviewer (`resubmission_of`),
and the claim is "changed since sign-off". Its proposer cannot sign it off, nor can the person
whose change voided it.

Every step that changes verdicts goes through this module; workflow.py refuses them elsewhere.
Each write here locks the claim's row first (`_lock`), as the voiding does, so a sign-off and
a change to what it approves never interleave: one waits for the other and then sees it.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims import limits, rows
from claims.models import Claim, ClaimEvidence, ClaimStatus, Verdict
from claims.review import audit, signoff, workflow
from claims.review.guarded import guarded_update
from claims.review.workflow import LOADED, EditConflict, WorkflowError


class OwnVerdict(WorkflowError):
    """The proposer tried to sign off their own verdict."""


class OwnChange(WorkflowError):
    """The person whose change voided a sign-off tried to sign off the verdict again."""


class VerdictChanged(EditConflict):
    """Another verdict was proposed or signed off after the user loaded the claim."""

    def __init__(self, message, current):
        super().__init__(message)
        self.current = current


class ContentChanged(EditConflict):
    """What the sign-off would approve changed after the signer's page was loaded."""


def current_verdict(claim):
    return claim.verdicts.filter(status__in=Verdict.CURRENT_STATUSES).first()


# A verdict may be proposed on a claim being worked or changed since sign-off, and on one whose
# proposal awaits sign-off (the new proposal replaces it); not before acceptance, nor after
# sign-off or dismissal.
TAKES_A_PROPOSAL = workflow.TRANSITIONS["propose"].sources | {ClaimStatus.VERDICT_PROPOSED}


# --- The four-eyes rule --------------------------------------------------------------------


def sign_off_refusal(verdict, reviewer):
    """Why `reviewer` may not sign off `verdict`, as the error to raise; None when they may.

    The role is checked elsewhere; this is the four-eyes rule: not the proposer, and not the
    person whose change voided the earlier sign-off of this verdict.
    """
    if verdict.proposed_by_id == reviewer.pk:
        return OwnVerdict("You proposed this verdict; another reviewer must sign it off.")
    earlier = verdict.resubmission_of if verdict.resubmission_of_id else None
    if earlier is not None and earlier.voided_by_id == reviewer.pk:
        return OwnChange(
            "You made the change that voided the earlier sign-off of this verdict; another "
            "reviewer must sign it off."
        )
    return None


def send_back_refusal(verdict, reviewer):
    """Why `reviewer` may not send `verdict` back, as the error to raise; None when they may."""
    if verdict.proposed_by_id == reviewer.pk:
        return OwnVerdict("You proposed this verdict; withdraw it by proposing another one.")
    return None


# --- What a sign-off approves ---------------------------------------------------------


def current_content(claim, verdict, citations=None):
    """The content a sign-off of `verdict` approves now, as signoff.signed_content.

    The statement is the one the claim page shows (the quote when the claim has no statement
    of its own); the citations are the claim's citations that are not retracted, each with its
    page's URL and title, the SHA-256 of its newest archived copy ("" when not archived) and, for
    an uploaded file, the file's SHA-256 (file_sha256).
    `citations` may pass the claim's ClaimEvidence rows already loaded with their evidence and
    archived snapshot (the claim page has them); otherwise they are read in one query.
    """
    if citations is None:
        rows = ClaimEvidence.objects.filter(claim_id=claim.pk, retracted_at__isnull=True)
        items = [
            {
                "stance": stance,
                "excerpt": excerpt,
                "note": note,
                "url": url,
                "title": title,
                "snapshot_sha256": sha256,
                "file_sha256": file_sha256,
            }
            for stance, excerpt, note, url, title, sha256, file_sha256 in rows.values_list(
                "stance",
                "excerpt",
                "note",
                "evidence__url",
                "evidence__title",
                "evidence__archived_snapshot__sha256",
                "evidence__file__sha256",
            )
        ]
    else:
        items = [
            {
                "stance": citation.stance,
                "excerpt": citation.excerpt,
                "note": citation.note,
                "url": citation.evidence.url,
                "title": citation.evidence.title,
                "snapshot_sha256": (
                    citation.evidence.archived_snapshot.sha256
                    if citation.evidence.archived_snapshot
                    else ""
                ),
                "file_sha256": _file_sha256(citation.evidence),
            }
            for citation in citations
            if citation.retracted_at is None
        ]
    return signoff.signed_content(
        statement=claim.display_statement,
        rating=verdict.rating,
        rationale=verdict.rationale,
        citations=items,
    )


def _file_sha256(evidence):
    """The SHA-256 of the uploaded file `evidence` is, "" for a link or typed evidence."""
    stored = getattr(evidence, "file", None)
    return stored.sha256 if stored is not None else ""


def current_sha256(claim, verdict, citations=None):
    """signoff.content_sha256 of current_content: what the sign-off form carries."""
    return signoff.content_sha256(current_content(claim, verdict, citations))


def changes_since_sign_off(claim, verdict, citations=None):
    """How the content differs from what the voided sign-off behind `verdict` approved.

    (what, before, after) rows from signoff.differences; empty when `verdict` is not put up
    again after a void, or when the voided sign-off recorded no content, or when nothing in
    the content changed (a re-check of the live page voids without changing the archive).
    """
    earlier = verdict.resubmission_of if verdict.resubmission_of_id else None
    if earlier is None or not earlier.signed_content:
        return []
    return signoff.differences(earlier.signed_content, current_content(claim, verdict, citations))


def _lock(claim):
    """Lock the claim's row until the transaction ends; read its wording and status again.

    Sign-off and every change to what it approves take this lock before reading the content,
    so of two at once the second waits, then reads what the first wrote.
    """
    statement, quote, status = (
        Claim.objects.select_for_update()
        .filter(pk=claim.pk)
        .values_list("statement", "quote", "status")
        .get()
    )
    claim.statement, claim.quote, claim.status = statement, quote, status


# --- Propose, sign off, send back, reopen ------------------------------------------------


def propose_verdict(claim, *, proposer, membership, rating, rationale, replaces=LOADED):
    """Propose a verdict on `claim`; supersede any proposal still awaiting sign-off.

    `replaces` is the current verdict the proposer saw (None when there was none); when the
    claim's current verdict is another one by now, VerdictChanged is raised so that nobody's
    proposal is replaced unseen. A claim changed since sign-off takes a new proposal in place
    of the verdict put up again, and becomes "verdict proposed". Raises TransitionRefused when
    the claim is not in a state that takes a verdict (for example verified: it must be
    reopened first) or the member's role is too low.
    """
    if not rationale.strip():
        raise workflow.TransitionRefused("Explain the verdict: a rationale is required.")
    limits.check_lengths(rationale=(rationale.strip(), limits.RATIONALE_MAX_CHARS))
    with transaction.atomic():
        _lock(claim)
        if replaces is not LOADED:
            current = current_verdict(claim)
            if (current.pk if current else None) != (replaces.pk if replaces else None):
                raise VerdictChanged(
                    "Another verdict was proposed while you were writing yours. Read it "
                    "below; your text is kept, so propose again to replace it.",
                    current,
                )
        if claim.status in (ClaimStatus.VERDICT_PROPOSED, ClaimStatus.SIGN_OFF_VOID):
            waiting = claim.status == ClaimStatus.VERDICT_PROPOSED
            # Replacing a pending proposal: the claim stays (or becomes) "verdict proposed".
            workflow._check_transition(claim, "send_back" if waiting else "propose", membership)
            superseded = Verdict.objects.filter(claim=claim, status=Verdict.Status.PROPOSED).update(
                status=Verdict.Status.SUPERSEDED, closed_at=timezone.now(), version=F("version") + 1
            )
            if waiting and not superseded:
                raise EditConflict("The verdict changed while you were writing; reload the claim.")
        if claim.status != ClaimStatus.VERDICT_PROPOSED:
            workflow._apply_transition(claim, "propose", actor=proposer, membership=membership)
        verdict = Verdict.objects.create(
            claim=claim, rating=rating, rationale=rationale.strip(), proposed_by=proposer
        )
        audit.record(
            proposer,
            "verdict.propose",
            verdict,
            investigation=claim.investigation,
            claim=claim,
            after={"rating": rating, "rationale": verdict.rationale},
        )
    return verdict


def sign_off_verdict(verdict, *, reviewer, membership, seen_sha256=None):
    """Approve a proposed verdict as the second reviewer; the claim becomes verified.

    Stores what is approved (current_content) and its SHA-256 on the verdict. `seen_sha256` is
    the digest the reviewer's sign-off form carried; when the content is another by now,
    ContentChanged is raised and nothing is signed. None approves the content as it is (for
    callers that show the reviewer nothing, such as the demo loader).

    Raises OwnVerdict (the proposer), OwnChange (the person whose change voided the earlier
    sign-off of this verdict), EditConflict (someone else acted first) or TransitionRefused.
    """
    refusal = sign_off_refusal(verdict, reviewer)
    if refusal is not None:
        raise refusal
    return _close_proposal(
        verdict, reviewer, membership, "sign_off", Verdict.Status.SIGNED_OFF, seen=seen_sha256
    )


def send_back_verdict(verdict, *, reviewer, membership, comment):
    """Refuse a proposed verdict with a comment; the claim goes back to review."""
    if not comment.strip():
        raise workflow.TransitionRefused("Say why the verdict goes back: a comment is required.")
    limits.check_lengths(review_comment=(comment.strip(), limits.COMMENT_MAX_CHARS))
    refusal = send_back_refusal(verdict, reviewer)
    if refusal is not None:
        raise refusal
    return _close_proposal(
        verdict, reviewer, membership, "send_back", Verdict.Status.RETURNED, comment.strip()
    )


def _close_proposal(verdict, reviewer, membership, move, new_status, comment="", seen=None):
    claim = verdict.claim
    if verdict.status != Verdict.Status.PROPOSED:
        raise EditConflict(
            f"Someone else acted first: this verdict is now "
            f"{verdict.get_status_display().lower()}. Nothing was changed."
        )
    now = timezone.now()
    fields = {"status": new_status, "closed_at": now, "version": F("version") + 1}
    with transaction.atomic():
        _lock(claim)
        workflow._check_transition(claim, move, membership)
        after = {"status": new_status}
        if new_status == Verdict.Status.SIGNED_OFF:
            content = current_content(claim, verdict)
            digest = signoff.content_sha256(content)
            fields.update(
                signed_off_by=reviewer,
                signed_off_at=now,
                signed_content=content,
                signed_sha256=digest,
            )
            after["sha256"] = digest
        else:
            fields.update(review_comment=comment)
            after["comment"] = comment
        # Not re-read: the values written are set on the verdict below.
        guarded_update(
            verdict,
            expect={"status": Verdict.Status.PROPOSED, "version": verdict.version},
            changes=fields,
            conflict=lambda _verdict: EditConflict(
                "This verdict was already signed off, sent back or replaced; reload the claim."
            ),
            reload=False,
        )
        if seen is not None and seen != after.get("sha256", seen):
            # Raised inside the transaction: the sign-off just written is rolled back.
            raise ContentChanged(
                "The claim or its evidence changed while you were reading, so nothing was "
                "signed off. The verdict panel now shows what would be approved; read it and "
                "the evidence again (reload the page), then sign off."
            )
        workflow._apply_transition(claim, move, actor=reviewer, membership=membership)
        # The row as the UPDATE left it, without reading it back.
        for name, value in fields.items():
            if name != "version":
                setattr(verdict, name, value)
        verdict.version += 1
        audit.record(
            reviewer,
            f"verdict.{move}",
            verdict,
            investigation=claim.investigation,
            claim=claim,
            before={"status": Verdict.Status.PROPOSED},
            after=after,
        )
    return verdict


def reopen_claim(claim, *, actor, membership, reason, expected_status=None):
    """Reopen a verified claim (editors only, with a reason); its verdict is superseded."""
    with transaction.atomic():
        claim = workflow._apply_transition(
            claim,
            "reopen",
            actor=actor,
            membership=membership,
            reason=reason,
            expected_status=expected_status,
        )
        Verdict.objects.filter(claim=claim, status=Verdict.Status.SIGNED_OFF).update(
            status=Verdict.Status.SUPERSEDED, closed_at=timezone.now(), version=F("version") + 1
        )
    return claim


def move_claim(claim, name, *, actor, membership, reason="", expected_status=None):
    """Take a move of the status panel or of a bulk change; return the claim.

    Verdict steps are refused (TransitionRefused saying where each is done: the Verdict
    panel); reopening also supersedes the signed-off verdict; every other move is the state
    machine's alone. Raises what `workflow.transition` raises.
    """
    if name == "reopen":
        return reopen_claim(
            claim,
            actor=actor,
            membership=membership,
            reason=reason,
            expected_status=expected_status,
        )
    return workflow.transition(
        claim,
        name,
        actor=actor,
        membership=membership,
        reason=reason,
        expected_status=expected_status,
    )


# --- A change voids the sign-off -----------------------------------------------------------


def void_if_changed(claim, *, actor, reason):
    """Void the claim's sign-off if what it approved is no longer what the claim shows.

    Call it in the transaction of a change to the claim's statement or evidence, after the
    change is written; `actor` made it (None for the worker), `reason` says what changed, in
    words for the claim page. A sign-off that recorded no content counts as changed. Returns
    the verdict put up again for sign-off, or None when no sign-off was voided.
    """
    return _void(claim, actor, reason, only_if_changed=True)


def void_sign_off(claim, *, actor, reason):
    """Void the claim's sign-off whatever its content: for a change the content cannot show,
    such as a re-check finding the live page different from the archived copy. Returns the
    verdict put up again, or None when the claim had no signed-off verdict."""
    return _void(claim, actor, reason, only_if_changed=False)


# Statuses in which a sign-off exists or may be under way.
_SIGNING_STATUSES = (ClaimStatus.VERDICT_PROPOSED, ClaimStatus.SIGN_OFF_VOID, ClaimStatus.VERIFIED)


def _void(claim, actor, reason, only_if_changed):
    if claim.status not in _SIGNING_STATUSES:
        # As the caller loaded it, moments ago: no verdict awaits sign-off, so no sign-off
        # can be running, and the row lock (a query on every change) is not needed. To be
        # verified by now, the claim would need a proposal and then a second reviewer who
        # read it and signed off, all within this request.
        return None
    with transaction.atomic():
        _lock(claim)
        # Only a verified claim has a signed-off verdict (reopening supersedes it); the lock
        # above makes this status the one a sign-off running now would have left.
        if claim.status != ClaimStatus.VERIFIED:
            return None
        signed = (
            Verdict.objects.select_for_update()
            .filter(claim_id=claim.pk, status=Verdict.Status.SIGNED_OFF)
            .first()
        )
        if signed is None:
            return None
        digest = current_sha256(claim, signed)
        if only_if_changed and signed.signed_sha256 == digest:
            return None
        who = actor if actor is not None and actor.is_authenticated else None
        Verdict.objects.filter(pk=signed.pk, status=Verdict.Status.SIGNED_OFF).update(
            status=Verdict.Status.VOIDED,
            voided_at=timezone.now(),
            voided_by=who,
            void_reason=reason,
            version=F("version") + 1,
        )
        again = Verdict.objects.create(
            claim_id=claim.pk,
            rating=signed.rating,
            rationale=signed.rationale,
            proposed_by_id=signed.proposed_by_id,
            resubmission_of=signed,
        )
        if claim.status == ClaimStatus.VERIFIED:
            workflow._apply_transition(
                claim, "void_sign_off", actor=who, membership=None, reason=reason
            )
        audit.record(
            who,
            "verdict.void",
            signed,
            investigation=claim.investigation,
            claim=claim,
            before={"status": Verdict.Status.SIGNED_OFF, "sha256": signed.signed_sha256},
            after={"status": Verdict.Status.VOIDED, "sha256": digest, "reason": reason},
        )
        audit.record(
            who,
            "verdict.resubmit",
            again,
            investigation=claim.investigation,
            claim=claim,
            after={"rating": again.rating, "status": Verdict.Status.PROPOSED},
        )
    return again


_USER = get_user_model()
_VERDICT = rows.Columns(Verdict, "verdict")
_EARLIER = rows.Columns(Verdict, "earlier")
# Who proposed, signed off and voided each verdict, and its earlier sign-off's: by name only.
_PEOPLE = {
    (alias, relation): rows.Columns(_USER, alias, [_USER.USERNAME_FIELD])
    for alias, relation in (
        ("proposed_by", "verdict.proposed_by_id"),
        ("signed_off_by", "verdict.signed_off_by_id"),
        ("voided_by", "verdict.voided_by_id"),
        ("earlier_signed_off_by", "earlier.signed_off_by_id"),
        ("earlier_voided_by", "earlier.voided_by_id"),
    )
}
# Only table and column names from _meta are formatted into the SQL; values go as parameters.
_VERDICTS_SQL = f"""
SELECT {_VERDICT.sql}, {_EARLIER.sql}, {", ".join(people.sql for people in _PEOPLE.values())}
FROM {_VERDICT.table} verdict
LEFT JOIN {_EARLIER.table} earlier ON earlier.id = verdict.resubmission_of_id
{
    " ".join(
        f"LEFT JOIN {people.table} {alias} ON {alias}.id = {relation}"
        for (alias, relation), people in _PEOPLE.items()
    )
}
WHERE verdict.claim_id = %s
ORDER BY verdict.proposed_at DESC, verdict.id DESC
"""  # noqa: S608


def load_verdicts(claim):
    """The claim's verdicts, newest first, each with the names of who proposed, signed off
    and voided it, and the verdict it resubmits (with its sign-off's and voiding's names).

    Hand-written SQL (claims/rows.py): the claim page reads this on every load, and as a
    queryset with its six joins it cost ten times the CPU to build that it took to run."""
    loaded = []
    for row in rows.fetch(_VERDICTS_SQL, [claim.pk]):
        (verdict, earlier, *names), _ = rows.split(row, (_VERDICT, _EARLIER, *_PEOPLE.values()))
        people = {alias: person for (alias, _), person in zip(_PEOPLE, names, strict=True)}
        rows.cache_related(verdict, "claim", claim)
        for name in ("proposed_by", "signed_off_by", "voided_by"):
            rows.cache_related(verdict, name, people[name])
        rows.cache_related(verdict, "resubmission_of", earlier)
        if earlier is not None:
            rows.cache_related(earlier, "signed_off_by", people["earlier_signed_off_by"])
            rows.cache_related(earlier, "voided_by", people["earlier_voided_by"])
        loaded.append(verdict)
    return loaded
