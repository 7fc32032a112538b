"""Word tokens with offsets, and phrase look-up over them.

The feature modules work on tokens rather than on one regular expression per cue: a sentence
is tokenised once, and every word list or phrase list is a dictionary look-up, which keeps the
engine linear and fast however long the lists grow.
"""

import re
from itertools import accumulate, compress, count, repeat
from typing import NamedTuple

# Letters with inner apostrophes ("don't", "Kazakhstan’s"); digits are left to quantities.py.
# Possessive quantifiers (++, *+): nothing after a run of letters could make the regex give some
# back, so it need not remember where it could; same matches, a tenth faster on a long text.
_WORD = re.compile(r"[^\W\d_]++(?:['’][^\W\d_]++)*+")


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
    # Everything runs in C, one call per step, however many words: split() with a capturing
    # group returns separator, word, separator, ..., separator (no match objects to build), and
    # the running total of their lengths gives every word's offsets.
    parts = _WORD_IN_PARTS.split(text[start:end])
    words = parts[1::2]
    if not words:
        return []
    bounds = list(accumulate(map(len, parts), initial=start))
    # Lowercased all at once: a line break is neither a letter nor ignored by casing rules, so
    # each word lowercases as it would alone (a final sigma stays final).
    lowers = "\n".join(words).lower().replace("’", "'").split("\n")
    # tuple.__new__ is what Token._make calls, minus its wrapper.
    return list(
        map(
            tuple.__new__,
            repeat(Token),
            zip(bounds[1:-1:2], bounds[2::2], words, lowers, strict=True),
        )
    )


_WORD_IN_PARTS = re.compile(f"({_WORD.pattern})")


class PhraseSet:
    """A set of word tuples that can be found in a token list by dictionary look-ups."""

    def __init__(self, phrases: frozenset[tuple[str, ...]] | set[tuple[str, ...]]):
        self.phrases = frozenset(phrases)
        if any(len(phrase) < 2 for phrase in self.phrases):
            raise ValueError("a phrase has two words or more; single words go in a word set")
        self.lengths = tuple(sorted({len(p) for p in self.phrases}))
        self.first_words = frozenset(p[0] for p in self.phrases)
        # Every phrase has two words or more: its first two words rule most places out.
        self.first_pairs: frozenset[tuple[str, str]] = frozenset((p[0], p[1]) for p in self.phrases)

    def find(self, lowers: list[str]) -> list[tuple[int, int]]:
        """Return (first, last + 1) token index pairs where a phrase occurs, in order."""
        if self.first_words.isdisjoint(lowers):
            return []  # the common case, decided in one call
        found = []
        for index in pair_starts(lowers, self.first_pairs):
            for length in self.lengths_up_to(len(lowers) - index):
                if tuple(lowers[index : index + length]) in self.phrases:
                    found.append((index, index + length))
        return found

    def lengths_up_to(self, room: int) -> tuple[int, ...]:
        """The phrase lengths that fit in `room` words.

        A slice running past the end of the words is merely shorter: asked with a longer
        length, a phrase ending the sentence would be found once more.
        """
        lengths = self.lengths
        return lengths if lengths[-1] <= room else tuple(n for n in lengths if n <= room)


def pair_starts(lowers: list[str], pairs: frozenset[tuple[str, str]]) -> list[int]:
    """Indexes `i` where `(lowers[i], lowers[i + 1])` is in `pairs`, in order.

    The loop runs in C (zip reuses its pair tuple when nothing keeps it), so a sentence with
    no such pair, the common case, costs one call.
    """
    return list(compress(count(), map(pairs.__contains__, zip(lowers, lowers[1:], strict=False))))  # noqa: RUF007


class Marks:
    """Sorted token indexes of a whole text, handed out sentence by sentence.

    Finding where something occurs in the whole text at once is one call in C; asking each
    sentence again would cost a few calls per sentence. `within` must be called with spans in
    text order.
    """

    def __init__(self, indexes: list[int]):
        self.indexes = indexes
        self.next = 0

    def within(self, first: int, last: int) -> list[int]:
        """The marks in [first, last), relative to `first`; marks before `first` are dropped."""
        found = self.positions_within(first, last)
        return [index - first for index in found] if found and first else found

    def positions_within(self, first: int, last: int) -> list[int]:
        """The marks in [first, last) as they are; marks before `first` are dropped."""
        indexes, position = self.indexes, self.next
        end = len(indexes)
        while position < end and indexes[position] < first:
            position += 1
        found = []
        while position < end and indexes[position] < last:
            found.append(indexes[position])
            position += 1
        self.next = position
        return found
