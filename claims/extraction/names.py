"""Find person names that are probably one person spelled differently.

"Isbasarov", "Izbasarov", "Isabarov" and "Isabarow" in one text are most likely one man: a
checker should notice, or ask. Capitalised words that are used as names (after a first name or
a title, or next to "said"/"says") are compared after a light phonetic folding (z→s, w→v,
ph→f, doubled letters…) by edit distance relative to their length.
"""

import unicodedata
from typing import NamedTuple

from .lexicon import MONTHS, PERCEPTION_VERBS, SPEECH_VERBS, STOPWORDS, WEEKDAYS, words
from .tokens import Token, tokenize

_MIN_LENGTH = 4
_MAX_RELATIVE_DISTANCE = 0.25
_MAX_DISTANCE = 2
_TITLES = words(
    """mr mrs ms miss dr prof president minister mayor governor general colonel judge senator
    officer sergeant captain lieutenant activist witness"""
)
# Letter groups that sound alike in transliterated names.
_FOLDS: tuple[tuple[str, str], ...] = (
    ("ph", "f"),
    ("ck", "k"),
    ("kh", "h"),
    ("sch", "sh"),
    ("w", "v"),
    ("z", "s"),
)
_FOLDS += (("y", "i"), ("j", "i"), ("q", "k"), ("x", "ks"))


class NameVariantGroup(NamedTuple):
    """Spellings that probably name one person, and every place they occur (start, end)."""

    names: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]


def name_variant_groups(text: str) -> list[NameVariantGroup]:
    """Return groups of at least two distinct spellings of probably the same person's name.

    Input: the whole text. Output: groups in order of first occurrence; `names` in order of
    first occurrence, `spans` sorted, offsets absolute in `text`.
    """
    tokens = tokenize(text)
    lowercase_words = {t.lower for t in tokens if not t.is_capitalised}
    occurrences: dict[str, list[tuple[int, int]]] = {}
    used_as_name: set[str] = set()
    for index, token in enumerate(tokens):
        name = _name_of(token, lowercase_words)
        if not name:
            continue
        occurrences.setdefault(name, []).append((token.start, token.start + len(name)))
        if _is_person_context(tokens, index):
            used_as_name.add(name)
    spellings = list(occurrences)
    groups = _cluster(spellings)
    result = []
    for group in groups:
        if len(group) < 2 or not set(group) & used_as_name:
            continue
        spans = sorted(span for name in group for span in occurrences[name])
        result.append(NameVariantGroup(tuple(group), tuple(spans)))
    result.sort(key=lambda g: g.spans[0])
    return result


def _name_of(token: Token, lowercase_words: set[str]) -> str:
    """The token as a name candidate (possessive removed), or "" when it is a common word."""
    word = token.text
    for suffix in ("’s", "'s"):
        if word.endswith(suffix):
            word = word[: -len(suffix)]
    lower = word.lower()
    if len(word) < _MIN_LENGTH or not word[0].isupper() or word.isupper():
        return ""
    if lower in STOPWORDS or lower in MONTHS or lower in WEEKDAYS or lower in lowercase_words:
        return ""
    return word


def _is_person_context(tokens: list[Token], index: int) -> bool:
    """Used as a person: after a first name or title, or beside a verb of saying or seeing."""
    previous = tokens[index - 1] if index else None
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if previous and previous.lower not in STOPWORDS:
        if previous.lower in _TITLES or previous.is_capitalised:
            return True
        if previous.lower in _PERSON_VERBS:
            return True
    return bool(following and following.lower in _PERSON_VERBS)


_PERSON_VERBS = SPEECH_VERBS | PERCEPTION_VERBS


def _cluster(spellings: list[str]) -> list[list[str]]:
    """Union spellings whose folded forms are close; keep first-occurrence order."""
    parent = list(range(len(spellings)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    folded = [_fold(s) for s in spellings]
    # Variants share their first letter and differ in length by at most _MAX_DISTANCE, so only
    # such pairs are compared: on a long text this keeps the pairs to a small fraction.
    blocks: dict[tuple[str, int], list[int]] = {}
    for index, form in enumerate(folded):
        blocks.setdefault((form[:1], len(form)), []).append(index)
    for (initial, length), members in blocks.items():
        for other_length in range(length, length + _MAX_DISTANCE + 1):
            others = blocks.get((initial, other_length), [])
            for i in members:
                for j in others:
                    if (other_length > length or j > i) and _are_variants(
                        spellings[i], spellings[j], folded[i], folded[j]
                    ):
                        parent[root(max(i, j))] = root(min(i, j))
    groups: dict[int, list[str]] = {}
    for index, spelling in enumerate(spellings):
        groups.setdefault(root(index), []).append(spelling)
    return list(groups.values())


def _are_variants(a: str, b: str, folded_a: str, folded_b: str) -> bool:
    """Close enough to be one name, but not a mere inflection ("Petrov"/"Petrova")."""
    if abs(len(folded_a) - len(folded_b)) > _MAX_DISTANCE:
        return False
    low_a, low_b = a.lower(), b.lower()
    for short, long in ((low_a, low_b), (low_b, low_a)):
        if long in (short + "a", short + "s", short + "es", short + "n", short + "an"):
            return False  # "Petrov"/"Petrova", plurals, "Valdoria"/"Valdorian"
    if folded_a == folded_b:
        return True
    distance = _edit_distance(folded_a, folded_b, _MAX_DISTANCE)
    return distance <= _MAX_DISTANCE and distance <= _MAX_RELATIVE_DISTANCE * max(
        len(folded_a), len(folded_b)
    )


def _fold(name: str) -> str:
    """Lowercase, strip accents, merge look-alike letter groups, collapse doubled letters."""
    plain = unicodedata.normalize("NFKD", name.lower())
    plain = "".join(ch for ch in plain if ch.isalpha())
    for old, new in _FOLDS:
        plain = plain.replace(old, new)
    collapsed: list[str] = []
    for ch in plain:
        if not collapsed or collapsed[-1] != ch:
            collapsed.append(ch)
    return "".join(collapsed)


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`.

    Swaps count once because "Riberio" for "Ribeiro" is one slip of the hand. Returns
    limit + 1 as soon as the distance must exceed `limit`.
    """
    before_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ch_a in enumerate(a, 1):
        current = [i]
        for j, ch_b in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ch_a != ch_b))
            if i > 1 and j > 1 and ch_a == b[j - 2] and a[i - 2] == ch_b:
                cost = min(cost, before_previous[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        before_previous, previous = previous, current
    return previous[-1]
