"""The page that adds a source: a testimony pasted as text, kept with its SHA-256."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from claims.access.permissions import Action, get_investigation_for_user
from claims.forms import SourceForm
from claims.middleware import answers_oversized_post
from claims.sources import marking


def _source_form_too_large(request, slug):
    """The form again, for a paste too large to be read at all; writes nothing."""
    investigation, membership = get_investigation_for_user(request.user, slug, Action.ADD_SOURCE)
    context = {
        "investigation": investigation,
        "membership": membership,
        "form": SourceForm.too_large_to_send(),
    }
    return render(request, "claims/source_form.html", context)


def proposed(count):
    """The sentence that says how many sentences extraction proposed."""
    return (
        f"{count} sentence{'s' if count != 1 else ''} proposed as claims; accept or dismiss "
        "them in the side list."
    )


@answers_oversized_post(_source_form_too_large)
@require_http_methods(["GET", "POST"])
def source_create(request, slug):
    investigation, membership = get_investigation_for_user(request.user, slug, Action.ADD_SOURCE)
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if name != "text"}
        source = marking.add_source(
            investigation, actor=request.user, text=form.cleaned_data["text"], **fields
        )
        source.refresh_from_db(
            fields=["extraction_status", "extraction_queued_at", "extraction_started_at"]
        )
        if source.is_extracting:
            # A long text goes to the worker: nothing is proposed yet, and a count of 0 would
            # read as "nothing worth checking". The page polls and says when it is done.
            messages.info(
                request,
                "Source added. Claim extraction is running; the suggestions appear beside "
                "the text when it finishes.",
            )
        else:
            messages.success(request, f"Source added. {proposed(source.claims.count())}")
        return redirect(source)
    context = {"investigation": investigation, "membership": membership, "form": form}
    return render(request, "claims/source_form.html", context)
