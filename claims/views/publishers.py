"""The publishers page: a team's reliability rating for each domain its evidence comes from."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from claims.access.permissions import Action, get_investigation_for_user
from claims.evidence import publishers
from claims.forms import PublisherForm
from claims.models import Publisher


@require_http_methods(["GET", "POST"])
def publisher_list(request, slug):
    investigation, membership = get_investigation_for_user(
        request.user, slug, Action.RATE_PUBLISHER
    )
    form = PublisherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        publisher = publishers.set_rating(investigation, actor=request.user, **form.cleaned_data)
        messages.success(
            request, f"{publisher.domain} rated {publisher.get_reliability_display().lower()}."
        )
        return redirect("claims:publisher-list", slug=investigation.slug)
    context = {
        "investigation": investigation,
        "membership": membership,
        "form": form,
        "publishers": Publisher.objects.filter(investigation=investigation).select_related(
            "updated_by"
        ),
    }
    return render(request, "claims/publisher_list.html", context)
