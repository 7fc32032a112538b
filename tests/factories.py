"""Plain factory functions for test data. Text here is the tests' own."""

from django.contrib.auth import get_user_model

from claims.models import Investigation, Membership, Source
from claims.sources import marking
from claims.sources.anchoring import find_quote

FLOOD_TEXT = (
    "Flood on the Lower Vessa\n\n"
    "By the river desk\n\n"
    "The river rose by 3.2 metres overnight and about 1,200 homes were flooded in Marrow. "
    '"We lost everything in two hours," a baker named Ida Sorensen says. '
    "The regional governor said at least 14 people had died. "
    "Is the dam safe? Nobody could tell us.\n\n"
    "Leave a Reply\n"
)


def make_user(username, password="pw-for-tests-123"):
    return get_user_model().objects.create_user(username=username, password=password)


def make_investigation(slug="flood-2026", title="Vessa flood", members=()):
    """Create an investigation; `members` is a list of (user, role)."""
    investigation = Investigation.objects.create(slug=slug, title=title)
    for user, role in members:
        Membership.objects.create(investigation=investigation, user=user, role=role)
    return investigation


def make_source(investigation, text=FLOOD_TEXT, title="Flood report", extract=False, **fields):
    return marking.add_source(
        investigation,
        actor=None,
        text=text,
        run_extraction=extract,
        title=title,
        kind=fields.pop("kind", Source.Kind.ARTICLE),
        **fields,
    )


def make_claim(source, quote="about 1,200 homes were flooded in Marrow", actor=None, **fields):
    anchor = find_quote(source.text, quote)
    return marking.mark_claim(source, actor=actor, start=anchor.start, end=anchor.end, **fields)


def make_many_claims(investigation, count, title="Many boats"):
    """A source of `count` sentences, each marked as a claim; returns the claims in order."""
    text = " ".join(f"Item {i}: {i + 2} boats sank." for i in range(count))
    source = make_source(investigation, text=text, title=title)
    return [make_claim(source, f"Item {i}: {i + 2} boats sank.") for i in range(count)]
