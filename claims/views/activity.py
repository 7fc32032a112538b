"""The activity page: every recorded change in an investigation, newest first."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from claims.access.permissions import get_investigation_for_user
from claims.forms import PageForm
from claims.models import AuditEvent
from claims.review.history import describe_all

EVENTS_PER_PAGE = 50


@require_GET
def activity(request, slug):
    """Every recorded change in an investigation, newest first, a page at a time."""
    investigation, membership = get_investigation_for_user(request.user, slug)
    events = (
        AuditEvent.objects.filter(investigation=investigation)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(PageForm(request.GET).number)
    context = {
        "investigation": investigation,
        "membership": membership,
        "page": page,
        "entries": describe_all(page.object_list),
    }
    return render(request, "claims/activity.html", context)
