"""When and where a figure was stated: the date and the place its sentence names.

`occasion_of(text, start, end, published_on)` reads the sentence holding the number
`text[start:end]` and returns `Occasion(on, place, date_reason, place_reason)`:

- `on`: a calendar date the sentence states ("on 5 January", "January 5, 2022", "5 Jan",
  "12.01.2022", "2022-01-12"), or one the source's date resolves ("yesterday" is the day
  before it, "on Wednesday" the last Wednesday on or before it). A date without a year takes
  the source's year (the year before when that would put it months after the source). With
  no source date, only dates that carry their year are read. None when nothing is stated.
- `place`: a capitalised name after "in", "at", "near", "outside" or "across" ("in Almaty",
  "at Republic Square", "near the Medeu District"); months, weekdays, languages and people's
  titles are not places. "" when none is named.

Rules, so that a reader can check them: the date or place nearest to the number in its own
sentence wins; when the sentence names none, the sentence right before it (same paragraph)
is read, and only if it names exactly one and the number's own sentence brings in no
speaker of its own ("officials said dozens died" starts a statement with its own time and
place; "he says" continues the one before). An age gets neither date nor place. Nothing is
guessed beyond that: an unclear date stays empty and the caller falls back to the source's
date.

Plain Python, no Django. Dates are never counts: quantities.py skips them.
"""

import re
from datetime import date, timedelta
from typing import NamedTuple

from .lexicon import SPEECH_VERBS, words
from .sentences import sentence_spans

# How much text around a number is split into sentences: enough for a long sentence and the
# one before it, bounded so that a text without full stops costs the same as a short one.
_BEFORE = 600
_AFTER = 400
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
_WORD = re.compile(r"[^\W\d_]+")
_PRONOUNS = words("he she they i we you him her them it")
_LONGEST_PLACE = 100  # characters; the app stores 100

_MONTH_NUMBERS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}


def _day(name: str) -> str:
    return rf"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"


def _month(name: str) -> str:
    # Capitalised only: "may" and "march" are also verbs.
    return (
        rf"(?P<{name}>January|February|March|April|May|June|July|August|September|October"
        r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
    )


def _year(name: str) -> str:
    # Four digits not followed by more of a number: "5 January 2,000 people" has no year.
    return rf"(?:,?\s+(?P<{name}>(?:19|20)\d\d)(?![\d,.]\d))?"


_DATES = re.compile(
    rf"""(?<![\w.,])(?:
        (?:the\s+)?{_day("day1")}(?:\s+of)?\s+{_month("month1")}{_year("year1")}\b
      | {_month("month2")}\s+(?:the\s+)?{_day("day2")}\b(?!\s*%){_year("year2")}
      | (?P<iso_year>(?:19|20)\d\d)-(?P<iso_month>[01]\d)-(?P<iso_day>[0-3]\d)\b
      | (?P<dot_day>[0-3]?\d)\.(?P<dot_month>[01]?\d)\.(?P<dot_year>(?:19|20)\d\d)\b
    )(?![\w-])""",
    re.X,
)
_WEEKDAY_NUMBERS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_WEEKDAY = re.compile(
    r"\b(?:(?P<which>(?i:last|next|this|coming))\s+)?"
    r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
)
_RELATIVE = re.compile(
    r"\b(?P<word>yesterday|today|tonight|this\s+morning|this\s+afternoon|this\s+evening"
    r"|last\s+night)\b",
    re.I,
)
_RELATIVE_DAYS = {"yesterday": -1, "last night": -1}
# A date more than this far after the source's date, read with the source's year, belongs to
# the year before ("on 28 December" in a report of 3 January).
_FUTURE_SLACK = timedelta(days=31)

_PLACE = re.compile(
    r"(?<![\w-])(?P<prep>in|at|near|outside|across|In|At|Near|Outside|Across)\s+(?:the\s+)?"
    r"(?P<name>[^\W\d_][\w’'.-]*(?:\s+(?:of\s+|de\s+|upon\s+)?[^\W\d_][\w’'.-]*){0,4})"
)
_NAME_WORD = re.compile(r"(?:(?:of|de|upon)\s+)?[^\W\d_][\w’'.-]*")
# Capitalised words after "in"/"at" that do not name a place.
_NOT_PLACES = words(
    """january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday
    thursday friday saturday sunday christmas easter ramadan spring summer autumn winter
    english russian kazakh french german spanish arabic chinese ukrainian ukrainian turkish
    mr mrs ms dr president minister prime general judge professor sir lord lady i"""
) | words(
    """twitter facebook telegram instagram youtube tiktok whatsapp reuters ap afp bbc
    cnn internet covid"""
)
# Words that end a place's name when they follow it: "in Almaty President Tokayev said".
_ENDS_PLACE = words(
    """president minister prime police officials official the a an on in at by said says
    according he she they it we i"""
)


class Occasion(NamedTuple):
    """The date and place a figure's sentence states, each with the rule that read it."""

    on: date | None
    place: str
    date_reason: str
    place_reason: str


class _Found(NamedTuple):
    start: int
    end: int
    value: object
    words: str


def occasion_of(
    text: str, start: int, end: int, published_on: date | None = None, kind: str = "count"
) -> Occasion:
    """The date and place stated for the number `text[start:end]` (see the module's rules).

    `published_on` is the source's date: it resolves "yesterday", weekdays and dates without
    a year. `kind` is the one quantities.py gave the number: an age happens nowhere and on no
    day, so it gets neither. Returns empty values (None, "") with a reason when nothing is
    stated.
    """
    if kind == "age":
        return Occasion(None, "", "an age has no date", "an age has no place")
    sentence, previous = _sentences_around(text, start, end)
    if previous is not None and _reports_speech(text[sentence[0] : sentence[1]]):
        # "Officials said dozens had been killed": a new speaker starts a statement of its
        # own, whose time and place the sentence before does not give.
        previous = None
    on, date_reason = _pick(
        text, sentence, previous, start, end, lambda a, b: _dates(text, a, b, published_on)
    )
    place, place_reason = _pick(
        text, sentence, previous, start, end, lambda a, b: _places(text, a, b)
    )
    return Occasion(
        on if isinstance(on, date) else None,
        place if isinstance(place, str) else "",
        date_reason or "no date stated in the sentence",
        place_reason or "no place named in the sentence",
    )


def stated_date(text: str, start: int, end: int, published_on: date | None = None) -> date | None:
    """The date stated for the number `text[start:end]`, or None (see occasion_of)."""
    return occasion_of(text, start, end, published_on).on


def stated_place(text: str, start: int, end: int) -> str:
    """The place named for the number `text[start:end]`, or "" (see occasion_of)."""
    return occasion_of(text, start, end).place


def _sentences_around(
    text: str, start: int, end: int
) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """The span of the sentence holding [start, end) and of the one before it, if any."""
    low = max(0, start - _BEFORE)
    high = min(len(text), end + _AFTER)
    breaks_before = list(_PARAGRAPH_BREAK.finditer(text, low, start))
    if breaks_before:
        low = breaks_before[-1].end()
    break_after = _PARAGRAPH_BREAK.search(text, end, high)
    if break_after:
        high = break_after.start()
    window = text[low:high]
    spans = [(low + s.start, low + s.end) for s in sentence_spans(window)]
    index = next(
        (i for i, (a, b) in enumerate(spans) if a <= start < b),
        None,
    )
    if index is None:
        return (start, end), None
    sentence = spans[index]
    previous = spans[index - 1] if index > 0 else None
    return sentence, previous


def _reports_speech(sentence: str) -> bool:
    """True when the sentence brings in a speaker of its own: "officials said", "according to
    the ministry". A pronoun ("he says", "according to her") continues the speaker before."""
    tokens = _WORD.findall(sentence.lower())
    for index, word in enumerate(tokens):
        if word in SPEECH_VERBS:
            neighbours = set(tokens[max(0, index - 1) : index + 2]) - {word}
        elif word == "according" and tokens[index + 1 : index + 2] == ["to"]:
            neighbours = set(tokens[index + 2 : index + 3])
        else:
            continue
        if not neighbours & _PRONOUNS:
            return True
    return False


def _pick(text, sentence, previous, start, end, find):
    """The found thing nearest to the number in its sentence, else the previous sentence's only
    one; (value, reason) or (None, "")."""
    found = [f for f in find(*sentence) if f.end <= start or f.start >= end]
    if found:
        best = min(found, key=lambda f: (_distance(f, start, end), f.start >= end))
        return best.value, f'"{best.words}" in the same sentence'
    if previous is None:
        return None, ""
    found = find(*previous)
    values = {f.value for f in found}
    if len(values) == 1:
        return found[0].value, f'"{found[0].words}" in the sentence before'
    return None, ""


def _distance(found: _Found, start: int, end: int) -> int:
    return start - found.end if found.end <= start else found.start - end


def _dates(text: str, start: int, end: int, published_on: date | None) -> list[_Found]:
    found = []
    for match in _DATES.finditer(text, start, end):
        value = _calendar_date(match, published_on)
        if value is not None:
            found.append(_Found(match.start(), match.end(), value, match.group().strip()))
    if published_on is not None:
        for match in _WEEKDAY.finditer(text, start, end):
            value = _weekday(match, published_on)
            if value is not None:
                found.append(_Found(match.start(), match.end(), value, match.group()))
        for match in _RELATIVE.finditer(text, start, end):
            word = " ".join(match["word"].lower().split())
            value = published_on + timedelta(days=_RELATIVE_DAYS.get(word, 0))
            found.append(_Found(match.start(), match.end(), value, match.group()))
    return found


def _calendar_date(match: re.Match[str], published_on: date | None) -> date | None:
    groups = match.groupdict()
    if groups["iso_year"]:
        year, month, day = int(groups["iso_year"]), int(groups["iso_month"]), int(groups["iso_day"])
        return _date(year, month, day)
    if groups["dot_year"]:
        year, month, day = int(groups["dot_year"]), int(groups["dot_month"]), int(groups["dot_day"])
        return _date(year, month, day)
    month_name = groups["month1"] or groups["month2"]
    day_text = groups["day1"] or groups["day2"]
    year_text = groups["year1"] or groups["year2"]
    month = _MONTH_NUMBERS[month_name.lower()]
    if year_text:
        return _date(int(year_text), month, int(day_text))
    if published_on is None:
        return None
    stated = _date(published_on.year, month, int(day_text))
    if stated is not None and stated > published_on + _FUTURE_SLACK:
        stated = _date(published_on.year - 1, month, int(day_text))
    return stated


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None  # "31 February", "45.13.2022"


def _weekday(match: re.Match[str], published_on: date) -> date | None:
    which = (match["which"] or "").lower()
    if which in ("next", "coming"):
        return None  # a day to come: a figure is not stated for it
    back = (published_on.weekday() - _WEEKDAY_NUMBERS[match["weekday"].lower()]) % 7
    if which == "last" and back == 0:
        back = 7
    return published_on - timedelta(days=back)


def _places(text: str, start: int, end: int) -> list[_Found]:
    found = []
    for match in _PLACE.finditer(text, start, end):
        name = _place_name(match["name"])
        if name:
            found.append(
                _Found(
                    match.start(), match.start("name") + len(name), name, f"{match['prep']} {name}"
                )
            )
    return found


def _place_name(words_after: str) -> str:
    """The capitalised run of words at the start of `words_after` that names a place, or ""."""
    kept: list[str] = []
    for word_match in _NAME_WORD.finditer(words_after):
        word = word_match.group()
        joiner, _, bare = word.rpartition(" ")
        bare = bare.rstrip(".")
        # "in Tokayev's speech": a possessive more often names a person than a place.
        if bare.endswith(("'s", "’s")):
            return ""
        if not bare or not bare[0].isupper() or bare.lower() in _NOT_PLACES:
            break
        if kept and bare.lower() in _ENDS_PLACE:
            break
        kept.append(f"{joiner} {bare}" if joiner else bare)
        if word.endswith("."):
            break
    name = " ".join(kept)
    return name[:_LONGEST_PLACE] if kept else ""
