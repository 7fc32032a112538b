"""Labels for raw values that list queries annotate (they carry no get_FOO_display)."""

from django import template

from claims.listing import queues
from claims.listing.counting import capped_label
from claims.models import ClaimStatus, Priority, VerdictRating

register = template.Library()


@register.filter
def queue_count(value):
    """A count of the queue (capped at queues.BADGE_CAP) as shown: '7', or '99+'."""
    return capped_label(value, queues.BADGE_CAP)


@register.filter
def rating_label(value):
    """'mostly_true' -> 'Mostly true'; empty for no verdict."""
    return VerdictRating(value).label if value in VerdictRating.values else ""


@register.filter
def status_label(value):
    return ClaimStatus(value).label if value in ClaimStatus.values else value


@register.filter
def priority_label(value):
    return Priority(value).label if value in Priority.values else value
