"""Check-worthiness scores: each phrase counts once, wherever it stands in the sentence."""

import pytest

from claims.extraction import extract
from claims.extraction.tokens import PhraseSet


@pytest.mark.parametrize(
    ("at_the_end", "in_the_middle"),
    [
        # Phrase lists whose longest phrase is longer than the one found: the shorter phrase
        # used to be found once per phrase length when it ended the sentence.
        ("Police used water cannon.", "Police used water cannon there."),
        ("Soldiers opened fire.", "Soldiers opened fire there."),
        ("His family don't know where.", "His family don't know where he is."),
        ("They are hiding, I guess.", "They are hiding, I guess, there."),
    ],
)
def test_a_phrase_at_the_end_of_a_sentence_counts_once(at_the_end, in_the_middle):
    end, middle = extract(at_the_end)[0], extract(in_the_middle)[0]
    assert end.score == middle.score
    assert end.reasons == middle.reasons


def test_phrase_set_finds_a_phrase_at_the_end_once():
    phrases = PhraseSet({("water", "cannon"), ("tear", "gas", "canisters")})
    assert phrases.find(["police", "used", "water", "cannon"]) == [(2, 4)]
    assert phrases.find(["water", "cannon"]) == [(0, 2)]
    assert phrases.find(["tear", "gas", "canisters"]) == [(0, 3)]
