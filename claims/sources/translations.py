"""Translations the team supplies: pair a source with its original, read them side by side,
and mark a claim's words in the other language.

A translation is a source of its own (its own text, hash and claims); `translation_of` names
the original. Its claims say which claim of the original they translate (`Claim.original`),
so a report can quote both. A translation is the same testimony, never corroboration.
"""

from dataclasses import dataclass, field

from django.db import transaction

from claims.access.roles import Action, member_allows
from claims.extraction.sentences import sentence_spans
from claims.models import Claim, Source
from claims.review import audit
from claims.sources import alignment, marking

# Longest chain of translations followed when looking for a cycle (a translation of a
# translation of ...); a real chain is one or two steps long.
_CHAIN_LIMIT = 50


class TranslationRefused(ValueError):
    """The pairing or link cannot be made; str() says why in one sentence."""


def pair(source, original, *, actor, membership):
    """Record `source` as the translation of `original` (None: of nothing)."""
    if not member_allows(membership, Action.PAIR_TRANSLATION):
        raise TranslationRefused("Only an editor can say which source a translation is of.")
    if original is not None:
        if original.investigation_id != source.investigation_id:
            raise TranslationRefused("The original must be a source of this investigation.")
        step, steps = original, 0
        while step is not None and steps < _CHAIN_LIMIT:
            if step.pk == source.pk:
                raise TranslationRefused(
                    "A source cannot be the translation of itself or of its own translation."
                )
            step, steps = step.translation_of, steps + 1
    with transaction.atomic():
        before = Source.objects.select_for_update().values_list("translation_of", flat=True)
        previous = before.get(pk=source.pk)
        new = original.pk if original else None
        if previous == new:
            return source
        Source.objects.filter(pk=source.pk).update(translation_of=original)
        source.translation_of = original
        audit.record(
            actor,
            "source.translation",
            source,
            investigation=source.investigation,
            before={"translation_of": previous},
            after={"translation_of": new, "title": original.title if original else ""},
        )
    return source


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    claims: list = field(default_factory=list)


@dataclass
class Row:
    """Sentences of the original and of the translation that say the same."""

    original: list[Sentence]
    translation: list[Sentence]


def _sentences(source, claims):
    spans = sentence_spans(source.text)
    sentences = [
        Sentence(span.start, span.end, source.text[span.start : span.end]) for span in spans
    ]
    for claim in claims:
        for sentence in sentences:
            if claim.start < sentence.end and sentence.start < claim.end:
                sentence.claims.append(claim)
    return sentences


def side_by_side(original, translation):
    """Rows of aligned sentences, each sentence with the (not dismissed) claims touching it."""
    left = _sentences(original, _claims_of(original))
    right = _sentences(translation, _claims_of(translation))
    rows = alignment.align([s.text for s in left], [s.text for s in right])
    return [Row(left[row.a_start : row.a_end], right[row.b_start : row.b_end]) for row in rows]


def _claims_of(source):
    return list(
        source.claims.exclude(status="dismissed").only("pk", "start", "end", "status", "quote")
    )


def pair_of(source):
    """(original, translation) for a source that is either, or None when it is neither."""
    if source.translation_of_id:
        return source.translation_of, source
    first = source.translations.order_by("created_at", "pk").first()
    return (source, first) if first else None


@dataclass(frozen=True)
class Counterpart:
    """Where a claim's sentences are in the other source of its pair."""

    source: Source
    start: int
    end: int
    text: str
    claim: Claim | None  # the claim already linked, if there is one


def counterpart(claim):
    """The words of the paired source aligned with the sentences `claim` touches, or None."""
    paired = pair_of(claim.source)
    if paired is None:
        return None
    original, translation = paired
    here_is_original = claim.source_id == original.pk
    other = translation if here_is_original else original
    linked = (
        claim.translations.filter(source=other).first()
        if here_is_original
        else (claim.original if claim.original_id else None)
    )
    if linked is not None:
        return Counterpart(other, linked.start, linked.end, linked.quote, linked)
    texts = (original.text, translation.text)
    both = [sentence_spans(text) for text in texts]
    rows = alignment.align(
        *[[text[s.start : s.end] for s in spans] for text, spans in zip(texts, both, strict=True)]
    )
    mine, theirs = (0, 1) if here_is_original else (1, 0)
    spans = both[mine]
    touched = [
        number
        for number, span in enumerate(spans)
        if claim.start < span.end and span.start < claim.end
    ]
    if not touched:
        return None
    matched: list[int] = []
    for row in rows:
        my_range = (row.a_start, row.a_end) if mine == 0 else (row.b_start, row.b_end)
        their_range = (row.b_start, row.b_end) if mine == 0 else (row.a_start, row.a_end)
        if any(my_range[0] <= number < my_range[1] for number in touched):
            matched.extend(range(*their_range))
    if not matched:
        return None
    other_spans = both[theirs]
    start, end = other_spans[min(matched)].start, other_spans[max(matched)].end
    return Counterpart(other, start, end, texts[theirs][start:end], None)


def link(claim, *, actor, membership, start=None, end=None):
    """Mark the words of the paired source that translate `claim` (the aligned sentences, or
    `start`-`end` there) as a claim, linked to `claim`. Returns the other claim."""
    if not member_allows(membership, Action.LINK_TRANSLATION):
        raise TranslationRefused("Only a reviewer can mark a claim in the translation.")
    found = counterpart(claim)
    if found is None:
        raise TranslationRefused("No words of the other source line up with this claim.")
    if found.claim is not None:
        return found.claim
    other = found.source
    start = found.start if start is None else start
    end = found.end if end is None else end
    if not 0 <= start < end <= len(other.text):
        raise TranslationRefused("Those offsets are outside the other source's text.")
    with transaction.atomic():
        existing = other.claims.filter(start=start, end=end).first()
        theirs = existing or marking.mark_claim(
            other,
            actor=actor,
            start=start,
            end=end,
            statement=claim.statement,
            speaker=claim.speaker,
            attribution=claim.attribution,
        )
        if other.translation_of_id == claim.source_id:
            original_claim, translated_claim = claim, theirs
        else:
            original_claim, translated_claim = theirs, claim
        Claim.objects.filter(pk=translated_claim.pk).update(original=original_claim)
        translated_claim.original = original_claim
        audit.record(
            actor,
            "claim.translation",
            translated_claim,
            investigation=claim.investigation,
            claim=translated_claim,
            after={"original": original_claim.pk, "quote": translated_claim.quote},
        )
    return theirs
