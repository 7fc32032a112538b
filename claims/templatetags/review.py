"""Template filters for review pages."""

from django import template

from claims.listing import queues
from claims.listing.counting import capped_label

register = template.Library()


@register.filter
def queue_count(value):
    """A count of the queue (capped at queues.BADGE_CAP) as shown: '7', or '99+'."""
    return capped_label(value, queues.BADGE_CAP)
