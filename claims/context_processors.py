"""Data every page's top bar needs: the user's investigations and the size of their queue."""

from django.utils.functional import SimpleLazyObject

from claims.listing import queues


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: pages that never render the top bar (fragments) never pay for the query, and
    # pages that do pay once, for the switcher and the queue count together.
    memberships = SimpleLazyObject(lambda: list(queues.memberships_with_counts(user)))
    return {
        "nav_memberships": memberships,
        "nav_investigations": SimpleLazyObject(lambda: [m.investigation for m in memberships]),
        # A label, not a number: "99+" once the capped counts pass the cap.
        "nav_queue_count": SimpleLazyObject(lambda: queues.badge_label(memberships)),
    }
