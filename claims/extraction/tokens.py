"""Word tokens with offsets, and phrase look-up over them.

The feature modules work on tokens rather than on one regular expression per cue: a sentence
is tokenised once, and every word list or phrase list is a dictionary look-up, which keeps the
engine linear and fast however long the lists grow.
"""

import re
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
        return self.text[0].isupper()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Return the word tokens of `text[start:end]`, offsets absolute in `text`.

    Curly apostrophes are folded to straight ones in `lower`, so "don’t" and "don't" look the
    same to the word lists.
    """
    end = len(text) if end is None else end
    new = tuple.__new__  # what Token._make calls, without its Python-level wrapper
    tokens = []
    for match in _WORD.finditer(text, start, end):
        word = match.group()
        lower = word.lower()
        if "’" in lower:
            lower = lower.replace("’", "'")
        tokens.append(new(Token, (match.start(), match.end(), word, lower)))
    return tokens


class PhraseSet:
    """A set of word tuples that can be found in a token list by dictionary look-ups."""

    def __init__(self, phrases: frozenset[tuple[str, ...]] | set[tuple[str, ...]]):
        self.phrases = frozenset(phrases)
        self.lengths = tuple(sorted({len(p) for p in self.phrases}))
        self.first_words = frozenset(p[0] for p in self.phrases)

    def find(self, lowers: list[str]) -> list[tuple[int, int]]:
        """Return (first, last + 1) token index pairs where a phrase occurs, in order."""
        if self.first_words.isdisjoint(lowers):
            return []  # the common case, decided in C
        found = []
        for index, word in enumerate(lowers):
            if word not in self.first_words:
                continue
            for length in self.lengths:
                if tuple(lowers[index : index + length]) in self.phrases:
                    found.append((index, index + length))
        return found
