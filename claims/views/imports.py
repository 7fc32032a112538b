"""Import a source from a file (.txt, .md, .html, .pdf, .docx) or from a link."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from claims.access.permissions import Action, get_investigation_for_user
from claims.forms import SourceImportForm
from claims.sources import importing


@require_http_methods(["GET", "POST"])
def source_import(request, slug):
    investigation, membership = get_investigation_for_user(request.user, slug, Action.IMPORT_SOURCE)
    form = SourceImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        options = {
            "actor": request.user,
            "title": data["title"],
            "run_extraction": data["run_extraction"],
            "kind": data["kind"],
            "language": data["language"],
        }
        try:
            if data["file"] is not None:
                source = importing.import_file(
                    investigation, filename=data["file"].name, data=data["file"].read(), **options
                )
            else:
                source = importing.import_url(investigation, url=data["url"], **options)
        except importing.SourceImportError as error:
            form.add_error("file" if data["file"] is not None else "url", str(error))
        else:
            messages.success(
                request, f"Source imported ({len(source.text):,} characters, SHA-256 kept)."
            )
            return redirect(source)
    context = {"investigation": investigation, "membership": membership, "form": form}
    return render(request, "claims/source_import.html", context)
