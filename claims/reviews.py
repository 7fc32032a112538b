"""Verdicts under the four-eyes rule: one reviewer proposes, a different one signs off.

A verdict's rating and rationale never change after it is proposed: a different verdict is a
new proposal that supersedes the old one, so a sign-off always refers to the exact text the
second reviewer read.
"""

from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims import audit, limits, workflow
from claims.models import ClaimStatus, Verdict
from claims.workflow import LOADED, EditConflict, WorkflowError


class OwnVerdict(WorkflowError):
    """The proposer tried to sign off their own verdict."""


class VerdictChanged(EditConflict):
    """Another verdict was proposed or signed off after the user loaded the claim."""

    def __init__(self, message, current):
        super().__init__(message)
        self.current = current


def current_verdict(claim):
    return claim.verdicts.filter(status__in=Verdict.CURRENT_STATUSES).first()


def propose_verdict(claim, *, proposer, membership, rating, rationale, replaces=LOADED):
    """Propose a verdict on `claim`; supersede any proposal still awaiting sign-off.

    `replaces` is the current verdict the proposer saw (None when there was none); when the
    claim's current verdict is another one by now, VerdictChanged is raised so that nobody's
    proposal is replaced unseen. Raises TransitionRefused when the claim is not in a state
    that takes a verdict (for example verified: it must be reopened first) or the member's
    role is too low.
    """
    if not rationale.strip():
        raise workflow.TransitionRefused("Explain the verdict: a rationale is required.")
    limits.check_lengths(rationale=(rationale.strip(), limits.RATIONALE_MAX_CHARS))
    with transaction.atomic():
        if replaces is not LOADED:
            current = current_verdict(claim)
            if (current.pk if current else None) != (replaces.pk if replaces else None):
                raise VerdictChanged(
                    "Another verdict was proposed while you were writing yours. Read it "
                    "below; your text is kept, so propose again to replace it.",
                    current,
                )
        if claim.status == ClaimStatus.VERDICT_PROPOSED:
            # Replacing a pending proposal: the claim stays "verdict proposed".
            workflow.check_transition(claim, "send_back", membership)
            superseded = Verdict.objects.filter(claim=claim, status=Verdict.Status.PROPOSED).update(
                status=Verdict.Status.SUPERSEDED, closed_at=timezone.now(), version=F("version") + 1
            )
            if not superseded:
                raise EditConflict("The verdict changed while you were writing; reload the claim.")
        else:
            workflow.transition(claim, "propose", actor=proposer, membership=membership)
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


def sign_off_verdict(verdict, *, reviewer, membership):
    """Approve a proposed verdict as the second reviewer; the claim becomes verified."""
    if verdict.proposed_by_id == reviewer.pk:
        raise OwnVerdict("You proposed this verdict; another reviewer must sign it off.")
    return _close_proposal(verdict, reviewer, membership, "sign_off", Verdict.Status.SIGNED_OFF)


def send_back_verdict(verdict, *, reviewer, membership, comment):
    """Refuse a proposed verdict with a comment; the claim goes back to review."""
    if not comment.strip():
        raise workflow.TransitionRefused("Say why the verdict goes back: a comment is required.")
    limits.check_lengths(review_comment=(comment.strip(), limits.COMMENT_MAX_CHARS))
    if verdict.proposed_by_id == reviewer.pk:
        raise OwnVerdict("You proposed this verdict; withdraw it by proposing another one.")
    return _close_proposal(
        verdict, reviewer, membership, "send_back", Verdict.Status.RETURNED, comment.strip()
    )


def _close_proposal(verdict, reviewer, membership, move, new_status, comment=""):
    claim = verdict.claim
    if verdict.status != Verdict.Status.PROPOSED:
        raise EditConflict(
            f"Someone else acted first: this verdict is now "
            f"{verdict.get_status_display().lower()}. Nothing was changed."
        )
    workflow.check_transition(claim, move, membership)
    now = timezone.now()
    fields = {"status": new_status, "closed_at": now, "version": F("version") + 1}
    if new_status == Verdict.Status.SIGNED_OFF:
        fields.update(signed_off_by=reviewer, signed_off_at=now)
    else:
        fields.update(review_comment=comment)
    with transaction.atomic():
        updated = Verdict.objects.filter(
            pk=verdict.pk, status=Verdict.Status.PROPOSED, version=verdict.version
        ).update(**fields)
        if not updated:
            raise EditConflict(
                "This verdict was already signed off, sent back or replaced; reload the claim."
            )
        workflow.transition(claim, move, actor=reviewer, membership=membership)
        verdict.refresh_from_db()
        audit.record(
            reviewer,
            f"verdict.{move}",
            verdict,
            investigation=claim.investigation,
            claim=claim,
            before={"status": Verdict.Status.PROPOSED},
            after={"status": new_status, **({"comment": comment} if comment else {})},
        )
    return verdict


def reopen_claim(claim, *, actor, membership, reason, expected_status=None):
    """Reopen a verified claim (editors only, with a reason); its verdict is superseded."""
    with transaction.atomic():
        claim = workflow.transition(
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
    """Take the named transition, with what it implies for verdicts; return the claim.

    Reopening also supersedes the signed-off verdict; every other move is the state machine's
    alone. Raises what `workflow.transition` raises.
    """
    move = reopen_claim if name == "reopen" else partial(workflow.transition, name=name)
    return move(
        claim, actor=actor, membership=membership, reason=reason, expected_status=expected_status
    )
