import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.sources.anchoring import (
    AnchorError,
    anchor_span,
    context_segments,
    find_quote,
    trim_span,
    widen_to_graphemes,
)
from claims.sources.reader import highlight_segments

TEXT = "The strike began on Monday. About 3,000 workers joined. The strike ended."


def test_find_quote_returns_exact_offsets():
    anchor = find_quote(TEXT, "About 3,000 workers joined.")
    assert TEXT[anchor.start : anchor.end] == "About 3,000 workers joined."
    assert anchor.prefix.endswith("Monday. ")


def test_ambiguous_quote_needs_an_occurrence():
    with pytest.raises(AnchorError, match="2 times"):
        find_quote(TEXT, "The strike")
    second = find_quote(TEXT, "The strike", occurrence=2)
    assert second.start == TEXT.rindex("The strike")


def test_missing_quote_is_refused():
    with pytest.raises(AnchorError, match="do not appear"):
        find_quote(TEXT, "5,000 workers")


def test_span_outside_text_is_refused():
    with pytest.raises(AnchorError):
        anchor_span(TEXT, 10, len(TEXT) + 1)
    with pytest.raises(AnchorError):
        anchor_span(TEXT, 5, 5)


def test_trim_span_drops_surrounding_whitespace():
    start = TEXT.index(" About")
    assert trim_span(TEXT, start, start + 7) == (start + 1, start + 6)
    assert trim_span(TEXT, 5, len(TEXT) + 9) == (5, len(TEXT) + 9)


class FakeClaim:
    def __init__(self, pk, start, end, status="open"):
        self.pk, self.start, self.end, self.status = pk, start, end, status


def test_segments_cover_the_text_and_handle_overlaps():
    claims = [FakeClaim(1, 4, 20), FakeClaim(2, 10, 30, "suggested"), FakeClaim(3, 50, 60)]
    segments = highlight_segments(TEXT, claims)
    assert "".join(segment.text for segment in segments) == TEXT
    for segment in segments:
        assert TEXT[segment.start : segment.start + len(segment.text)] == segment.text
    covering = {segment.start: segment.claim_ids for segment in segments}
    assert covering[4] == (1,)
    assert covering[10] == (1, 2)
    assert covering[20] == (2,)
    suggestion_only = {segment.start: segment.is_suggestion_only for segment in segments}
    assert suggestion_only[20] is True
    assert suggestion_only[10] is False


def _context_by_walking(text, start, end, sentences_around=1):
    """context_segments() as first written, one character at a time: the reference."""

    def previous(position):
        limit = max(0, position - 400)
        index = position - 1
        while index > limit:
            if text[index - 1] in ".!?\n" and index < position - 1:
                return index
            index -= 1
        return limit

    def following(position):
        limit = min(len(text), position + 400)
        index = position
        while index < limit:
            if text[index] in ".!?\n" and index > position:
                return index + 1
            index += 1
        return limit

    before_start, after_end = start, end
    for _ in range(sentences_around + 1):
        before_start = previous(before_start)
        after_end = following(after_end)
    return text[before_start:start], text[start:end], text[end:after_end]


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet="ab .!?\n", min_size=1, max_size=1200).filter(lambda t: len(t) > 1),
    data=st.data(),
)
def test_context_segments_agrees_with_walking_the_text(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assert context_segments(text, start, end) == _context_by_walking(text, start, end)


def test_each_sentence_of_context_reaches_at_most_400_characters():
    text = "x" * 1000 + "." + "y" * 1000
    before, quote, after = context_segments(text, 900, 1100)
    assert (len(before), quote, len(after)) == (800, text[900:1100], 800)


# --- Spans never cut a grapheme cluster ------------------------------------------------------

FLAG = "\U0001f1fa\U0001f1e6"  # two regional indicators: one flag
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # three people joined by ZWJ
ACCENTED = "e\u0301"  # e + combining acute
PIECES = [
    "a",
    "b",
    " ",
    ".",
    "\n",
    "\r\n",
    "\u0301",  # combining acute, alone or after anything
    "\u0308",
    "\u200d",  # zero-width joiner
    "\ufe0f",  # emoji presentation selector
    "\U0001f3fd",  # skin tone modifier
    "\U0001f1fa",
    "\U0001f1e6",
    "\U0001f1eb",
    "\U0001f468",
    "\U0001f469",
    "\u2764",
    "\u1100",  # Hangul leading consonant
    "\u1161",  # Hangul vowel
    "\u11a8",  # Hangul trailing consonant
    "\uac00",  # Hangul syllable
    "\u0915",  # Devanagari KA
    "\u094d",  # virama
    "\u0937",  # Devanagari SSA
    "ж",
    "中",
]
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=60).map("".join)


def _boundaries(text):
    """Every grapheme cluster boundary of the whole text, found from its start."""
    return {0, *(match.end() for match in regex.finditer(r"\X", text))}


@settings(max_examples=400, deadline=None)
@given(texts, st.data())
def test_widened_spans_start_and_end_on_the_nearest_outer_boundaries(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    new_start, new_end = widen_to_graphemes(text, start, end)
    boundaries = _boundaries(text)
    assert new_start == max(b for b in boundaries if b <= start)
    assert new_end == min(b for b in boundaries if b >= end)
    assert widen_to_graphemes(text, new_start, new_end) == (new_start, new_end)


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=40), st.data())
def test_any_text_widens_to_boundaries(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    new_start, new_end = widen_to_graphemes(text, start, end)
    boundaries = _boundaries(text)
    assert new_start in boundaries
    assert new_end in boundaries
    assert new_start <= start
    assert end <= new_end


def test_far_into_a_long_run_without_ascii_the_clusters_still_pair_up():
    # 3,001 regional indicators after a line: flags pair from the run's start, so an odd
    # offset thousands of characters in still lies inside a flag.
    text = "Flags:\n" + FLAG * 1500 + "\U0001f1fa"
    start = 7 + 2 * 1400 + 1
    assert widen_to_graphemes(text, start, start + 2) == (start - 1, start + 3)


@pytest.mark.parametrize(
    ("text", "start", "end", "quote"),
    [
        (f"Flag {FLAG} waved.", 6, 13, f"{FLAG} waved"),  # starts between the indicators
        (f"He said caf{ACCENTED} twice", 8, 12, f"caf{ACCENTED}"),  # ends before the accent
        (f"The {FAMILY} family", 5, 10, FAMILY),  # inside the joined sequence
    ],
)
def test_anchors_made_for_claims_widen_to_whole_clusters(text, start, end, quote):
    start, end = widen_to_graphemes(text, *trim_span(text, start, end))
    assert anchor_span(text, start, end).quote == quote


def test_a_quote_found_inside_a_cluster_widens_to_it():
    text = f"Only the caf{ACCENTED} was open."
    assert find_quote(text, "the cafe").quote == f"the caf{ACCENTED}"
