"""The queue page: the work waiting for the user, across their investigations."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from claims.forms import MentionsReadForm
from claims.listing import queues


@require_GET
def queue(request):
    """The work waiting for this user: assignments, verdicts to sign off, mentions."""
    memberships = list(queues.memberships_with_counts(request.user))
    context = {
        "queue": queues.queue_for(request.user, memberships),
        # The top bar counts from the same rows; no second query for it.
        "nav_memberships": memberships,
        "nav_investigations": [m.investigation for m in memberships],
        "nav_queue_count": queues.badge_label(memberships),
    }
    return render(request, "claims/queue.html", context)


@require_POST
def mentions_read(request):
    """Take the user's mentions out of their queue (one investigation's, or all)."""
    form = MentionsReadForm(request.POST)
    form.is_valid()  # an id it cannot read means every investigation
    queues.mark_mentions_read(request.user, form.cleaned_data.get("investigation"))
    messages.success(request, "Mentions marked as read.")
    return redirect("claims:queue")
