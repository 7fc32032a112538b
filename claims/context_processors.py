"""Data every page's top bar needs: the user's investigations and the size of their queue."""

from django.utils.functional import SimpleLazyObject

from claims.models import Claim, ClaimStatus, Investigation, Verdict


def _queue_count(user):
    assigned = (
        Claim.objects.filter(assignee=user)
        .exclude(status__in=[ClaimStatus.VERIFIED, ClaimStatus.DISMISSED])
        .count()
    )
    awaiting = (
        Verdict.objects.filter(
            status=Verdict.Status.PROPOSED,
            claim__investigation__memberships__user=user,
            claim__investigation__memberships__role__in=["reviewer", "editor", "owner"],
        )
        .exclude(proposed_by=user)
        .count()
    )
    return assigned + awaiting


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: pages that never render the top bar (fragments) never pay for these queries.
    return {
        "nav_investigations": SimpleLazyObject(
            lambda: list(Investigation.objects.for_user(user).only("slug", "title"))
        ),
        "nav_queue_count": SimpleLazyObject(lambda: _queue_count(user)),
    }
