"""Properties that hold for any text: spans are exact, ordered, non-overlapping, and complete."""

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.extraction import extract, find_quantities, name_variant_groups
from tests.extraction.pieces import PIECES

BOUNDS = {"exact", "approximate", "lower", "upper"}
KINDS = {"count", "percent", "age", "duration", "money", "measure", "range_end", "sequence_step"}
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(PIECES), max_size=60).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_sentences_are_exact_ordered_non_overlapping_slices(text):
    sentences = extract(text)
    previous_end = 0
    for sentence in sentences:
        assert 0 <= sentence.start < sentence.end <= len(text)
        assert sentence.text == text[sentence.start : sentence.end]
        assert sentence.start >= previous_end
        assert text[previous_end : sentence.start].strip() == ""
        assert sentence.text == sentence.text.strip()
        previous_end = sentence.end
    assert text[previous_end:].strip() == ""


@settings(max_examples=300, deadline=None)
@given(texts)
def test_quantities_lie_inside_their_sentence_and_equal_their_slice(text):
    for sentence in extract(text):
        assert 0.0 <= sentence.score <= 1.0
        assert sentence.label in ("CFS", "UFS", "NFS")
        assert sentence.is_proposed == (sentence.label == "CFS")
        for quantity in sentence.quantities:
            assert sentence.start <= quantity.start < quantity.end <= sentence.end
            assert quantity.text == text[quantity.start : quantity.end]
            assert quantity.bound in BOUNDS
            assert quantity.kind in KINDS
            # What the app's Quantity table can store.
            assert len(quantity.text) <= 200
            assert len(quantity.unit) <= 50


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(min_value=-5, max_value=320), st.integers(min_value=-5, max_value=320))
def test_quantities_of_any_span_lie_inside_it(text, start, end):
    for quantity in find_quantities(text, start, end):
        assert max(0, start) <= quantity.start < quantity.end <= min(end, len(text))
        assert quantity.text == text[quantity.start : quantity.end]


@settings(max_examples=200, deadline=None)
@given(texts)
def test_name_variant_spans_are_exact(text):
    for group in name_variant_groups(text):
        assert len(set(group.names)) == len(group.names) >= 2
        for start, end in group.spans:
            assert text[start:end] in group.names


@settings(max_examples=300, deadline=None)
@given(texts)
def test_extract_finds_the_same_quantities_as_find_quantities(text):
    for sentence in extract(text):
        assert list(sentence.quantities) == find_quantities(text, sentence.start, sentence.end)


# Letters whose lowercase or case-insensitive form is not what a look-up table expects: "ſ"
# (long s, in OCR of old print) and "ı" match s and i in a case-insensitive regex without
# lowercasing to them; "İ" lowercases to two characters; "ß" casefolds to "ss"; "ﬁ" is one
# character for two letters; the Kelvin sign lowercases to a plain "k".
ODD_LETTERS = "ſıİßﬁ\u212aΣς\u0307"
# Number, unit and hedge words, so that the odd letters land where the quantity rules look.
NUMBER_PIECES = [
    "hundreds of thousands",
    "tens of thousands",
    "several thousand",
    "six thousand",
    "nine",
    "5 thousand",
    "3 miles",
    "6 seconds",
    "20 percent",
    "a dozen",
    "half a million",
    "1.5 million",
    "26-year-old",
    "at least",
    "more than",
    "is said",
    "according to",
]


# What a case-insensitive regex may take for each letter; "K" (Kelvin) lowercases to k.
LOOK_ALIKES = {"s": "ſ", "i": "ıİ", "k": "\u212a"}


@st.composite
def spelled_oddly(draw, piece):
    """`piece` with some of its s, i and k letters written as look-alikes."""
    characters = list(piece)
    for index, character in enumerate(characters):
        choices = LOOK_ALIKES.get(character.lower())
        if choices and draw(st.booleans()):
            characters[index] = draw(st.sampled_from(choices))
    return "".join(characters)


@st.composite
def odd_texts(draw):
    """Pieces, number words spelled with look-alikes, and arbitrary characters of Unicode."""
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(PIECES),
                st.sampled_from(NUMBER_PIECES).flatmap(spelled_oddly),
                # Any code point, lone surrogates included (a str may hold them).
                st.text(st.characters(exclude_categories=()), max_size=8),
                st.sampled_from(ODD_LETTERS),
            ),
            max_size=40,
        )
    )
    return draw(st.sampled_from((" ", "", "\n"))).join(parts)


@settings(max_examples=400, deadline=None)
@given(odd_texts())
def test_any_unicode_text_is_extracted_without_error_and_with_exact_spans(text):
    sentences = extract(text)
    for sentence in sentences:
        assert sentence.text == text[sentence.start : sentence.end]
        for quantity in sentence.quantities:
            assert quantity.text == text[quantity.start : quantity.end]
        assert list(sentence.quantities) == find_quantities(text, sentence.start, sentence.end)
    for group in name_variant_groups(text):
        for start, end in group.spans:
            assert text[start:end] in group.names
