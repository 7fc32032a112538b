"""Files cited as evidence: attach one to a claim, download it, see a picture's safe copies,
and where else the same picture is cited."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from claims.access.permissions import (
    Action,
    get_citation_for_user,
    get_claim_for_user,
    get_evidence_file_for_user,
)
from claims.evidence import citations, files
from claims.forms import FileEvidenceForm
from claims.limits import TextTooLong
from claims.views.claim_page import claim_page_done, render_claim_page, void_notice
from claims.views.fragments import page_or_fragment

# Whatever the bytes hold, a browser given one of these responses renders nothing active:
# no script, no plugin, no frame, no fetch, in an opaque origin.
SANDBOX_POLICY = "sandbox; default-src 'none'"


@require_POST
def evidence_upload(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.ADD_EVIDENCE)
    form = FileEvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_claim_page(request, claim, membership, "evidence-panel", upload_form=form)
    status_before = claim.status
    try:
        cleaned = form.cleaned_data
        citation = files.attach_file(
            claim,
            actor=request.user,
            upload=cleaned["file"],
            stance=cleaned["stance"],
            title=cleaned["title"],
            note=cleaned["note"],
        )
    except (files.FileRefused, citations.AlreadyCited, TextTooLong) as error:
        form.add_error("note" if isinstance(error, TextTooLong) else "file", str(error))
        return render_claim_page(request, claim, membership, "evidence-panel", upload_form=form)
    if citation.file_was_stored:
        message = "File attached; it is stored with its SHA-256."
    else:
        message = "File attached; the same file was already stored in this investigation."
    message = void_notice(claim, status_before, message)
    return claim_page_done(
        request, claim, membership, "evidence-panel", message, content_changed=True
    )


def _guarded(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def evidence_file_download(request, file_id):
    """The original bytes, as uploaded: always saved, never shown in the browser."""
    stored, _ = get_evidence_file_for_user(request.user, file_id)
    return _guarded(
        FileResponse(
            stored.file.open("rb"),
            as_attachment=True,
            filename=f"evidence-{stored.sha256[:12]}.{stored.extension}",
            content_type=stored.content_type,
        )
    )


@require_GET
def evidence_file_thumbnail(request, file_id):
    """A picture's thumbnail, decoded and encoded again here: shown inline."""
    stored, _ = get_evidence_file_for_user(request.user, file_id)
    return _picture(stored, stored.thumbnail)


@require_GET
def evidence_file_picture(request, file_id):
    """A picture's published copy (full size, upright, no metadata): shown inline."""
    stored, _ = get_evidence_file_for_user(request.user, file_id)
    return _picture(stored, stored.published_copy)


def _picture(stored, copy):
    if not stored.is_image or not copy:
        raise Http404("This evidence file is not a picture.")
    content_type = "image/png" if copy.name.endswith(".png") else "image/jpeg"
    return _guarded(FileResponse(copy.open("rb"), content_type=content_type))


@require_GET
@vary_on_headers("HX-Request")
def citation_same_picture(request, citation_id):
    """Other claims of the investigation citing the same picture as this citation, or a copy
    that looks alike: loaded into the claim page after it, or a page of its own without
    JavaScript."""
    citation, _ = get_citation_for_user(request.user, citation_id)
    claim = citation.claim
    if files.file_of(citation.evidence) is None:
        raise Http404("This evidence is not a file.")
    template = page_or_fragment(request, "claims/same_picture.html", "same-picture")
    context = {
        "citation": citation,
        "claim": claim,
        "evidence": citation.evidence,
        "investigation": claim.investigation,
        "source": claim.source,
        "others": files.pictures_cited_elsewhere(claim, [citation]).get(citation.evidence_id, []),
    }
    return render(request, template, context)
