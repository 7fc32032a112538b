"""Reliability ratings per publisher domain, set by a team for one investigation."""

from urllib.parse import urlsplit

from django.db import transaction

from claims import limits
from claims.models import Publisher
from claims.review import audit


def clean_domain(value):
    """'https://www.Example.org/x' or 'www.example.org.' -> 'example.org'; '' if no host."""
    value = value.strip().lower()
    host = urlsplit(value if "//" in value else f"//{value}").hostname or ""
    return host.rstrip(".").removeprefix("www.")


def rating_for(domain, publishers):
    """The Publisher whose domain is `domain` or its closest parent, from `publishers`
    ({domain: Publisher}); None when the team has not rated it."""
    labels = domain.split(".")
    for start in range(len(labels) - 1):
        publisher = publishers.get(".".join(labels[start:]))
        if publisher is not None:
            return publisher
    return None


def attach_ratings(evidence_items, investigation):
    """Set `.publisher_rating` on each evidence item with one query for the whole list."""
    publishers = {p.domain: p for p in Publisher.objects.filter(investigation=investigation)}
    for evidence in evidence_items:
        evidence.publisher_rating = (
            rating_for(evidence.domain, publishers) if evidence.domain else None
        )


def set_rating(investigation, *, actor, domain, name="", reliability, note=""):
    """Create or replace the team's rating of `domain`; returns the Publisher.

    Raises limits.TextTooLong for a note over its limit.
    """
    limits.check_lengths(note=(note, limits.NOTE_MAX_CHARS))
    with transaction.atomic():
        publisher, created = Publisher.objects.select_for_update().get_or_create(
            investigation=investigation, domain=domain
        )
        before = (
            {} if created else audit.snapshot_fields(publisher, ["name", "reliability", "note"])
        )
        publisher.name, publisher.reliability, publisher.note = name, reliability, note
        publisher.updated_by = actor
        publisher.save()
        audit.record(
            actor,
            "publisher.rate",
            publisher,
            investigation=investigation,
            before=before,
            after=audit.snapshot_fields(publisher, ["name", "reliability", "note"]),
        )
    return publisher
