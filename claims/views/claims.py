"""Claim pages: the list of an investigation's claims and one claim with its review."""

from django.contrib import messages
from django.db import transaction
from django.db.models import F, OuterRef, Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from claims import audit, evidence, reviews, workflow
from claims.anchoring import context_segments
from claims.counting import CappedPaginator, subquery_count
from claims.forms import (
    ClaimEditForm,
    CommentForm,
    EvidenceForm,
    SendBackForm,
    TransitionForm,
    VerdictForm,
)
from claims.models import (
    Claim,
    ClaimEvidence,
    ClaimStatus,
    Comment,
    Quantity,
    Snapshot,
    Stance,
    Verdict,
)
from claims.permissions import (
    Action,
    capabilities,
    get_claim_for_user,
    get_investigation_for_user,
    get_verdict_for_user,
)
from claims.views.sources import _source_context
from claims.workflow import WorkflowError

CLAIMS_PER_PAGE = 50


@require_GET
@vary_on_headers("HX-Request")
def claim_list(request, slug):
    investigation, membership = get_investigation_for_user(request.user, slug)
    status = request.GET.get("status", "")
    # The evidence count is a subquery per row rather than a join with GROUP BY: the database
    # then counts citations for the 50 rows of the page only, not for every claim before
    # sorting (see benchmarks/web.py; index claim_list_order serves the sort).
    citations = ClaimEvidence.objects.filter(claim=OuterRef("pk"))
    claims = (
        Claim.objects.filter(investigation=investigation)
        .select_related("source", "assignee")
        .annotate(evidence_count=subquery_count(citations))
        .order_by("source_id", "start", "pk")
    )
    if status in ClaimStatus.values:
        claims = claims.filter(status=status)
    else:
        claims = claims.exclude(status__in=[ClaimStatus.SUGGESTED, ClaimStatus.DISMISSED])
    page = CappedPaginator(claims, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "investigation": investigation,
        "membership": membership,
        "page": page,
        "status": status,
        "statuses": ClaimStatus.choices,
    }
    template = "claims/claim_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#claim-table"
    return render(request, template, context)


def _claim_context(claim, membership, **forms):
    before, quote, after = context_segments(claim.source.text, claim.start, claim.end)
    citations = list(
        claim.citations.select_related("evidence", "added_by").prefetch_related(
            Prefetch(
                "evidence__snapshots",
                queryset=Snapshot.objects.order_by("-created_at", "-pk"),
                to_attr="prefetched_snapshots",
            )
        )
    )
    grouped = [
        (stance, [citation for citation in citations if citation.stance == stance])
        for stance in Stance
    ]
    verdicts = list(claim.verdicts.select_related("proposed_by", "signed_off_by"))
    current = next((v for v in verdicts if v.status in Verdict.CURRENT_STATUSES), None)
    return {
        "investigation": claim.investigation,
        "membership": membership,
        "can": capabilities(membership),
        "claim": claim,
        "source": claim.source,
        "context_before": before,
        "context_quote": quote,
        "context_after": after,
        "quantities": list(claim.quantities.all()),
        "bound_choices": Quantity.Bound.choices,
        "evidence_groups": grouped,
        "evidence_count": len(citations),
        "verdicts": verdicts,
        "current_verdict": current,
        "comments": list(claim.comments.select_related("author")),
        "history": list(claim.audit_events.select_related("actor").order_by("-created_at", "-pk")),
        "transitions": workflow.available_transitions(claim, membership),
        "edit_form": forms.get("edit_form")
        or ClaimEditForm(
            initial={
                "statement": claim.statement,
                "speaker": claim.speaker,
                "attribution": claim.attribution,
                "version": claim.version,
            }
        ),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "verdict_form": forms.get("verdict_form") or VerdictForm(),
        "send_back_form": forms.get("send_back_form")
        or SendBackForm(initial={"version": current.version if current else 0}),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "error": forms.get("error", ""),
    }


def _render_claim(request, claim, membership, partial=None, status=200, **forms):
    template = "claims/claim_detail.html"
    if partial and request.htmx:
        template += f"#{partial}"
    return render(request, template, _claim_context(claim, membership, **forms), status=status)


def _done(request, claim, membership, partial, message):
    """Success: redirect for plain POSTs, fresh partial for htmx."""
    messages.success(request, message)
    if not request.htmx:
        return redirect(claim)
    claim.refresh_from_db()
    return _render_claim(request, claim, membership, partial)


@require_GET
@vary_on_headers("HX-Request")
def claim_detail(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id)
    return _render_claim(request, claim, membership)


@require_POST
def claim_edit(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.EDIT_CLAIM)
    form = ClaimEditForm(request.POST)
    if not form.is_valid():
        return _render_claim(request, claim, membership, "claim-summary", edit_form=form)
    data = form.cleaned_data
    fields = ["statement", "speaker", "attribution"]
    before = audit.snapshot_fields(claim, fields)
    with transaction.atomic():
        updated = Claim.objects.filter(pk=claim.pk, version=data["version"]).update(
            statement=data["statement"],
            speaker=data["speaker"],
            attribution=data["attribution"],
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        if not updated:
            claim.refresh_from_db()
            form.add_error(
                None,
                "Someone else saved this claim while you were editing. Their version is shown "
                "above; your text is kept below. Save again to replace theirs.",
            )
            form.data = form.data.copy()
            form.data["version"] = claim.version
            return _render_claim(request, claim, membership, "claim-summary", edit_form=form)
        claim.refresh_from_db()
        audit.record(
            request.user,
            "claim.edit",
            claim,
            investigation=claim.investigation,
            claim=claim,
            before=before,
            after=audit.snapshot_fields(claim, fields),
        )
    return _done(request, claim, membership, "claim-summary", "Claim saved.")


@require_POST
def claim_transition(request, claim_id):
    # Every move needs at least a reviewer; workflow.py checks the move's own role.
    claim, membership = get_claim_for_user(request.user, claim_id, Action.ACCEPT_SUGGESTION)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _render_claim(request, claim, membership, error="That action was not understood.")
    try:
        data = form.cleaned_data
        if data["transition"] == "reopen":
            reviews.reopen_claim(
                claim, actor=request.user, membership=membership, reason=data["reason"]
            )
        else:
            workflow.transition(
                claim,
                data["transition"],
                actor=request.user,
                membership=membership,
                reason=data["reason"],
                expected_version=data["version"],
            )
    except WorkflowError as error:
        claim.refresh_from_db()
        return _render_claim(request, claim, membership, error=str(error))
    claim.refresh_from_db()
    message = f"Claim is now {claim.get_status_display().lower()}."
    if request.POST.get("next") == "source":
        # Accept/dismiss from the reader: stay in the reader.
        messages.success(request, message)
        if not request.htmx:
            return redirect(claim.source)
        context = _source_context(claim.source, membership)
        return render(request, "claims/source_detail.html#reader", context)
    return _done(request, claim, membership, None, message)


@require_POST
def evidence_add(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.ADD_EVIDENCE)
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        return _render_claim(request, claim, membership, "evidence-panel", evidence_form=form)
    try:
        evidence.cite_evidence(claim, actor=request.user, **form.cleaned_data)
    except evidence.AlreadyCited as error:
        form.add_error("url", str(error))
        return _render_claim(request, claim, membership, "evidence-panel", evidence_form=form)
    return _done(request, claim, membership, "evidence-panel", "Evidence added.")


@require_POST
def verdict_propose(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.PROPOSE_VERDICT)
    form = VerdictForm(request.POST)
    if not form.is_valid():
        return _render_claim(request, claim, membership, "verdict-panel", verdict_form=form)
    try:
        reviews.propose_verdict(
            claim, proposer=request.user, membership=membership, **form.cleaned_data
        )
    except WorkflowError as error:
        form.add_error(None, str(error))
        return _render_claim(request, claim, membership, "verdict-panel", verdict_form=form)
    return _done(
        request,
        claim,
        membership,
        "verdict-panel",
        "Verdict proposed. Another reviewer must sign it off.",
    )


@require_POST
def verdict_sign_off(request, verdict_id):
    verdict, membership = get_verdict_for_user(request.user, verdict_id, Action.SIGN_OFF_VERDICT)
    claim = verdict.claim
    version = request.POST.get("version", "")
    if version.isdigit():
        verdict.version = int(version)
    try:
        reviews.sign_off_verdict(verdict, reviewer=request.user, membership=membership)
    except WorkflowError as error:
        claim.refresh_from_db()
        return _render_claim(request, claim, membership, "verdict-panel", error=str(error))
    return _done(request, claim, membership, "verdict-panel", "Verdict signed off.")


@require_POST
def verdict_send_back(request, verdict_id):
    verdict, membership = get_verdict_for_user(request.user, verdict_id, Action.SIGN_OFF_VERDICT)
    claim = verdict.claim
    form = SendBackForm(request.POST)
    if not form.is_valid():
        return _render_claim(request, claim, membership, "verdict-panel", send_back_form=form)
    verdict.version = form.cleaned_data["version"]
    try:
        reviews.send_back_verdict(
            verdict,
            reviewer=request.user,
            membership=membership,
            comment=form.cleaned_data["comment"],
        )
    except WorkflowError as error:
        claim.refresh_from_db()
        return _render_claim(
            request, claim, membership, "verdict-panel", send_back_form=form, error=str(error)
        )
    return _done(request, claim, membership, "verdict-panel", "Verdict sent back to review.")


@require_POST
def comment_add(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.COMMENT)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _render_claim(request, claim, membership, "comment-panel", comment_form=form)
    with transaction.atomic():
        comment = Comment.objects.create(
            claim=claim, author=request.user, body=form.cleaned_data["body"]
        )
        audit.record(
            request.user,
            "comment.add",
            comment,
            investigation=claim.investigation,
            claim=claim,
            after={"body": comment.body},
        )
    return _done(request, claim, membership, "comment-panel", "Comment added.")
