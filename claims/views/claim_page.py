"""The claim page: one claim with its review, and every action answered with the page.

The page is the one people use most, so its body is drawn by Jinja2, one template per htmx
panel (templates/jinja2/claims/claim_page/), inside the one layout every page shares, Django's
templates/base.html (through claims/claim_detail.html). Django's template language spent 30 ms
of CPU on the body alone; see factcheck/jinja2.py.
"""

# Other views answering with the claim page (evidence capture, span and number corrections)
# use claim_page_context, render_claim_page, draw_claim_page, claim_page_done and void_notice.

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template import engines
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from claims.access.memberships import members_and_reviewers
from claims.access.permissions import (
    Action,
    capabilities,
    get_citation_for_user,
    get_claim_for_user,
    get_quantity_for_user,
    get_verdict_for_user,
)
from claims.corroboration import comparison
from claims.evidence import citations
from claims.forms import (
    AssignForm,
    CaptureForm,
    CitationForm,
    ClaimEditForm,
    CommentForm,
    EvidenceForm,
    FileEvidenceForm,
    MeasureForm,
    NextForm,
    PanelForm,
    PriorityForm,
    RetractForm,
    SendBackForm,
    SignOffForm,
    TagForm,
    TransitionForm,
    VerdictForm,
)
from claims.listing import page_cache
from claims.models import (
    Claim,
    ClaimStatus,
    Quantity,
    Stance,
    Verdict,
)
from claims.review import decisions, editing, mentions, reviews, workflow
from claims.review.history import claim_history
from claims.review.workflow import WorkflowError
from claims.sources import marking, recognition
from claims.sources.anchoring import context_segments
from claims.views.claim_list import list_row_answer
from claims.views.fragments import page_or_fragment, wants_fragment
from claims.views.source_page import source_page_context

# The layout around the body (Django's), and the body's templates (Jinja2's): one per panel.
TEMPLATE = "claims/claim_detail.html"
BODY = "claims/claim_page/body.html"
PANEL = "claims/claim_page/{}.html"
# A form of a closed box, on a page of its own (closed_box_form), and its headings.
FORM_PAGE = "claims/claim_form_page.html"
FORM_TITLES = {
    "forms/claim-edit": "Edit statement and speaker",
    "forms/citation-edit": "Edit citation",
    "forms/citation-retract": "Retract citation",
}


def claim_page_context(user, claim, membership, **forms):
    """Everything the claim page shows; a fixed number of queries however long its lists.

    Each list is loaded on first use and then kept (SimpleLazyObject, which Jinja2 reads as
    the value it stands for), so an htmx request for one panel (after a comment, a tag, a
    verdict) queries only what that panel shows, while the full page still loads each list
    exactly once.
    """
    once = functools.cache  # for this function's own use
    lazy = SimpleLazyObject  # for the templates
    before, quote, after = context_segments(claim.source.text, claim.start, claim.end)
    members = once(lambda: members_and_reviewers(claim.investigation))
    usernames = once(lambda: [member.get_username() for member in members()[0]])
    citations = once(
        lambda: _citations(
            claim,
            forms.get("citation_forms", {}),
            forms.get("retract_forms", {}),
            membership,
            user,
        )
    )
    active = once(lambda: [citation for citation in citations() if citation.retracted_at is None])
    verdicts = once(lambda: reviews.load_verdicts(claim))
    current = once(
        lambda: next((v for v in verdicts() if v.status in Verdict.CURRENT_STATUSES), None)
    )
    # The content the current verdict rests on, from the citations the page shows: the digest
    # the sign-off form carries, and what changed since a voided sign-off.
    content_sha256 = once(
        lambda: reviews.current_sha256(claim, current(), citations()) if current() else ""
    )
    drift = once(
        lambda: (
            reviews.changes_since_sign_off(claim, current(), citations())
            if current() and claim.status == ClaimStatus.SIGN_OFF_VOID
            else []
        )
    )
    tags = once(lambda: workflow.investigation_tags(claim))
    figures = once(lambda: comparison.claim_figures(claim))
    can = capabilities(membership)
    return {
        "investigation": claim.investigation,
        "membership": membership,
        "can": can,
        # What this member may do to this claim and its verdict (review/decisions.py).
        "decisions": lazy(lambda: decisions.ClaimDecisions.of(membership, user, claim)),
        "verdict_decisions": lazy(
            lambda: decisions.VerdictDecisions.of(membership, user, current())
        ),
        "claim": claim,
        "source": claim.source,
        # The page of a scan the claim's words are on (None for other sources).
        "source_page": recognition.page_of(claim.source.page_starts, claim.start),
        "context_before": before,
        "context_quote": quote,
        "context_after": after,
        "quantities": lazy(lambda: figures()[0]),
        "figures_elsewhere": lazy(lambda: figures()[1]),
        "bound_choices": Quantity.Bound.choices,
        "measure_choices": Quantity.Measure.choices,
        "measure_error": forms.get("measure_error", ""),
        "evidence_groups": lazy(
            lambda: [
                (stance, [citation for citation in active() if citation.stance == stance])
                for stance in Stance
            ]
        ),
        "evidence_count": lazy(lambda: len(active())),
        "retracted_citations": lazy(
            lambda: [citation for citation in citations() if citation.retracted_at is not None]
        ),
        "evidence_error": forms.get("evidence_error", ""),
        "verdicts": lazy(verdicts),
        "current_verdict": lazy(current),
        "drift": lazy(drift),
        "sign_off_form": lazy(
            lambda: SignOffForm(verdict=current(), content_sha256=content_sha256())
        ),
        "comments": lazy(lambda: mentions.load_comments(claim, usernames())),
        "usernames": lazy(usernames),
        "claim_tags": lazy(lambda: [tag for tag in tags() if tag.on_claim]),
        "other_tags": lazy(lambda: [tag for tag in tags() if not tag.on_claim]),
        "history": lazy(lambda: claim_history(claim)),
        "transitions": workflow.available_transitions(claim, membership),
        # Drawn in place only when it came back with errors; else fetched when its box opens.
        "edit_form": forms.get("edit_form"),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "capture_form": forms.get("capture_form") or CaptureForm(),
        "upload_form": forms.get("upload_form") or FileEvidenceForm(),
        "verdict_form": forms.get("verdict_form")
        or lazy(lambda: VerdictForm(initial={"replaces": current().pk if current() else 0})),
        "send_back_form": forms.get("send_back_form")
        or lazy(lambda: SendBackForm(initial={"version": current().version if current() else 0})),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "assign_form": lazy(
            lambda: AssignForm(
                initial={
                    "assignee": claim.assignee_id or "",
                    "seen": claim.assignee_id or "",
                },
                members=members()[1] if can["assign"] else [],
            )
        ),
        "priority_form": PriorityForm(initial={"priority": claim.priority, "seen": claim.priority}),
        "tag_form": forms.get("tag_form") or TagForm(),
        "conflict": forms.get("conflict"),
        "error": forms.get("error", ""),
        "verdict_error": forms.get("verdict_error", ""),
        "triage_error": forms.get("triage_error", ""),
    }


def _citations(claim, citation_forms, retract_forms, membership, user):
    loaded = citations.load_citations(claim)
    for citation in loaded:
        with_actions(
            citation,
            membership,
            user,
            edit_form=citation_forms.get(citation.pk),
            retract_form=retract_forms.get(citation.pk),
        )
    return loaded


def with_actions(citation, membership, user, edit_form=None, retract_form=None):
    """`citation`, told what its evidence item offers this member: whether they may retract
    it, and the edit and retract forms to draw in place (None: their boxes fetch them when
    opened, see citation_edit and citation_retract). A retracted citation offers nothing."""
    citation.can_retract = citation.retracted_at is None and citations.can_retract(
        membership, citation, user
    )
    citation.edit_form, citation.retract_form = edit_form, retract_form
    return citation


def draw_claim_page(request, context, panel=None):
    """The claim page's HTML from `context` (claim_page_context's), or only `panel`'s.

    The CSRF field is written from the context's `csrf_token`, which the page cache replaces
    by a placeholder while it keeps a page (listing/page_cache.py).
    """
    token = context.get("csrf_token") or get_token(request)
    values = {
        **context,
        "request": request,
        "user": request.user,
        "csrf_input": format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token
        ),
    }
    jinja = engines["jinja2"]
    if panel:
        return jinja.get_template(PANEL.format(panel)).render(values)
    body = jinja.get_template(BODY).render(values)
    # Jinja2 escaped every value it wrote: the body is markup.
    page = {**context, "body": mark_safe(body)}  # noqa: S308
    return render_to_string(TEMPLATE, page, request)


def render_claim_page(request, claim, membership, panel=None, **forms):
    """The claim page, or only its `panel` for htmx; `forms` as claim_page_context takes them."""
    context = claim_page_context(request.user, claim, membership, **forms)
    return HttpResponse(draw_claim_page(request, context, _panel(request, panel)))


def _panel(request, panel):
    """`panel` when htmx asked for part of the page, else None (the whole page)."""
    return panel if panel and wants_fragment(request) else None


def closed_box_form(request, claim, template, **values):
    """The form of one of the claim page's closed boxes (templates/jinja2/claims/includes/
    form-box.html), asked for by GET: alone for htmx, which puts it into the box just
    opened; on a page of its own for the box's plain link (no JavaScript), from where it
    posts as it would from the claim page. `template` is the form's, under claim_page/."""
    drawn = draw_claim_page(request, {"claim": claim, **values}, template)
    if wants_fragment(request):
        return HttpResponse(drawn)
    page = {
        "claim": claim,
        "investigation": claim.investigation,
        "source": claim.source,
        "citation": values.get("citation"),
        "title": FORM_TITLES[template],
        # Jinja2 escaped every value it wrote: the form is markup.
        "form": mark_safe(drawn),  # noqa: S308
    }
    return render(request, FORM_PAGE, page)


def claim_page_done(
    request, claim, membership, panel, message, changed=True, content_changed=False
):
    """Success: redirect for plain POSTs, fresh `panel` for htmx (other panels are told).

    `content_changed`: the statement or the evidence changed, so the verdict panel (what a
    sign-off would approve, or a sign-off just voided) is told to refresh as well.
    """
    messages.success(request, message)
    if not wants_fragment(request):
        return redirect(claim)
    if panel not in PANELS_WITHOUT_CLAIM_FIELDS:
        claim.reload()
    response = render_claim_page(request, claim, membership, panel)
    if changed:
        trigger_client_event(response, "claimChanged", {"claim": claim.pk})
    if content_changed:
        trigger_client_event(response, "contentChanged", {"claim": claim.pk})
    return response


def void_notice(claim, status_before, message):
    """`message`, saying also that the change voided the claim's sign-off if it did."""
    if status_before != ClaimStatus.VERIFIED:
        return message
    status = Claim.objects.values_list("status", flat=True).get(pk=claim.pk)
    if status != ClaimStatus.SIGN_OFF_VOID:
        return message
    return (
        f"{message} It changed what the verdict's sign-off approved, so the sign-off is void: "
        "the verdict needs a new sign-off from a second reviewer."
    )


@require_GET
@vary_on_headers("HX-Request")
def claim_detail(request, claim_id):
    taken = page_cache.ticket(request)  # before the claim is read: see ticket()
    claim, membership = get_claim_for_user(request.user, claim_id)
    # Panels refresh themselves after a change elsewhere on the page (claimChanged).
    panel = PanelForm(request.GET).name
    panel = _panel(request, panel if panel in PANELS else None)
    return page_cache.render(
        request,
        taken,
        f"{TEMPLATE}#{panel}" if panel else TEMPLATE,
        lambda: claim_page_context(request.user, claim, membership),
        vary_on=[membership.role],
        draw=lambda context: draw_claim_page(request, context, panel),
    )


PANELS = {"status-badge", "status-panel", "history-panel", "verdict-current"}
# Panels that show none of the claim row's own fields, so a change made through them needs
# no fresh copy of the claim to render.
PANELS_WITHOUT_CLAIM_FIELDS = {"evidence-panel", "comment-panel"}


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def claim_edit(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.EDIT_CLAIM)
    if request.method == "GET":
        edit_form = ClaimEditForm(claim=claim)
        return closed_box_form(request, claim, "forms/claim-edit", edit_form=edit_form)
    form = ClaimEditForm(request.POST)
    if not form.is_valid():
        return render_claim_page(request, claim, membership, "claim-summary", edit_form=form)
    data = form.cleaned_data
    status_before = claim.status
    try:
        editing.edit_claim(
            claim,
            actor=request.user,
            expected_version=data["version"],
            statement=data["statement"],
            speaker=data["speaker"],
            attribution=data["attribution"],
        )
    except editing.StaleEdit as conflict:
        # Keep what was typed; the next save starts from the version now shown.
        form.data = form.data.copy()
        form.data["version"] = conflict.current.version
        return render_claim_page(
            request, claim, membership, "claim-summary", edit_form=form, conflict=conflict
        )
    message = void_notice(claim, status_before, "Claim saved.")
    return claim_page_done(
        request, claim, membership, "claim-summary", message, content_changed=True
    )


@require_POST
def quantity_measure(request, quantity_id):
    quantity, membership = get_quantity_for_user(request.user, quantity_id, Action.SET_MEASURE)
    claim = quantity.claim
    form = MeasureForm(request.POST)
    if not form.is_valid():
        return render_claim_page(
            request,
            claim,
            membership,
            "claim-summary",
            measure_error="Choose what the number counts from the list.",
        )
    marking.set_measure(
        quantity, form.cleaned_data["measure"], actor=request.user, membership=membership
    )
    message = f"“{quantity.text}” counts: {quantity.get_measure_display().lower()}."
    return claim_page_done(request, claim, membership, "claim-summary", message)


@require_POST
def claim_transition(request, claim_id):
    # Every move needs at least a reviewer; workflow.py checks the move's own role.
    claim, membership = get_claim_for_user(request.user, claim_id, Action.MOVE_CLAIM)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return render_claim_page(
            request, claim, membership, error="That action was not understood."
        )
    data = form.cleaned_data
    try:
        reviews.move_claim(
            claim,
            data["transition"],
            actor=request.user,
            membership=membership,
            reason=data["reason"],
            expected_status=data["from_status"],
        )
    except WorkflowError as error:
        claim.reload()
        if data["next"] == "source":
            messages.error(request, str(error))
            return redirect(claim.source)
        return render_claim_page(request, claim, membership, "status-panel", error=str(error))
    claim.reload()
    message = f"Claim is now {claim.get_status_display().lower()}."
    if data["next"] == "source":
        # Accept/dismiss from the reader: stay in the reader.
        messages.success(request, message)
        if not wants_fragment(request):
            return redirect(claim.source)
        context = source_page_context(claim.source, membership)
        return render(
            request, page_or_fragment(request, "claims/source_detail.html", "reader"), context
        )
    return claim_page_done(request, claim, membership, "status-panel", message)


@require_POST
def claim_assign(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.TAKE_CLAIM)
    _, reviewers = members_and_reviewers(claim.investigation)
    form = AssignForm(request.POST, members=reviewers)
    # Taken from a row of the claim list, the answer is that row (or the list again).
    back = NextForm(request.POST, request=request)
    back = back if back.from_list else None
    if not form.is_valid():
        return _triage_refused(request, claim, membership, "Choose who gets the claim.", back)
    data = form.cleaned_data
    assignee = request.user if data["assignee"] == "me" else data["assignee_user"]
    seen = data["seen_user"] if data["seen_sent"] else workflow.LOADED
    try:
        workflow.assign(
            claim,
            actor=request.user,
            membership=membership,
            assignee=assignee,
            expected_assignee=seen,
        )
    except WorkflowError as error:
        return _triage_refused(request, claim, membership, str(error), back)
    who = "you" if assignee == request.user else (assignee.get_username() if assignee else None)
    message = f"Claim assigned to {who}." if who else "Claim unassigned."
    if back is not None:
        messages.success(request, message)
        return list_row_answer(request, claim, membership, back)
    return claim_page_done(request, claim, membership, "triage-panel", message)


def _triage_refused(request, claim, membership, error, back=None):
    """A refused triage change; `back` (a NextForm) when it was made from the claim list."""
    claim.reload()
    if back is not None:
        messages.error(request, error)
        return list_row_answer(request, claim, membership, back)
    return render_claim_page(request, claim, membership, "triage-panel", triage_error=error)


@require_POST
def claim_priority(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.SET_PRIORITY)
    form = PriorityForm(request.POST)
    if not form.is_valid():
        return _triage_refused(request, claim, membership, "Choose a priority.")
    try:
        workflow.set_priority(
            claim,
            actor=request.user,
            membership=membership,
            priority=form.cleaned_data["priority"],
            expected_priority=form.cleaned_data["seen"],
        )
    except WorkflowError as error:
        return _triage_refused(request, claim, membership, str(error))
    message = f"Priority set to {claim.get_priority_display().lower()}."
    return claim_page_done(request, claim, membership, "triage-panel", message)


@require_POST
def claim_tag(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.TAG_CLAIM)
    form = TagForm(request.POST)
    if not form.is_valid():
        return render_claim_page(request, claim, membership, "triage-panel", tag_form=form)
    added, removed = workflow.tag(
        claim,
        actor=request.user,
        membership=membership,
        add=[form.cleaned_data["add"]],
        remove=[form.cleaned_data["remove"]],
    )
    if added:
        message = f"Tagged “{added[0]}”."
    elif removed:
        message = f"Tag “{removed[0]}” removed."
    else:
        message = "The tags were already so."
    return claim_page_done(
        request, claim, membership, "triage-panel", message, changed=bool(added or removed)
    )


@require_POST
def evidence_add(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.ADD_EVIDENCE)
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        return render_claim_page(request, claim, membership, "evidence-panel", evidence_form=form)
    status_before = claim.status
    try:
        citations.cite_evidence(claim, actor=request.user, **form.cleaned_data)
    except citations.AlreadyCited as error:
        form.add_error("url", str(error))
        return render_claim_page(request, claim, membership, "evidence-panel", evidence_form=form)
    message = void_notice(claim, status_before, "Evidence added.")
    return claim_page_done(
        request, claim, membership, "evidence-panel", message, content_changed=True
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def citation_edit(request, citation_id):
    citation, membership = get_citation_for_user(request.user, citation_id, Action.EDIT_CITATION)
    claim = citation.claim
    if request.method == "GET":
        form = CitationForm(citation=citation)
        return closed_box_form(request, claim, "forms/citation-edit", citation=citation, form=form)
    form = CitationForm(request.POST, citation=citation)
    if not form.is_valid():
        return render_claim_page(
            request, claim, membership, "evidence-panel", citation_forms={citation.pk: form}
        )
    status_before = claim.status
    try:
        editing.edit_citation(
            citation,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            stance=form.cleaned_data["stance"],
            excerpt=form.cleaned_data["excerpt"],
            note=form.cleaned_data["note"],
        )
    except editing.StaleEdit as conflict:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = conflict.current.version
        form.conflict = conflict
        return render_claim_page(
            request, claim, membership, "evidence-panel", citation_forms={citation.pk: form}
        )
    except WorkflowError as error:
        form.add_error(None, str(error))
        return render_claim_page(
            request, claim, membership, "evidence-panel", citation_forms={citation.pk: form}
        )
    message = void_notice(claim, status_before, "Citation saved.")
    return claim_page_done(
        request, claim, membership, "evidence-panel", message, content_changed=True
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def citation_retract(request, citation_id):
    citation, membership = get_citation_for_user(
        request.user, citation_id, Action.RETRACT_OWN_CITATION
    )
    if not citations.can_retract(membership, citation, request.user):
        raise PermissionDenied(
            "You can retract only your own citations; an editor can retract any."
        )
    claim = citation.claim
    if request.method == "GET":
        form = RetractForm(citation=citation)
        return closed_box_form(
            request, claim, "forms/citation-retract", citation=citation, form=form
        )
    form = RetractForm(request.POST, citation=citation)
    if not form.is_valid():
        return render_claim_page(
            request, claim, membership, "evidence-panel", retract_forms={citation.pk: form}
        )
    status_before = claim.status
    try:
        citations.retract_citation(
            citation,
            actor=request.user,
            membership=membership,
            reason=form.cleaned_data["reason"],
        )
    except WorkflowError as error:
        return render_claim_page(
            request,
            claim,
            membership,
            "evidence-panel",
            retract_forms={citation.pk: form},
            evidence_error=str(error),
        )
    message = void_notice(claim, status_before, "Citation retracted.")
    return claim_page_done(
        request, claim, membership, "evidence-panel", message, content_changed=True
    )


@require_POST
def verdict_propose(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.PROPOSE_VERDICT)
    form = VerdictForm(request.POST)
    if not form.is_valid():
        return render_claim_page(request, claim, membership, "verdict-panel", verdict_form=form)
    data = form.cleaned_data
    replaces = workflow.LOADED
    if data["replaces"] is not None:
        replaces = Verdict.objects.filter(pk=data["replaces"], claim=claim).first()
    try:
        reviews.propose_verdict(
            claim,
            proposer=request.user,
            membership=membership,
            rating=data["rating"],
            rationale=data["rationale"],
            replaces=replaces,
        )
    except reviews.VerdictChanged as conflict:
        form.data = form.data.copy()
        form.data["replaces"] = conflict.current.pk if conflict.current else 0
        form.add_error(None, str(conflict))
        claim.reload()
        return render_claim_page(request, claim, membership, "verdict-panel", verdict_form=form)
    except WorkflowError as error:
        form.add_error(None, str(error))
        return render_claim_page(request, claim, membership, "verdict-panel", verdict_form=form)
    return claim_page_done(
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
    form = SignOffForm(request.POST)
    if not form.is_valid():
        error = (
            "The sign-off did not say what it approves, so nothing was signed off. Reload "
            "the claim, read it, then sign off again."
        )
        return render_claim_page(request, claim, membership, "verdict-panel", verdict_error=error)
    verdict.version = form.cleaned_data["version"]
    try:
        reviews.sign_off_verdict(
            verdict,
            reviewer=request.user,
            membership=membership,
            seen_sha256=form.cleaned_data["content_sha256"],
        )
    except WorkflowError as error:
        claim.reload()
        return render_claim_page(
            request, claim, membership, "verdict-panel", verdict_error=str(error)
        )
    return claim_page_done(request, claim, membership, "verdict-panel", "Verdict signed off.")


@require_POST
def verdict_send_back(request, verdict_id):
    verdict, membership = get_verdict_for_user(request.user, verdict_id, Action.SEND_BACK_VERDICT)
    claim = verdict.claim
    form = SendBackForm(request.POST)
    if not form.is_valid():
        return render_claim_page(request, claim, membership, "verdict-panel", send_back_form=form)
    verdict.version = form.cleaned_data["version"]
    try:
        reviews.send_back_verdict(
            verdict,
            reviewer=request.user,
            membership=membership,
            comment=form.cleaned_data["comment"],
        )
    except WorkflowError as error:
        claim.reload()
        return render_claim_page(
            request,
            claim,
            membership,
            "verdict-panel",
            send_back_form=form,
            verdict_error=str(error),
        )
    return claim_page_done(
        request, claim, membership, "verdict-panel", "Verdict sent back to review."
    )


@require_POST
def comment_add(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.COMMENT)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render_claim_page(request, claim, membership, "comment-panel", comment_form=form)
    comment = mentions.add_comment(claim, author=request.user, body=form.cleaned_data["body"])
    names = ", ".join(user.get_username() for user in comment.mentions.all())
    message = f"Comment added; {names} will find it in their queue." if names else "Comment added."
    return claim_page_done(request, claim, membership, "comment-panel", message)
