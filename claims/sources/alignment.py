"""Line up the sentences of a text and of its translation. No database.

Translators keep the order of sentences but now and then merge two into one or split one in
two, so the alignment is a shortest path through the grid of (sentence of the original,
sentence of the translation) that may step one-to-one, two-to-one, one-to-two, or skip a
sentence on either side. Each step costs

- how far the pair's length ratio is from the two texts' overall ratio (Russian runs about a
  tenth longer than English, say; the overall ratio absorbs that), and
- the numbers the two sides state: a number written on both sides makes a step cheaper, a
  number on one side only dearer. Numbers survive translation unchanged, which makes them
  the surest anchors a testimony has.

The path is searched in a band around the diagonal, so the cost grows with the length of the
texts times the band, not with the product of their lengths.
"""

import re
from dataclasses import dataclass

# Steps through the grid: sentences taken from the original, from the translation, and a
# fixed extra cost that makes the usual one-to-one step the cheapest for equal evidence.
_STEPS = ((1, 1, 0.0), (2, 1, 1.0), (1, 2, 1.0), (1, 0, 2.5), (0, 1, 2.5))
_NUMBER = re.compile(r"\d[\d\s.,]*\d|\d")
_SHARED_NUMBER_BONUS = 1.5
_LONE_NUMBER_COST = 0.8
_BAND_MIN = 30


@dataclass(frozen=True)
class AlignedRow:
    """Sentences `original[a_start:a_end]` translate as `translation[b_start:b_end]`; one of
    the two ranges is empty when a sentence has no counterpart."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int


def numbers_in(text):
    """The numbers a sentence states, written without separators: "10 000" and "10,000" are
    both "10000", since Russian and English separate thousands differently."""
    return {re.sub(r"[\s.,]", "", match.group()) for match in _NUMBER.finditer(text)}


def align(original: list[str], translation: list[str]) -> list[AlignedRow]:
    """Rows pairing the sentences of `original` with those of `translation`, in order."""
    n, m = len(original), len(translation)
    if not n or not m:
        return [AlignedRow(i, i + 1, 0, 0) for i in range(n)] + [
            AlignedRow(n, n, j, j + 1) for j in range(m)
        ]
    costs = _StepCosts(original, translation)
    band = max(_BAND_MIN, abs(n - m) + _BAND_MIN)
    best: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int]] = {}
    for i in range(n + 1):
        diagonal = i * m // n
        for j in range(max(0, diagonal - band), min(m, diagonal + band) + 1):
            candidates = [
                (best[(i - di, j - dj)] + costs.of(i, j, di, dj, extra), (i - di, j - dj))
                for di, dj, extra in _STEPS
                if (i - di, j - dj) in best
            ]
            if candidates and (i, j) != (0, 0):
                best[(i, j)], back[(i, j)] = min(candidates)
    rows = []
    point = (n, m)
    while point != (0, 0):
        previous = back[point]
        rows.append(AlignedRow(previous[0], point[0], previous[1], point[1]))
        point = previous
    rows.reverse()
    return rows


class _StepCosts:
    def __init__(self, original, translation):
        self.a_lengths = [len(sentence) for sentence in original]
        self.b_lengths = [len(sentence) for sentence in translation]
        self.ratio = max(sum(self.b_lengths), 1) / max(sum(self.a_lengths), 1)
        self.a_numbers = [numbers_in(sentence) for sentence in original]
        self.b_numbers = [numbers_in(sentence) for sentence in translation]

    def of(self, i, j, di, dj, extra):
        """The cost of the step that takes original[i - di:i] with translation[j - dj:j]."""
        if not di or not dj:
            return extra
        expected = sum(self.a_lengths[i - di : i]) * self.ratio
        b_length = sum(self.b_lengths[j - dj : j])
        length_cost = abs(b_length - expected) / max(expected, b_length, 1) * 4
        a_numbers = set().union(*self.a_numbers[i - di : i])
        b_numbers = set().union(*self.b_numbers[j - dj : j])
        shared = len(a_numbers & b_numbers)
        lone = len(a_numbers ^ b_numbers)
        return extra + length_cost - shared * _SHARED_NUMBER_BONUS + lone * _LONE_NUMBER_COST
