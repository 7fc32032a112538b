"""Correcting what extraction proposed: re-run it, move a claim's span, fix a number."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from claims.access.permissions import (
    Action,
    capabilities,
    get_claim_for_user,
    get_quantity_for_user,
    get_source_for_user,
)
from claims.forms import QuantityForm, RespanForm
from claims.models import ClaimStatus, ExtractionStatus
from claims.review import decisions
from claims.review.workflow import EditConflict
from claims.sources import marking
from claims.sources.anchoring import AnchorError
from claims.views.claim_page import claim_page_context, draw_claim_page, void_notice
from claims.views.source_form import proposed


@require_POST
def source_extract(request, source_id):
    source, _ = get_source_for_user(request.user, source_id, Action.RUN_EXTRACTION)
    try:
        added = marking.start_extraction(source, actor=request.user)
    except marking.ExtractionUnderWay as error:
        messages.info(request, str(error))
        return redirect(source)
    if added is None:
        messages.info(request, "Extraction queued; suggestions appear here when it finishes.")
    else:
        messages.success(
            request,
            f"Extraction found {added} new suggestion{'s' if added != 1 else ''}; "
            "dismissed suggestions stay dismissed.",
        )
    return redirect(source)


@require_GET
def source_extraction_status(request, source_id):
    """Polled by the reader while extraction runs; reloads the page when it has finished."""
    source, membership = get_source_for_user(request.user, source_id)
    if request.htmx and source.extraction_status == ExtractionStatus.DONE:
        # The reload shows the suggestions; the message says what the wait produced.
        found = source.claims.filter(status=ClaimStatus.SUGGESTED).count()
        messages.success(request, f"Claim extraction finished: {proposed(found)}")
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    context = {"source": source, "can": capabilities(membership)}
    return render(request, "claims/includes/extraction_status.html", context)


@require_POST
def claim_respan(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.ADJUST_SUGGESTION)
    if not decisions.may_adjust(membership, claim):
        return _claim_page(request, claim, membership, "Only an editor can move an accepted claim.")
    form = RespanForm(request.POST, source=claim.source)
    if not form.is_valid():
        return _claim_page(request, claim, membership, span_form=form)
    anchor = form.cleaned_data["anchor"]
    status_before = claim.status
    try:
        marking.respan_claim(
            claim,
            actor=request.user,
            start=anchor.start,
            end=anchor.end,
            expected_version=_version(form, claim),
        )
    except (AnchorError, marking.DuplicateClaim, EditConflict) as error:
        form.add_error("quote", str(error))
        return _claim_page(request, claim, membership, span_form=form)
    message = "The claim now quotes the new words; its numbers were re-read."
    messages.success(request, void_notice(claim, status_before, message))
    return redirect(claim)


@require_POST
def quantity_edit(request, quantity_id):
    quantity, membership = get_quantity_for_user(
        request.user, quantity_id, Action.ADJUST_SUGGESTION
    )
    claim = quantity.claim
    if not decisions.may_adjust(membership, claim):
        return _claim_page(request, claim, membership, "Only an editor can correct this claim.")
    form = QuantityForm(request.POST)
    if not form.is_valid():
        return _claim_page(request, claim, membership, quantity_form=form, quantity_id=quantity.pk)
    marking.correct_quantity(quantity, actor=request.user, **form.cleaned_data)
    messages.success(request, f"Reading of “{quantity.text}” corrected.")
    return redirect(claim)


def _version(form, claim):
    """The version the page showed, or the one loaded now when the form did not say."""
    version = form.cleaned_data["version"]
    return claim.version if version is None else version


def _claim_page(request, claim, membership, error="", **forms):
    context = claim_page_context(request.user, claim, membership, error=error)
    context.update(forms)
    return HttpResponse(draw_claim_page(request, context))
