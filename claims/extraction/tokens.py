"""Word tokens with offsets, and phrase look-up over them.

The feature modules work on tokens rather than on one regular expression per cue: a sentence
is tokenised once, and every word list or phrase list is a dictionary look-up, which keeps the
engine linear and fast however long the lists grow.
"""

import re
from itertools import repeat
from typing import NamedTuple

# Letters with inner apostrophes ("don't", "Kazakhstan’s"); digits are left to quantities.py.
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


class Token(NamedTuple):
    """One word: offsets absolute in the text, `lower` normalised for look-ups.

    A named tuple rather than a frozen dataclass: millions are built for a 10 MB text and
    tuples are several times cheaper to create.
    """

    start: int
    end: int
    text: str
    lower: str

    @property
    def is_capitalised(self) -> bool:
        """True when the word starts with a capital letter."""
        return self.text[0].isupper()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Return the word tokens of `text[start:end]`, offsets absolute in `text`.

    Curly apostrophes are folded to straight ones in `lower`, so "don’t" and "don't" look the
    same to the word lists.
    """
    end = len(text) if end is None else end
    matches = list(_WORD.finditer(text, start, end))
    words = list(map(_GROUP, matches))
    if "’" in text[start:end]:
        lowers = [w.lower().replace("’", "'") for w in words]
    else:
        lowers = list(map(str.lower, words))
    # map() over method descriptors runs the per-token loop in C, faster than a Python loop
    # building each token; tuple.__new__ is what Token._make calls, minus its wrapper.
    return list(
        map(
            tuple.__new__,
            repeat(Token),
            zip(map(_START, matches), map(_END, matches), words, lowers, strict=True),
        )
    )


_GROUP = re.Match.group
_START = re.Match.start
_END = re.Match.end


class PhraseSet:
    """A set of word tuples that can be found in a token list by dictionary look-ups."""

    def __init__(self, phrases: frozenset[tuple[str, ...]] | set[tuple[str, ...]]):
        self.phrases = frozenset(phrases)
        self.lengths = tuple(sorted({len(p) for p in self.phrases}))
        self.first_words = frozenset(p[0] for p in self.phrases)
        # Phrases have two words or more: their first two words rule most sentences out.
        self.first_pairs = frozenset(p[:2] for p in self.phrases)

    def find(
        self, lowers: list[str], pairs: set[tuple[str, str]] | None = None
    ) -> list[tuple[int, int]]:
        """Return (first, last + 1) token index pairs where a phrase occurs, in order.

        `pairs`, the set of adjacent word pairs of `lowers`, lets many calls share one test.
        """
        if pairs is None:
            pairs = set(zip(lowers, lowers[1:], strict=False))
        if self.first_pairs.isdisjoint(pairs):
            return []  # the common case, decided in C
        found = []
        for index, word in enumerate(lowers):
            if word not in self.first_words:
                continue
            for length in self.lengths:
                if tuple(lowers[index : index + length]) in self.phrases:
                    found.append((index, index + length))
        return found
