"""Data every page's top bar needs: the user's investigations and the size of their queue."""

from django.contrib.auth import get_user_model
from django.utils.functional import SimpleLazyObject

from claims.counting import capped_count
from claims.models import Claim, ClaimStatus, Investigation, Verdict

# The badge says "99+" beyond this: counting further would make every page slower as a
# desk's queue grows, for a number nobody reads exactly.
QUEUE_BADGE_CAP = 99


def _queue_count(user):
    assigned = Claim.objects.filter(assignee=user).exclude(
        status__in=[ClaimStatus.VERIFIED, ClaimStatus.DISMISSED]
    )
    awaiting = Verdict.objects.filter(
        status=Verdict.Status.PROPOSED,
        claim__investigation__memberships__user=user,
        claim__investigation__memberships__role__in=["reviewer", "editor", "owner"],
    ).exclude(proposed_by=user)
    # Both counts travel in one query: the top bar is on every page, and every page has a
    # query budget (tests/test_page_budgets.py).
    counts = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list(
            capped_count(assigned, QUEUE_BADGE_CAP), capped_count(awaiting, QUEUE_BADGE_CAP)
        )
        .first()
    )
    total = sum(counts or (0, 0))
    return f"{QUEUE_BADGE_CAP}+" if total > QUEUE_BADGE_CAP else str(total)


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
