"""What a number counts: crowd, detained, killed, injured, missing, share, money, ...

`measure_of(text, start, end, kind)` looks at the words around `text[start:end]` (a quantity
found by quantities.py) and returns `Measure(name, reason)`. The rules, in order:

1. A step a count passed through on its way to a later figure of the same sentence ("100
   people grew to 200, then 300, until 20,000 were marching": 100, 200, 300) is "other": the
   figure given for the count is where it ended, and the steps would only be noise when
   figures are compared across sources.
2. The quantity's own kind decides when it is not a count: a percentage is a "share", an
   amount of money "money", "six days" a "duration", "15 km" a "distance"; an age is "other".
3. Otherwise the words of the same clause are read: up to `_WORDS_AFTER` words after the
   number and `_WORDS_BEFORE` before it, stopping at the end of a sentence, at another number
   (its words belong to it) and, after the number, at a new clause (", and", ", but", ";").
4. What happened to people outranks who they were: "10,000 protesters were arrested" counts
   the detained, not the crowd. So the nearest fate cue (detained, killed, injured, missing)
   wins; only when there is none does a crowd cue ("protesters", "marched", "a crowd of")
   make it a crowd. "A group of 100 people" is not a crowd cue: a group is a part of a
   crowd, often the start of one ("a group of 100 people grew to 20,000"). At equal
   distance the word after the number wins ("5 killed and 20 wounded": "killed" is 5's).
5. Nothing in its own clause: a part named after its whole ("225 bodies ..., among them 19")
   counts what the whole counts.
6. Nothing found: "other". A number whose measure is unclear is not guessed.

Dates and clock times never reach this module: quantities.py does not report them.
Plain Python, no Django.
"""

import re
from typing import NamedTuple

from .lexicon import words
from .quantities import find_quantities

MEASURES = (
    "crowd",
    "detained",
    "killed",
    "injured",
    "missing",
    "share",
    "money",
    "duration",
    "distance",
    "other",
)

_WORDS_AFTER = 8
_WORDS_BEFORE = 6
_CONTEXT_CHARS = 120

_DISTANCE_UNITS = words(
    "km kms kilometre kilometres kilometer kilometers m metre metres meter meters mile miles "
    "yard yards foot feet ft cm"
)


def _cues(phrases: str) -> re.Pattern:
    alternatives = [phrase.strip().replace(" ", r"\s+") for phrase in phrases.split(",")]
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.I)


# What happened to the people counted. Checked before the crowd cues (rule 3).
_FATE_CUES = {
    "detained": _cues(
        "arrested, arrests, arresting, arrest, detained, detaining, detention, detentions, "
        "detainees, in custody, into custody, jailed, imprisoned, locked up, "
        "were held, was held, are held, being held, been held, still held, held in, "
        "held by police, behind bars"
    ),
    "killed": _cues(
        "killed, killing, dead, died, die, deaths, death toll, toll, bodies, fatalities, "
        "lost their lives, perished, shot dead, lives lost"
    ),
    "injured": _cues(
        "wounded, injured, injuries, hurt, hospitalised, hospitalized, in hospital, "
        "treated for, casualties"
    ),
    "missing": _cues("missing, disappeared, unaccounted for, whereabouts unknown"),
}
# "march" is a cue; "March", mid-sentence, is nearly always the month ("on March 4").
_CROWD_CUES = _cues(
    "protesters, protestors, protester, protestor, demonstrators, marchers, crowd, crowds, "
    "gathered, gathering, marched, marching, (?-i:march), rallied, rally, "
    "took to the streets, "
    "on the streets, took part, turned out, attended, protested, protesting, demonstrated"
)

# Rule 4: "among them 19", "including 12": a part of the figure before it.
_PART_OF_BEFORE = re.compile(
    r"\b(?:among\s+them|among\s+whom|including|of\s+whom|of\s+them|of\s+which)\s+\Z", re.I
)
_NEIGHBOURHOOD = 160
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?](?:\s|\Z)|\n\s*\n")
_DIGIT = re.compile(r"\d")
_NEW_CLAUSE = re.compile(r",\s*(?:and|but|while|whereas)\b|;|\s(?:while|whereas|but)\s", re.I)


class Measure(NamedTuple):
    name: str
    reason: str


def measure_of(text: str, start: int, end: int, kind: str = "count", unit: str = "") -> Measure:
    """What the quantity `text[start:end]` counts, and the rule that said so.

    `kind` and `unit` are those quantities.py gave it. Returns Measure(name, reason) with
    name one of MEASURES; "other" when no rule fired.
    """
    by_kind = _measure_of_kind(kind, unit)
    if by_kind is not None:
        return by_kind
    if kind == "sequence_step" and _is_earlier_step(text, start, end):
        return Measure("other", "a step on the way to a later figure of the same count")
    found = _by_words(text, start, end) or _part_of_whole(text, start, end)
    return found or Measure("other", "no word nearby says what this number counts")


def _by_words(text: str, start: int, end: int) -> Measure | None:
    """Rules 3 and 4: the nearest cue in the number's own clause, or None."""
    after = _clause_after(text, end)
    before = _clause_before(text, start)
    for cues, label in ((_FATE_CUES, "what happened"), ({"crowd": _CROWD_CUES}, "who")):
        found = _nearest(after, before, cues)
        if found is not None:
            name, word, distance, side = found
            where = f"{distance} word{'s' if distance != 1 else ''} {side} the number"
            return Measure(name, f'{label}: "{word}" {where}')
    return None


def _part_of_whole(text: str, start: int, end: int) -> Measure | None:
    """Rule 5: a part named after its whole ("the bodies of 225 people ..., among them 19
    members") counts what the whole counts; None when there is no such whole or it is unclear.
    """
    # Most numbers have no part-of phrase before them: answered without a look around.
    if not _PART_OF_BEFORE.search(text, max(0, start - 30), start):
        return None
    window = find_quantities(text, max(0, start - _NEIGHBOURHOOD), end)
    index = next((i for i, q in enumerate(window) if q.start < end and start < q.end), None)
    if not index:
        return None
    whole = window[index - 1]
    found = _measure_of_kind(whole.kind, whole.unit) or _by_words(text, whole.start, whole.end)
    if found is None or found.name == "other":
        return None
    return Measure(found.name, f'part of "{whole.text}": {found.reason}')


def _is_earlier_step(text: str, start: int, end: int) -> bool:
    """Rule 1: a step a count passed through on its way to a later one of the same sentence
    ("a group of 100 people grew to 200, then 300, until 20,000 were marching": 100, 200,
    300). The figure a speaker gives for the count is where it ended; the steps on the way are
    not statements of its size, and comparing them with other sources' figures would only
    make noise."""
    # From before the number: "from 200 to 238" is a change, "200 to 238" alone a range.
    window = find_quantities(
        text, max(0, start - _NEIGHBOURHOOD), min(len(text), end + _NEIGHBOURHOOD)
    )
    later = [q for q in window if q.start >= end]
    if not later or later[0].kind != "sequence_step":
        return False
    return not _SENTENCE_END.search(text, end, later[0].start)


def _measure_of_kind(kind: str, unit: str) -> Measure | None:
    if kind == "percent":
        return Measure("share", "a percentage is a share of a group")
    if kind == "fraction":
        return Measure("share", "a fraction is a share of a group")
    if kind == "money":
        return Measure("money", f"an amount of money ({unit})" if unit else "an amount of money")
    if kind == "duration":
        return Measure("duration", f"a length of time ({unit})" if unit else "a length of time")
    if kind == "measure":
        if unit.lower() in _DISTANCE_UNITS:
            return Measure("distance", f"a distance ({unit})")
        return Measure("other", f"a measurement in {unit or 'unknown units'}, not a count")
    if kind == "age":
        return Measure("other", "an age, not a count")
    return None


def _clause_after(text: str, end: int) -> str:
    after = text[end : end + _CONTEXT_CHARS]
    for pattern in (_SENTENCE_END, _DIGIT, _NEW_CLAUSE):
        match = pattern.search(after)
        if match is not None:
            after = after[: match.start()]
    return after


def _clause_before(text: str, start: int) -> str:
    before = text[max(0, start - _CONTEXT_CHARS) : start]
    for pattern in (_SENTENCE_END, _DIGIT):
        matches = list(pattern.finditer(before))
        if matches:
            before = before[matches[-1].end() :]
    return before


def _nearest(after: str, before: str, cues: dict[str, re.Pattern]):
    """(measure, cue word, distance in words, side) of the closest cue, or None.

    Distance 1 is the word right next to the number. After wins ties (listed first).
    """
    best = None
    for name, pattern in cues.items():
        for match in pattern.finditer(after):
            distance = len(_WORD.findall(after[: match.start()])) + 1
            if distance <= _WORDS_AFTER and (best is None or (distance, 0) < _rank(best)):
                best = (name, match.group(0), distance, "after")
            break
        for match in reversed(list(pattern.finditer(before))):
            distance = len(_WORD.findall(before[match.end() :])) + 1
            if distance <= _WORDS_BEFORE and (best is None or (distance, 1) < _rank(best)):
                best = (name, match.group(0), distance, "before")
            break
    return best


def _rank(found):
    return found[2], 0 if found[3] == "after" else 1
