"""A source and its translation: side by side, paired by an editor, claims marked across.

The side-by-side page lines up the sentences of the original and of the translation
(sources/alignment.py). The claim page loads its "In the translation" section from here after
the page (it keeps the claim page's query budget), with a button that marks the aligned words
of the other source as the matching claim.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from claims.access.permissions import Action, capabilities, get_claim_for_user, get_source_for_user
from claims.forms import TranslationOfForm
from claims.sources import translations
from claims.sources.anchoring import AnchorError
from claims.sources.marking import DuplicateClaim
from claims.views.fragments import wants_fragment

PAGE = "claims/source_translation.html"
SECTION = "claims/includes/claim_translation.html"


def side_by_side_context(source, membership, form=None):
    paired = translations.pair_of(source)
    return {
        "investigation": source.investigation,
        "membership": membership,
        "can": capabilities(membership),
        "source": source,
        "pair": paired,
        "rows": translations.side_by_side(*paired) if paired else [],
        "form": form
        or TranslationOfForm(source=source, initial={"original": source.translation_of_id}),
    }


@require_GET
def source_side_by_side(request, source_id):
    source, membership = get_source_for_user(request.user, source_id)
    return render(request, PAGE, side_by_side_context(source, membership))


@require_POST
def source_translation_of(request, source_id):
    source, membership = get_source_for_user(request.user, source_id, Action.PAIR_TRANSLATION)
    form = TranslationOfForm(request.POST, source=source)
    if form.is_valid():
        try:
            translations.pair(
                source, form.cleaned_data["original"], actor=request.user, membership=membership
            )
        except translations.TranslationRefused as refused:
            form.add_error("original", str(refused))
    if form.errors:
        context = side_by_side_context(source, membership, form)
        return render(request, PAGE, context, status=400)
    original = form.cleaned_data["original"]
    messages.success(
        request,
        f"Marked as the translation of “{original.title}”." if original else "No longer paired.",
    )
    return redirect("claims:source-side-by-side", source.pk)


def _section(request, claim, membership, error=""):
    context = {
        "claim": claim,
        "can": capabilities(membership),
        "found": translations.counterpart(claim),
        "error": error,
    }
    return render(request, SECTION, context, status=400 if error else 200)


@require_GET
@vary_on_headers("HX-Request")
def claim_translation(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id)
    return _section(request, claim, membership)


@require_POST
def claim_translation_link(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.LINK_TRANSLATION)
    try:
        other = translations.link(claim, actor=request.user, membership=membership)
    except (translations.TranslationRefused, DuplicateClaim, AnchorError) as refused:
        if wants_fragment(request):
            return _section(request, claim, membership, error=str(refused))
        messages.error(request, str(refused))
        return redirect(claim)
    if wants_fragment(request):
        return _section(request, claim, membership)
    messages.success(request, f"Marked the matching words in “{other.source.title}”.")
    return redirect(claim)
