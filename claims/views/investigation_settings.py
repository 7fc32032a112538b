"""Starting an investigation, and its settings page: title and description, archive or
restore, delete."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from claims.access import investigations
from claims.access.permissions import Action, capabilities, get_investigation_for_user
from claims.forms import (
    ArchiveForm,
    DeleteInvestigationForm,
    InvestigationEditForm,
    InvestigationForm,
    SecondFactorRequirementForm,
)


@require_http_methods(["GET", "POST"])
def investigation_create(request):
    """Anyone (or staff only, by settings.INVESTIGATION_CREATION) starts an investigation
    and becomes its owner."""
    if not investigations.may_create(request.user):
        raise PermissionDenied("Only staff users can create investigations here.")
    form = InvestigationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            investigation = investigations.create(actor=request.user, **form.cleaned_data)
        except investigations.InvestigationRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Investigation created. Add a source, or invite people.")
            return redirect(investigation)
    return render(request, "claims/investigation_create.html", {"form": form})


def settings_context(investigation, membership, **forms):
    return {
        "investigation": investigation,
        "membership": membership,
        "can": capabilities(membership),
        "form": forms.get("form") or InvestigationEditForm(instance=investigation),
        "delete_form": forms.get("delete_form")
        or DeleteInvestigationForm(investigation=investigation),
    }


@require_http_methods(["GET", "POST"])
def investigation_settings(request, slug):
    """Editors and owners change the title and description (read-only while archived: the
    page still shows, for the owner's Restore button)."""
    if request.method == "POST":
        investigation, membership = get_investigation_for_user(
            request.user, slug, Action.EDIT_INVESTIGATION
        )
    else:
        investigation, membership = get_investigation_for_user(request.user, slug, Action.VIEW)
        can = capabilities(membership)
        if not can["edit_investigation"] and not can["archive_investigation"]:
            # Nothing to do here (an owner of an archived one still restores it): ask the
            # door again for the edit, to refuse with its own reason.
            get_investigation_for_user(request.user, slug, Action.EDIT_INVESTIGATION)
    form = InvestigationEditForm(request.POST or None, instance=investigation)
    if request.method == "POST" and form.is_valid():
        try:
            investigations.edit(investigation, actor=request.user, **form.cleaned_data)
        except investigations.InvestigationRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Investigation saved.")
            return redirect("claims:investigation-settings", slug=investigation.slug)
    context = settings_context(investigation, membership, form=form)
    return render(request, "claims/investigation_settings.html", context)


@require_POST
def investigation_archive(request, slug):
    """Owners archive the investigation (read-only for everyone) or restore it."""
    investigation, _ = get_investigation_for_user(request.user, slug, Action.ARCHIVE_INVESTIGATION)
    form = ArchiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose Archive or Restore.")
        return redirect("claims:investigation-settings", slug=investigation.slug)
    archived = form.cleaned_data["archived"]
    try:
        investigations.set_archived(investigation, actor=request.user, archived=archived)
    except investigations.InvestigationRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            "Investigation archived: it is read-only until restored."
            if archived
            else "Investigation restored: members can work in it again.",
        )
    return redirect("claims:investigation-settings", slug=investigation.slug)


@require_POST
def investigation_second_factor(request, slug):
    """Owners decide whether every member must have passed a second factor."""
    investigation, _ = get_investigation_for_user(request.user, slug, Action.REQUIRE_SECOND_FACTOR)
    form = SecondFactorRequirementForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose Require or Do not require.")
        return redirect("claims:investigation-settings", slug=investigation.slug)
    required = form.cleaned_data["required"]
    try:
        investigations.set_second_factor_required(
            investigation, actor=request.user, required=required
        )
    except investigations.InvestigationRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            "Members now need a second factor to open this investigation."
            if required
            else "Members no longer need a second factor here.",
        )
    return redirect("claims:investigation-settings", slug=investigation.slug)


@require_POST
def investigation_delete(request, slug):
    """Owners delete the investigation and everything in it, typing its address first."""
    investigation, membership = get_investigation_for_user(
        request.user, slug, Action.DELETE_INVESTIGATION
    )
    form = DeleteInvestigationForm(request.POST, investigation=investigation)
    if form.is_valid():
        title = investigation.title
        try:
            investigations.delete(
                investigation, actor=request.user, confirmation=form.cleaned_data["confirmation"]
            )
        except investigations.InvestigationRefused as refused:
            form.add_error("confirmation", str(refused))
        else:
            messages.success(request, f"“{title}” was deleted, with everything in it.")
            return redirect("claims:investigation-list")
    context = settings_context(investigation, membership, delete_form=form)
    return render(request, "claims/investigation_settings.html", context)
