"""The source page: read a testimony with its claims, mark claims, download the original."""

from pathlib import PurePath

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from claims.access.permissions import Action, capabilities, get_source_for_user
from claims.extraction import name_variant_groups
from claims.forms import MarkClaimForm
from claims.sources import marking
from claims.sources.reader import highlight_segments
from claims.views.downloads import attachment
from claims.views.fragments import page_or_fragment, wants_fragment


def source_page_context(source, membership, mark_form=None):
    """Everything the source page (its reader) shows."""
    claims = list(
        source.claims.exclude(status="dismissed")
        .select_related("assignee")
        .prefetch_related("quantities")
        .order_by("start", "pk")
    )
    suggestions = sorted(
        (claim for claim in claims if claim.status == "suggested"),
        key=lambda claim: -(claim.extraction_score or 0),
    )
    return {
        "investigation": source.investigation,
        "membership": membership,
        "can": capabilities(membership),
        "source": source,
        "segments": highlight_segments(
            source.text,
            claims,
            page_starts=source.page_starts,
            doubtful=source.recognition.get("doubtful", ()),
        ),
        "claims": [claim for claim in claims if claim.status != "suggested"],
        "suggestions": suggestions,
        "name_groups": name_variant_groups(source.text),
        "mark_form": mark_form or MarkClaimForm(source=source),
    }


@require_GET
@vary_on_headers("HX-Request")
def source_detail(request, source_id):
    source, membership = get_source_for_user(request.user, source_id)
    template = page_or_fragment(request, "claims/source_detail.html", "reader")
    return render(request, template, source_page_context(source, membership))


@require_GET
def source_original(request, source_id):
    """The imported file as it was uploaded or fetched, for members: only ever a download
    (see claims/views/downloads.py), whatever it holds."""
    source, _ = get_source_for_user(request.user, source_id)
    if not source.original_file:
        raise Http404("This source has no original file.")
    return attachment(
        source.original_file,
        filename=PurePath(source.original_file.name).name,
        content_type="application/octet-stream",
    )


@require_POST
def claim_mark(request, source_id):
    source, membership = get_source_for_user(request.user, source_id, Action.ADD_CLAIM)
    template = page_or_fragment(request, "claims/source_detail.html", "reader")
    form = MarkClaimForm(request.POST, source=source)
    if not form.is_valid():
        return render(request, template, source_page_context(source, membership, mark_form=form))
    anchor = form.cleaned_data["anchor"]
    try:
        claim = marking.mark_claim(
            source,
            actor=request.user,
            start=anchor.start,
            end=anchor.end,
            statement=form.cleaned_data["statement"],
            speaker=form.cleaned_data["speaker"],
            attribution=form.cleaned_data["attribution"],
        )
    except marking.DuplicateClaim as error:
        form.add_error("quote", str(error))
        return render(request, template, source_page_context(source, membership, mark_form=form))
    messages.success(request, f"Claim marked: “{claim.quote[:80]}”.")
    if not wants_fragment(request):
        return redirect(source)
    response = render(request, template, source_page_context(source, membership))
    return trigger_client_event(response, "claimChanged", {"claim": claim.pk})
