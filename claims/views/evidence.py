"""A claim's evidence items: cite and archive a link, poll the capture, retry, download."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from claims.access.permissions import (
    Action,
    capabilities,
    get_citation_for_user,
    get_claim_for_user,
    get_snapshot_for_user,
)
from claims.evidence import capture, citations
from claims.forms import CaptureForm
from claims.models import Snapshot
from claims.views.claim_page import (
    claim_page_done,
    draw_claim_page,
    render_claim_page,
    void_notice,
    with_actions,
)
from claims.views.downloads import attachment
from claims.views.fragments import wants_fragment

ITEM_PANEL = "evidence-item"  # the claim page's template of one evidence item


@require_POST
def evidence_capture(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.ADD_EVIDENCE)
    form = CaptureForm(request.POST)
    if not form.is_valid():
        return render_claim_page(request, claim, membership, "evidence-panel", capture_form=form)
    status_before = claim.status
    try:
        citation = capture.cite_and_capture(claim, actor=request.user, **form.cleaned_data)
    except citations.AlreadyCited as error:
        form.add_error("url", str(error))
        return render_claim_page(request, claim, membership, "evidence-panel", capture_form=form)
    snapshot = citation.evidence.latest_snapshot
    if snapshot is not None and snapshot.status == Snapshot.Status.DONE:
        message = "Evidence added; the page was already archived for this investigation."
    else:
        message = "Evidence added; the page is being archived."
    message = void_notice(claim, status_before, message)
    return claim_page_done(
        request, claim, membership, "evidence-panel", message, content_changed=True
    )


def _render_item(request, citation, membership):
    (citation,) = citations.load_citations(citation.claim, only=citation.pk)
    # The same actions as on the claim page, so a polled item keeps them.
    with_actions(citation, membership, request.user)
    context = {"citation": citation, "claim": citation.claim, "can": capabilities(membership)}
    return HttpResponse(draw_claim_page(request, context, ITEM_PANEL))


def _item_url(citation):
    return f"{citation.claim.get_absolute_url()}#evidence-{citation.pk}"


@require_GET
@vary_on_headers("HX-Request")
def citation_detail(request, citation_id):
    """One evidence item of a claim page; the page polls it while a capture runs."""
    citation, membership = get_citation_for_user(request.user, citation_id)
    if not wants_fragment(request):
        return redirect(_item_url(citation))
    return _render_item(request, citation, membership)


@require_POST
def evidence_archive(request, citation_id):
    """Archive the cited page now: the first capture, or a retry after a failure."""
    citation, membership = get_citation_for_user(request.user, citation_id, Action.ARCHIVE_EVIDENCE)
    try:
        capture.request_capture(citation.evidence, actor=request.user)
    except capture.CaptureNotPossible as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Capture queued.")
    if not wants_fragment(request):
        return redirect(_item_url(citation))
    return _render_item(request, citation, membership)


@require_GET
def snapshot_download(request, snapshot_id):
    """The archived body exactly as stored (gzip). Served as a download, never inline: a
    fetched page must not run in the workbench's origin."""
    snapshot, _ = get_snapshot_for_user(request.user, snapshot_id)
    if snapshot.status != Snapshot.Status.DONE or not snapshot.body:
        raise Http404("This snapshot holds no archived copy.")
    return attachment(
        snapshot.body,
        filename=f"snapshot-{snapshot.pk}-{snapshot.sha256[:12]}.gz",
        content_type="application/gzip",
    )
