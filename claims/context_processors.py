"""Data every page's top bar needs: the user's investigations and the size of their queue."""

from django.contrib.auth import get_user_model
from django.db.models import F, Func, Subquery
from django.utils.functional import SimpleLazyObject

from claims.models import Claim, ClaimStatus, Investigation, Verdict


def _queue_count(user):
    # Both counts travel in one query (two scalar subqueries): the top bar is on every page,
    # and every page has a query budget (tests/test_page_budgets.py).
    assigned = (
        Claim.objects.filter(assignee=user)
        .exclude(status__in=[ClaimStatus.VERIFIED, ClaimStatus.DISMISSED])
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    awaiting = (
        Verdict.objects.filter(
            status=Verdict.Status.PROPOSED,
            claim__investigation__memberships__user=user,
            claim__investigation__memberships__role__in=["reviewer", "editor", "owner"],
        )
        .exclude(proposed_by=user)
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    counts = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list(Subquery(assigned), Subquery(awaiting))
        .first()
    )
    return sum(counts or (0, 0))


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
