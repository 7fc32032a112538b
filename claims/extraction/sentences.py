"""Split a text into sentences with exact offsets.

The spans cover every non-whitespace character of the text, in order, and only whitespace lies
between two of them (the gold convention of the evaluation set). Three levels:

1. paragraphs, separated by blank lines;
2. segments: the lines of a paragraph, joined where a line break only wraps a sentence and kept
   apart where a line stands alone (headline, byline, caption, list item);
3. sentences inside a segment, split after . ! ? … (with the closing quotation marks that follow
   them) unless the full stop belongs to an abbreviation, an initial or a list number.
"""

import re
from bisect import bisect_left
from itertools import pairwise
from operator import methodcaller
from typing import NamedTuple

from .lexicon import words


class SentenceSpan(NamedTuple):
    """A sentence's offsets (end exclusive) and the index of its paragraph."""

    start: int
    end: int
    paragraph: int


# Terminal punctuation, then closing quotes or brackets, then whitespace.
# Terminal punctuation, closing marks, whitespace. A plain character class first lets the regex
# engine skip ahead fast; the punctuation and the closers are told apart afterwards.
_BOUNDARY = re.compile(r"[.!?…]+[\"”’»)\]]*\s+")
_CLOSERS = '"”’»)]'
_LIST_MARKER = re.compile(r"(?:[-*•–—▪◦‣]|\d{1,3}[.)]|[a-zA-Z][.)])\s")
# A short speech tail after a closed quotation: `“I saw it.” Isabarov says.`
_SPEECH_TAIL = re.compile(
    r"(?:[A-Z][\w’'-]*\s+){1,3}(?:says|said|adds|added|asks|asked|shouts|shouted|recalls|"
    r"recalled|explains|explained|writes|wrote|insists|insisted)\s*[.,;:!?]"
)
# The word before a full stop, read on the reversed text so that `match` anchors it.
_WORD_CHARS_REVERSED = re.compile(r"[\w.’'-]*")

# Abbreviations after which a full stop never ends a sentence.
_ALWAYS_CONTINUE = words(
    """mr mrs ms dr prof sen rep gov gen brig lt lieut col maj capt sgt cpl pte pvt adm cmdr cdr
    insp supt det rev fr st mt hon pres messrs mme mlle e.g i.e cf vs viz approx ca jan feb
    apr jun jul aug sep sept oct nov dec"""
)
# Abbreviations that continue only before a number ("No. 5", "p. 12").
_CONTINUE_BEFORE_DIGIT = words("no nos nr vol art fig p pp para sec ch op tel")
# Abbreviations that end a sentence when the next word usually starts one ("at 7 p.m. The").
_MAYBE_END = words("etc inc ltd co corp jr sr bros govt plc llc a.m p.m u.s u.k u.n e.u u.s.a d.c")
_SENTENCE_STARTERS = words(
    """the a an he she it they we i you this that these those there his her their our its in on
    at but and so however meanwhile after before when while if as then yet still now later
    during some many most several no one two three police officials"""
)
_OPENERS = frozenset('“„"«‹‘([')
_SHORT_BLOCK = 50  # a paragraph whose lines are all shorter than this is a stack of labels
_FULL_LINE = 0.7  # a wrapped line fills at least this share of the paragraph's longest line
_JOINING_ENDINGS = frozenset(",;:(-–—")
_JOINING_WORDS = words("and or but the a an of to in on at by for with from that which who as than")


def sentence_spans(text: str) -> list[SentenceSpan]:
    """Return the sentences of `text` as spans in order.

    Input: the text exactly as read. Output: non-empty, non-overlapping spans; each starts and
    ends on a non-whitespace character; the characters between two spans are whitespace.
    """
    spans: list[SentenceSpan] = []
    # Candidate boundaries are found in the whole text at once and handed to each segment.
    # Only whitespace lies between two segments and a segment ends on a non-space, so the
    # matches inside a segment are those a search of the segment alone finds; one that runs
    # past the segment's end is not a boundary either way.
    boundaries = list(_BOUNDARY.finditer(text))
    boundary_starts = list(map(_MATCH_START, boundaries))
    first = 0
    for paragraph, lines in enumerate(_paragraphs(text)):
        for segment_start, segment_end in _segments(text, lines):
            first = bisect_left(boundary_starts, segment_start, first)
            last = bisect_left(boundary_starts, segment_end, first)
            pieces = _split_segment(text, segment_start, segment_end, boundaries[first:last])
            for start, end in pieces:
                spans.append(SentenceSpan(start, end, paragraph))
    return spans


_MATCH_START = methodcaller("start")
# A line's text without the whitespace around it: str.strip() and \s agree on whitespace.
_LINE = re.compile(r"\S(?:[^\n]*\S)?")


def _paragraphs(text: str) -> list[list[tuple[int, int]]]:
    """Group the stripped, non-blank lines of `text` into paragraphs (split at blank lines)."""
    paragraphs: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    previous_end = 0
    for line in _LINE.finditer(text):
        start, end = line.span()
        # Two line breaks between two lines mean a blank line (only whitespace) between them.
        if current and text.count("\n", previous_end, start) > 1:
            paragraphs.append(current)
            current = []
        current.append((start, end))
        previous_end = end
    if current:
        paragraphs.append(current)
    return paragraphs


def _segments(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join the lines of one paragraph where a break only wraps running text."""
    longest = max(end - start for start, end in lines)
    segments = []
    segment_start, segment_end = lines[0]
    for previous, following in pairwise(lines):
        if _is_wrapped(text, previous, following, longest):
            segment_end = following[1]
        else:
            segments.append((segment_start, segment_end))
            segment_start, segment_end = following
    segments.append((segment_start, segment_end))
    return segments


def _is_wrapped(
    text: str, previous: tuple[int, int], following: tuple[int, int], longest: int
) -> bool:
    """Tell whether the break between two lines is a soft wrap inside a sentence."""
    following_text = text[following[0] : following[1]]
    if _LIST_MARKER.match(following_text + " "):
        return False
    if following_text[0].islower():
        return True
    previous_text = text[previous[0] : previous[1]]
    if previous_text[-1] in _JOINING_ENDINGS:
        return True
    last_word = previous_text.rsplit(None, 1)[-1].lower()
    if last_word in _JOINING_WORDS:
        return True
    if longest < _SHORT_BLOCK or previous_text[-1] in ".!?…":
        # A stack of short lines (name, affiliation) or a finished sentence: keep apart.
        return False
    return len(previous_text) >= _FULL_LINE * longest


def _split_segment(
    text: str, start: int, end: int, boundaries: list[re.Match]
) -> list[tuple[int, int]]:
    """Split one segment [start, end) at the `boundaries` (_BOUNDARY matches) that end a
    sentence."""
    pieces = []
    sentence_start = start
    for match in boundaries:
        next_start = match.end()
        if next_start >= end or not _is_boundary(text, match, start, end):
            continue
        pieces.append((sentence_start, match.start() + len(match.group().rstrip())))
        sentence_start = next_start
    pieces.append((sentence_start, end))
    return pieces


def _is_boundary(text: str, match: re.Match, segment_start: int, segment_end: int) -> bool:
    """Decide whether the punctuation in `match` ends a sentence."""
    marks = match.group().rstrip()
    punctuation = marks.rstrip(_CLOSERS)
    closers = marks[len(punctuation) :]
    following = text[match.end()]
    if following.islower():
        return False
    starts_new = following.isupper() or following in _OPENERS
    if punctuation in ("...", "…") or (len(punctuation) > 1 and punctuation[-1] == "."):
        return starts_new
    if closers and _SPEECH_TAIL.match(text, match.end(), segment_end):
        return False
    if punctuation != "." or closers:
        return True
    return _full_stop_ends_sentence(text, match.start(), segment_start, match.end())


def _full_stop_ends_sentence(text: str, stop: int, segment_start: int, next_start: int) -> bool:
    """Judge a single full stop at `stop` by the word before it and the word after it."""
    window = text[max(segment_start, stop - 30) : stop]
    reversed_word = _WORD_CHARS_REVERSED.match(window[::-1])  # `*`: matches, if only ""
    length = reversed_word.end() if reversed_word else 0
    word = window[len(window) - length :].lower().lstrip("'’-")
    if not word:
        return True
    following = text[next_start]
    if word in _ALWAYS_CONTINUE:
        return False
    if word in _CONTINUE_BEFORE_DIGIT and following.isdigit():
        return False
    word_start = stop - length
    if word_start == segment_start and (word.isdigit() or len(word) == 1):
        return False  # list number or letter: "1. Item", "a. Item"
    if len(word) == 1 and word.isalpha() and text[stop - 1].isupper():
        return False  # an initial: "John F. Kennedy"
    if word in _MAYBE_END or _is_dotted_acronym(word):
        return _next_word(text, next_start) in _SENTENCE_STARTERS
    return True


def _is_dotted_acronym(word: str) -> bool:
    """True for "u.s", "p.m", "e.u": letters separated by single dots."""
    parts = word.split(".")
    return len(parts) > 1 and all(len(part) == 1 and part.isalpha() for part in parts)


def _next_word(text: str, position: int) -> str:
    """Return the lowercase word starting at `position` (letters only, up to 20 characters)."""
    end = position
    limit = min(len(text), position + 20)
    while end < limit and text[end].isalpha():
        end += 1
    return text[position:end].lower()
