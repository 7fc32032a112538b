"""Anchor a span of a source text the way W3C Web Annotation selectors do.

A claim keeps both a position (start/end offsets, half-open like slices) and a quote with about
32 characters of context either side. The position is exact against the immutable source text;
the quote and context let other tools re-find the span in a copy of the text.

Offsets count code points, and one character as a reader sees it can be several: a flag is two
regional indicators, "é" may be "e" and a combining accent, a family emoji is three people
joined by zero-width joiners. A span that cuts one of these quotes half a character, which
renders as a different one (or as nothing). Every span made for a claim is therefore widened
to whole grapheme clusters (Unicode UAX #29) by `widen_to_graphemes`.
"""

import hashlib
import re
from dataclasses import dataclass

# The `regex` module implements UAX #29 extended grapheme clusters (\X), which the standard
# library cannot: it needs Unicode properties unicodedata does not expose (Grapheme_Cluster_Break,
# Extended_Pictographic, Indic_Conjunct_Break). It is installed with trafilatura (through
# htmldate and dateparser) and pinned in constraints.txt.
import regex

CONTEXT_CHARS = 32


class AnchorError(ValueError):
    """The offsets or quote do not describe a span of the text."""


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


def sha256_text(text):
    """Hex SHA-256 of the text encoded as UTF-8: the identity of a source text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def anchor_span(text, start, end):
    """Return the Anchor of text[start:end]; raise AnchorError for an empty or outside span."""
    if not (0 <= start < end <= len(text)):
        raise AnchorError(
            f"Offsets {start}–{end} are not a span of a text of {len(text)} characters."
        )
    return Anchor(
        start=start,
        end=end,
        quote=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


def trim_span(text, start, end):
    """Shrink [start, end) so that it neither begins nor ends with whitespace.

    Offsets outside the text are returned unchanged for anchor_span to refuse.
    """
    if not (0 <= start < end <= len(text)):
        return start, end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_GRAPHEME = regex.compile(r"\X")
# How far back from an offset to look for a pair of ASCII characters (see _segment_from).
_LOOKBACK_CHARS = 1_000


def widen_to_graphemes(text, start, end):
    """Widen [start, end) to the nearest grapheme cluster boundaries outside it.

    A span already on boundaries is returned as it is, as is one outside the text (for
    anchor_span to refuse).
    """
    if not (0 <= start < end <= len(text)):
        return start, end
    if start > 0:
        start = _cluster_containing(text, start)[0]
    if end < len(text):
        end = _cluster_containing(text, end - 1)[1]
    return start, end


def _cluster_containing(text, position):
    """(start, end) of the grapheme cluster holding text[position]."""
    for match in _GRAPHEME.finditer(text, _segment_from(text, position)):
        if match.end() > position:
            return match.start(), match.end()
    return position, position + 1  # not reached: \X matches every character


def _segment_from(text, position):
    """A cluster boundary at or before `position` from which segmenting gives the same clusters
    as segmenting the whole text (regional indicators pair up from the start of their run, so
    one cannot start just anywhere).

    Between two ASCII characters there is always a boundary, except inside CR LF: no ASCII
    character extends, joins, prepends or pairs (UAX #29 rules GB3-GB13 all need a non-ASCII
    character on one side). Texts of Chinese, say, may have no such pair nearby; after a line
    feed there is always a boundary too (GB4); failing both, the text's start.
    """
    for candidate in range(position, max(0, position - _LOOKBACK_CHARS), -1):
        before, after = text[candidate - 1], text[candidate]
        if before.isascii() and after.isascii() and before + after != "\r\n":
            return candidate
    return text.rfind("\n", 0, position) + 1


def find_quote(text, quote, occurrence=None):
    """Locate `quote` in `text` and return its Anchor.

    A quote that occurs more than once is ambiguous unless `occurrence` (1-based) says which
    one is meant; we refuse to guess, because a claim anchored to the wrong place is worse
    than no claim. Raises AnchorError with a message fit to show a user.
    """
    quote = quote.strip()
    if not quote:
        raise AnchorError("Enter the exact words of the claim.")
    starts = []
    position = text.find(quote)
    while position != -1:
        starts.append(position)
        position = text.find(quote, position + 1)
    if not starts:
        raise AnchorError("These words do not appear in the source text; copy them exactly.")
    if occurrence is None:
        if len(starts) > 1:
            raise AnchorError(
                f"These words appear {len(starts)} times in the source; "
                "add a few words so they are unique, or say which occurrence."
            )
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise AnchorError(f"There are only {len(starts)} occurrences of these words.")
    start = starts[occurrence - 1]
    return anchor_span(text, *widen_to_graphemes(text, start, start + len(quote)))


def context_segments(text, start, end, sentences_around=1):
    """Split the text around a span into (before, quote, after) trimmed to nearby sentences.

    Used to show a quote in its context. We walk back and forward over sentence-ending
    punctuation or paragraph breaks rather than a fixed character count so the context reads
    as whole sentences.
    """
    before_start = start
    for _ in range(sentences_around + 1):
        before_start = _previous_boundary(text, before_start)
    after_end = end
    for _ in range(sentences_around + 1):
        after_end = _next_boundary(text, after_end)
    return text[before_start:start], text[start:end], text[end:after_end]


# Sentence-ending punctuation or a line break.
_BOUNDARY = re.compile(r"[.!?\n]")
# How far context reaches at most on either side, when no boundary comes first.
_CONTEXT_LIMIT = 400


# Both searches run in C (a regex search forwards, str.rfind per boundary character
# backwards, since `re` cannot search backwards) rather than a Python loop over characters:
# a report computes the context of every claim, and the loop was a tenth of the time of a
# large export.
def _previous_boundary(text, position):
    """The start of the sentence that ends just before `position`: one past the last
    boundary character in text[limit:position - 2], or `limit` (400 back) if none."""
    limit = max(0, position - _CONTEXT_LIMIT)
    end = position - 2
    if end <= limit:
        return limit
    found = max(
        text.rfind(".", limit, end),
        text.rfind("!", limit, end),
        text.rfind("?", limit, end),
        text.rfind("\n", limit, end),
    )
    return found + 1 if found >= 0 else limit


def _next_boundary(text, position):
    """One past the first boundary character in text[position + 1:limit], or `limit`
    (400 on) if none."""
    limit = min(len(text), position + _CONTEXT_LIMIT)
    found = _BOUNDARY.search(text, position + 1, limit)
    return found.start() + 1 if found else limit
