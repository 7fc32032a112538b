"""Find the numbers a fact-checker would verify, with their hedges and units.

`find_quantities(text, start, end)` returns `Quantity` objects whose offsets index `text`.
A quantity's span follows the evaluation convention: the hedge word and the unit word are
included when present ("around 20,000", "90 percent", "26-year-old", "six days"), the counted
noun is not ("people"), but it is reported as `unit`.

`kind` says what the number measures:

- "count"          a number of things or people ("about 10,000 people")
- "percent"        a share ("90 percent", "90%")
- "age"            "26-year-old", "aged 26", "Alfred Ononugbo, 55,"
- "duration"       "six days", "30 years"
- "money"          "$5 million", "20 euros"
- "measure"        "15 km", "2 metres"
- "range_end"      one end of a range ("100 to 300", "between 5 and 10", "one or two");
                   `low` and `high` hold the range on both ends, `unit` what it measures
- "sequence_step"  one step of a change ("grew to 200, then 300")

`bound` is "exact", "approximate" ("around", "nearly"), "lower" ("at least", "more than",
"if not more", "hundreds") or "upper" ("up to", "fewer than"); `approximate` is true for
hedged and vague amounts. Not quantities: dates, years, clock times, ordinals, identifiers
("12-gauge", "Article 19"), "one of", "many", "several", "a few".
"""

import re
from dataclasses import dataclass
from itertools import compress, count, pairwise, repeat
from typing import NamedTuple

from text_to_num import text2num

from .lexicon import IRREGULAR_PLURALS, NOT_PLURAL, STOPWORDS, words
from .quantities_ru import find_quantities_ru
from .quantity import Quantity
from .tokens import Marks, Token


@dataclass(slots=True)
class _Candidate:
    """A quantity being built: core number first, then hedge, unit and role."""

    start: int
    end: int
    value: float
    kind: str = "count"
    unit: str = ""
    bound: str = "exact"
    approximate: bool = False
    low: float | None = None
    high: float | None = None
    is_digits: bool = False


_CURRENCY_SYMBOLS = {"US$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB"}
_CURRENCY_SYMBOLS |= {"₸": "KZT", "₹": "INR", "₦": "NGN"}

# Dates, clock times, ordinals, year ranges and fractions: digits that are not quantities.
# Every pattern here starts with a plain digit and checks the character before it with a
# lookbehind, so the regex engine can skip quickly to digits (an optional prefix or a leading
# lookbehind would make it try every position of the text: ten times slower).
_SKIP = re.compile(
    r"""\d(?<!\w\d)
    (?: \d{0,3}[./-]\d{1,2}[./-]\d{1,4}\b
      | \d?:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?(?![a-z]))?
      | \d?(?:\.\d{2})?\s?[ap]\.?m\.?(?![a-z])
      | \d?\s?o['’]clock\b
      | \d*(?:st|nd|rd|th)\b
      | (?:(?<=1)[5-9]|(?<=2)0)\d{2}s?\s?[-–/]\s?(?:(?:1[5-9]|20)?\d{2})\b
      | \d*/\d+\b)""",
    re.X | re.I,
)
_DIGITS = re.compile(
    r"""\d(?<![\d.,]\d)
    (?: \d{0,2}(?:,\d{3})+(?:\.\d+)?
      | \d{0,2}(?:[ \u00a0\u202f]\d{3})+(?![ \u00a0\u202f]?\d)
      | \d*(?:\.\d+)?)""",
    re.X,
)
_CURRENCY_BEFORE = re.compile(r"(US\$|[$€£¥₽₸₹₦])\s?\Z")
_HAS_DIGIT = re.compile(r"\d")
_GROUP_SEPARATORS = str.maketrans("", "", ", \u00a0\u202f")
_UNITS_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_SCALE_WORDS = {"hundred": 100, "thousand": 1_000, "million": 10**6, "billion": 10**9}
_SCALE_WORDS["trillion"] = 10**12
_NUMBER_WORDS = frozenset((_UNITS_WORDS + " " + _TENS_WORDS).split()) | frozenset(_SCALE_WORDS)
_NUMBER_WORD = re.compile(r"\b(?:" + "|".join(sorted(_NUMBER_WORDS)) + r")\b", re.I)
# Cheap substring tests that rule out number words and vague amounts before any regex runs.
_NUMBER_STEMS = words(
    """one two three four five six seven eight nine ten eleven twelve teen twenty thirty forty
    fifty sixty seventy eighty ninety hundred thousand million billion trillion zero"""
)
_VAGUE_STEMS = ("dozen", "hundred", "thousand", "million", "billion")
# Vague amounts, valued as the evaluation guideline says ("hundreds" -> 100).
_VAGUE = re.compile(
    r"""\b(?:(?P<many>tens|hundreds)\s+of\s+(?P<of>thousands|millions)
    | (?:several|a\s+few)\s+(?P<some>dozen|hundred|thousand|million)
    | (?P<plural>dozens|hundreds|thousands|millions|billions)
    | (?P<half>half\s+a)\s+(?P<halved>dozen|million|billion)
    | a\s+(?P<dozen>dozen))\b""",
    re.X | re.I,
)
_VAGUE_VALUES = {
    "tens": 10,
    "hundreds": 100,
    "dozen": 12,
    "dozens": 12,
    "hundred": 100,
    "thousand": 1_000,
    "thousands": 1_000,
    "million": 10**6,
    "millions": 10**6,
    "billion": 10**9,
    "billions": 10**9,
}

_HEDGES = {
    "approximate": (
        "an estimated, estimated, approximately, approx., roughly, around, about, nearly, "
        "almost, some, close to, circa, ca., more or less"
    ),
    "lower": (
        "at least, more than, greater than, over, upwards of, in excess of, no fewer than, "
        "no less than, well over, just over, well above, above, not less than"
    ),
    "upper": (
        "up to, fewer than, less than, under, below, at most, no more than, not more than, "
        "as many as, as much as, just under, a maximum of"
    ),
    "exact": "exactly, precisely",
}


def _reversed_alternatives(phrases: str) -> str:
    """Regex alternatives matching the comma-separated `phrases` spelt backwards."""
    alternatives = []
    for phrase in sorted(phrases.split(", "), key=len, reverse=True):
        words = [re.escape(word[::-1]) for word in reversed(phrase.split())]
        alternatives.append(r"\s+".join(words))
    return "|".join(alternatives)


# The hedge right before a number, matched on the reversed preceding text: anchored `match`
# instead of a `search` that would try every position of the context.
_HEDGE_BEFORE_REVERSED = re.compile(
    r"\s+(?:fo\s+)?(?:"
    + "|".join(f"(?P<{bound}>{_reversed_alternatives(p)})" for bound, p in _HEDGES.items())
    + r")\b",
    re.I,
)
_HEDGE_AFTER = re.compile(
    r",?\s*(?:(?P<lower>if\s+not\s+(?:more|many\s+more)|or\s+more|and\s+more|and\s+counting)"
    r"|(?P<approximate>or\s+so))\b",
    re.I,
)
_SCALE_AFTER = re.compile(r"[\s-](thousand|million|billion|trillion|dozen)\b", re.I)
_SCALE_INITIALS = frozenset("tTmMbBdD")
_SUFFIX_SCALE = {"k": 1_000, "bn": 10**9, "mn": 10**6, "m": 10**6}
_PERCENT = re.compile(r"\s?%|\s?(?:percent|per\s?cent)\b|\s(?:percentage\s+points?)\b", re.I)
_AGE = re.compile(r"[\s-](?P<unit>year|month|week)s?[\s-]old\b", re.I)
_DURATION = re.compile(
    r"[\s-](?P<unit>year|month|week|day|hour|hr|minute|min|second|decade|night|centur)"
    r"(?:s|ies|y)?\b",
    re.I,
)
_MEASURE = re.compile(
    r"""\s?(?P<unit>km|kilomet(?:re|er)s?|millimet(?:re|er)s?|centimet(?:re|er)s?|miles?
    |met(?:re|er)s?|m|cm|mm|kg|kilos?|kilograms?
    |tonnes?|tons?|litres?|liters?|gallons?|degrees?(?:\s+(?:celsius|fahrenheit))?|°\s?[CF]?
    |hectares?|acres?|square\s+(?:kilomet(?:re|er)s?|miles?|met(?:re|er)s?)|sq\s?km|mph
    |km/h|kph|feet|ft|inches|mw|gw|kwh|barrels?)(?![\w°])""",
    re.X | re.I,
)
_CURRENCY_WORDS = re.compile(
    r"\s(?P<unit>dollars?|euros?|pounds?|rubles?|roubles?|tenge|yuan|rupees?|naira|pesos?"
    r"|shillings?|francs?|cents?|hryvnias?|lira|dinars?|rand)\b",
    re.I,
)
_HYPHEN_COUNT = re.compile(r"-(strong|member|person|man|woman|seat|plus)\b", re.I)
# All of the above in one pattern, tried once after each number.
_UNIT_AFTER = re.compile(
    f"(?P<percent>{_PERCENT.pattern})"
    f"|(?P<age>{_AGE.pattern.replace('?P<unit>', '?P<age_unit>')})"
    f"|(?P<duration>{_DURATION.pattern.replace('?P<unit>', '?P<duration_unit>')})"
    f"|(?P<currency>{_CURRENCY_WORDS.pattern.replace('?P<unit>', '?P<currency_unit>')})"
    f"|(?P<measure>{_MEASURE.pattern.replace('?P<unit>', '?P<measure_unit>')})"
    f"|(?P<hyphen>{_HYPHEN_COUNT.pattern.replace('(strong', '(?P<hyphen_word>strong')})",
    re.X | re.I,
)
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
)
# "February 18", "Feb. 9", and the second day of "February 18 and 19".
_MONTH_BEFORE = re.compile(
    r"\b" + _MONTHS + r"\.?,?\s+(?:the\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s*(?:,|and|to|or|-|–)\s*)?\Z"
)
# "18 February", "5th of May", and the first day of "18 and 19 February".
_MONTH_AFTER = re.compile(
    r"(?:\s*(?:,|and|to|or|-|–)\s*\d{1,2})?\s*(?:st|nd|rd|th)?\s*(?:of\s+)?" + _MONTHS + r"\b"
)
# "January 5, " and "5 January " right before a four-digit number: it is the date's year.
_DAY_AND_MONTH_BEFORE = re.compile(
    r"(?:\b"
    + _MONTHS
    + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?"
    + _MONTHS
    + r"\.?),?\s+\Z"
)
# "four years ago", "two days later": when something happened, not how long.
_TIME_REFERENCE_AFTER = re.compile(r"\s+(?:ago|earlier|later)\b", re.I)
# A number right after one of these words names something: "Article 19", "Flight 370".
_IDENTIFIER_WORDS = words(
    """no nr number article art section chapter page room route highway flight gate platform bus
    line case resolution decree law act paragraph clause item vol volume model version unit
    building block apartment flat cell ward precinct station level grade phase round season
    episode channel lot plot box code squad battalion division brigade regiment district zone
    sector lane street avenue road floor category class type size tier step covid windows
    iphone boeing airbus"""
)
_AGE_BEFORE = re.compile(r"(?:[A-Z][\w’'-]+,\s*|[A-Z][\w’'-]+\s*\(\s*|\baged\s+)\Z")
# "He is 26", "she was 34": a bare number as a person's age.
_PERSON_IS_BEFORE = re.compile(r"\b(?:he|she|i|who)\s+(?:is|was|turned|turns)\s+\Z", re.I)
_AGE_AFTER = re.compile(r"\s*[,);]|\s*\.(?:\s|\Z)")
_ONE_EXCLUDED_AFTER = re.compile(
    r"\s*(?:of|another|by|who|that|which|day|time|point|side|hand|way|thing|else|'s|’s)\b",
    re.I,
)
_ONE_EXCLUDED_BEFORE = re.compile(
    r"\b(?:no|the|this|that|any|every|each|which|only|such|little)\s+\Z", re.I
)
_FRACTION_AFTER = re.compile(r"[\s-](?:thirds?|quarters?|halves|fifths?|tenths?)\b", re.I)
# Up to three words after a number, to find the noun it counts.
_WORDS_AFTER = re.compile(
    r"\s+([^\W\d_][\w’'-]*)(?:\s+([^\W\d_][\w’'-]*))?(?:\s+([^\W\d_][\w’'-]*))?"
)
_LETTERS_AFTER = re.compile(r"[^\W\d_]+")
_HYPHEN_PERCENT = re.compile(r"-(?:percent|per\s?cent)\b", re.I)
_SPACES_OR_HYPHENS = re.compile(r"[\s-]+")
_AND_BETWEEN = re.compile(r"\s+and\s+", re.I)
_ARTICLE_BEFORE = re.compile(r"\ba\s+\Z", re.I)
_AGED_BEFORE = re.compile(r"\baged\s+\Z", re.I)
_NEXT_WORD = re.compile(r"\s+\S+")
_TO_AT_END = re.compile(r"\b(?:to|at)\s*\Z")
_SPACES = re.compile(r"\s+")
_CURRENCY_CHARS = frozenset("$€£¥₽₸₹₦")
_CHANGE_VERB = re.compile(
    r"\b(?:grew|grown|growing|rose|risen|rising|increased|increasing|climbed|climbing|fell"
    r"|fallen|falling|dropped|dropping|declined|swelled|swollen|jumped|soared|surged"
    r"|decreased|doubled|tripled|went\s+up|went\s+down|reduced|cut|raised|reached|reaching)\b",
    re.I,
)
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|and|or)\s*\Z", re.I)
_SEQUENCE_GAP = re.compile(
    r"\s*,?\s*(?:(?:and\s+)?then|later|(?:and\s+)?(?:later|finally|eventually)"
    r"|after\s+that|before)(?:\s+(?:to|rising\s+to|reaching|reached))?\s*\Z",
    re.I,
)
_LIST_GAP = re.compile(r"\s*,\s*\Z")
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+\Z", re.I)
_FROM_BEFORE = re.compile(r"\bfrom\s+\Z", re.I)
_SKIPPED_BEFORE_NOUN = words(
    """of the them those these us more other additional further new young old local armed unarmed
    innocent peaceful civilian foreign elderly small large huge riot extra registered eligible
    full"""
)
_CONTEXT = 40  # characters of context examined on either side of a number
_LONGEST_NUMBER = 24  # characters: "1,000,000,000,000" fits; account numbers do not
_LONGEST_UNIT = 30  # a counted noun longer than this is not a word (the app stores 50)
_DURING = frozenset({"over", "under"})
_LAST_YEAR = 2100


class _Word(NamedTuple):
    """A number word found in the text ("twenty", "six"), before words are joined into numbers."""

    start: int
    end: int
    text: str


def find_quantities(
    text: str, start: int = 0, end: int | None = None, language: str = "en"
) -> list[Quantity]:
    """Return the quantities inside `text[start:end]`, in order, offsets absolute in `text`.

    `language` "ru" or "kk" reads Russian and Kazakh numbers (quantities_ru); any other code
    the English ones.

    Context outside [start, end) is not read, so a span marked by hand gets exactly the numbers
    it shows. Returns [] for a span without digits or number words.
    """
    if language in ("ru", "kk"):
        return find_quantities_ru(text, start, end)
    end = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    if start >= end:
        return []
    lowered = _plain(text[start:end])
    words: list[_Word] | None = None if any(stem in lowered for stem in _NUMBER_STEMS) else []
    has_vague = any(stem in lowered for stem in _VAGUE_STEMS)
    return _find(text, start, end, has_vague, words)


class QuantityFinder:
    """`find_quantities()` for the sentences of one text, asked in text order.

    Same results; what the whole text's tokens tell at once (which words are number words or
    hold a vague amount) lets most sentences be skipped without a regex scan, and number
    words be read from the tokens rather than by a case-insensitive regex, which is the
    slowest step of all. `extract()` needs this for speed.
    """

    def __init__(self, text: str, tokens: list[Token], lowers: list[str]):
        """`tokens`: all the text's tokens, in order; `lowers`: their lowercase words."""
        self.text = text
        # Four letters match an ASCII letter case-insensitively without lowercasing to it
        # (checked over all of Unicode): without them, lowercase words decide what the
        # case-insensitive number-word regex would find.
        self.plain_case = _UNUSUAL_CASE.search(text) is None
        if not self.plain_case:
            # Rare: the words are read as the regexes read them ("thouſand" as "thousand"),
            # from the tokens' own text, since "İ".lower() is already two characters.
            lowers = [_plain(token.text) for token in tokens]
        self.number_words = Marks(list(compress(count(), map(_NUMBER_WORDS.__contains__, lowers))))
        self.vague_words = Marks(_indexes_of_words_containing(_VAGUE_STEMS, lowers))

    def sentence(
        self,
        start: int,
        end: int,
        first: int,
        tokens: list[Token],
        lowers: list[str],
        has_digit: bool,
    ) -> list[Quantity]:
        """The quantities of the sentence `text[start:end]`, whose tokens start at index `first`
        of the text's tokens, with their lowercase words and whether it has a digit."""
        text, last = self.text, first + len(tokens)
        number_words = self.number_words.within(first, last)
        # An apostrophe may glue a number word to another ("dozen’s"): then ask the regex.
        has_apostrophe = text.find("'", start, end) >= 0 or text.find("’", start, end) >= 0
        # A vague stem ("dozen") lies in a word: it is in the lowered sentence only if it is in
        # one of the lowercase words.
        has_vague = bool(self.vague_words.within(first, last))
        if not (has_digit or number_words or has_apostrophe or has_vague):
            return []  # most sentences
        words: list[_Word] | None = []
        if (number_words or has_apostrophe) and self.plain_case:
            words = _number_words_of_tokens(text, start, end, tokens, lowers, number_words)
        elif number_words or has_apostrophe:
            words = None  # found by the regex, as find_quantities() does
        return _find(text, start, end, has_vague, words, has_digit)


_UNUSUAL_CASE = re.compile("[\u0130\u0131\u017f\u212a]")  # İ ı ſ and the Kelvin sign
# Python's case-insensitive regexes take ſ (long s, common in OCR of old print) for s, and ı and
# İ for i; str.lower() keeps ſ and ı and turns İ into two characters. Every word a regex found
# is read through _plain() before a table look-up, so that what matched is also known: a
# "thouſand" the scale regex accepts must not then be missing from the table of scales.
_PLAIN_LETTERS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def _plain(word: str) -> str:
    """`word` lowercased as the case-insensitive regexes compare it: "Thouſand" -> "thousand"."""
    # str.isascii() reads a flag of the string: the common case skips the slow translate().
    return word.lower() if word.isascii() else word.translate(_PLAIN_LETTERS).lower()


def _indexes_of_words_containing(stems: tuple[str, ...], lowers: list[str]) -> list[int]:
    """Indexes of the words that contain one of `stems`, in order.

    All words are joined with line breaks and each stem is looked for with str.find, which
    skips through text far faster than a regex; only the few places found cost Python steps.
    """
    joined = "\n".join(lowers)
    places = []
    for stem in stems:
        place = joined.find(stem)
        while place >= 0:
            places.append(place)
            place = joined.find(stem, place + 1)
    found: list[int] = []
    index = position = 0
    for place in sorted(places):
        index += joined.count("\n", position, place)  # the words passed since the last place
        position = place
        if not found or found[-1] != index:
            found.append(index)
    return found


def _number_words_of_tokens(
    text: str,
    start: int,
    end: int,
    tokens: list[Token],
    lowers: list[str],
    number_words: list[int],
) -> list[_Word]:
    """What `_NUMBER_WORD.finditer(text, start, end)` finds, read from the tokens.

    The regex finds a number word that is a whole run of word characters (\\b on both sides),
    in any case. Such a run is a token, or a part of a token between apostrophes ("dozen’s");
    `number_words` are the indexes of the tokens that are number words. Only for text without
    the unusual-case letters (see QuantityFinder).
    """
    with_apostrophe = compress(count(), map(str.__contains__, lowers, repeat("'")))
    words = []
    for index in sorted({*number_words, *with_apostrophe}):
        token = tokens[index]
        for piece_start, piece in _pieces(token):
            piece_end = piece_start + len(piece)
            if (
                piece.lower() in _NUMBER_WORDS
                and (piece_start == 0 or not _is_word_character(text[piece_start - 1]))
                and (piece_end == end or not _is_word_character(text[piece_end]))
            ):
                words.append(_Word(piece_start, piece_end, piece))
    return words


def _pieces(token: Token) -> list[tuple[int, str]]:
    """(start, text) of the parts of a token between apostrophes; the token when it has none."""
    if "'" not in token.lower:
        return [(token.start, token.text)]
    pieces = []
    position = token.start
    for piece in _APOSTROPHES.split(token.text):
        pieces.append((position, piece))
        position += len(piece) + 1
    return pieces


_APOSTROPHES = re.compile("['’]")


def _is_word_character(character: str) -> bool:
    """What the regex \\w matches (checked over all of Unicode)."""
    return character.isalnum() or character == "_"


def _find(
    text: str,
    start: int,
    end: int,
    has_vague: bool,
    words: list[_Word] | None,
    has_digit: bool | None = None,
) -> list[Quantity]:
    """Shared body of the two entry points; `words` None means "find number words by regex"."""
    if has_digit is None:
        has_digit = _HAS_DIGIT.search(text, start, end) is not None
    if words is None:
        words = [
            _Word(m.start(), m.end(), m.group()) for m in _NUMBER_WORD.finditer(text, start, end)
        ]
    if not (has_digit or words or has_vague):
        return []
    candidates = _core_numbers(text, start, end, words, has_digit, has_vague)
    for candidate in candidates:
        _attach_context(text, candidate, start, end)
    candidates = [c for c in candidates if c.kind != "time_reference"]
    _link_ranges_and_sequences(text, candidates, start)
    return [_freeze(text, c) for c in candidates]


def _core_numbers(
    text: str, start: int, end: int, words: list[_Word], has_digit: bool, has_vague: bool
) -> list[_Candidate]:
    """Find the bare numbers (digits, number words, vague amounts) without overlaps."""
    found = _vague_amounts(text, start, end) if has_vague else []
    if has_digit:
        skipped = [(m.start(), m.end()) for m in _SKIP.finditer(text, start, end)]
        found += _digit_numbers(text, start, end, skipped)
    if words:
        found += _word_numbers(text, start, end, words)
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[_Candidate] = []
    for candidate in found:
        if kept and candidate.start < kept[-1].end:
            continue  # inside a longer number already kept ("hundreds of thousands")
        kept.append(candidate)
    return kept


def _vague_amounts(text: str, start: int, end: int) -> list[_Candidate]:
    """ "dozens", "hundreds of thousands", "several hundred", "a dozen", "half a million"."""
    found = []
    for match in _VAGUE.finditer(text, start, end):
        groups = match.groupdict()
        value: float
        if groups["many"]:
            value = _VAGUE_VALUES[_plain(groups["many"])] * _VAGUE_VALUES[_plain(groups["of"])]
            bound = "lower"
        elif groups["some"]:
            value, bound = _VAGUE_VALUES[_plain(groups["some"])], "lower"
        elif groups["plural"]:
            value, bound = _VAGUE_VALUES[_plain(groups["plural"])], "lower"
        elif groups["halved"]:
            value, bound = _VAGUE_VALUES[_plain(groups["halved"])] / 2, "approximate"
        else:
            value, bound = 12, "approximate"
        candidate = _Candidate(match.start(), match.end(), value, bound=bound, approximate=True)
        if bound == "lower":
            candidate.low = value
        found.append(candidate)
    return found


def _digit_numbers(
    text: str, start: int, end: int, skipped: list[tuple[int, int]]
) -> list[_Candidate]:
    """Numbers written in digits, with a currency sign before them when present."""
    found = []
    for match in _DIGITS.finditer(text, start, end):
        number_start, number_end = match.span()
        if skipped and any(s < number_end and number_start < e for s, e in skipped):
            continue
        digits = match.group()
        if len(digits) > _LONGEST_NUMBER:
            continue  # a run of digits this long is an identifier, not an amount
        # Most numbers are plain digits; only grouped ones need the separators removed.
        value = float(digits if digits.isdigit() else digits.translate(_GROUP_SEPARATORS))
        candidate = _Candidate(number_start, number_end, value, is_digits=True)
        prefix = text[max(start, number_start - 4) : number_start]
        currency = None if _CURRENCY_CHARS.isdisjoint(prefix) else _CURRENCY_BEFORE.search(prefix)
        if currency:
            candidate.kind = "money"
            candidate.unit = _CURRENCY_SYMBOLS[currency.group(1)]
            candidate.start = number_start - len(prefix) + currency.start()
        if not _is_identifier_or_date(text, candidate, digits, start, end):
            found.append(candidate)
    return found


def _is_identifier_or_date(
    text: str, candidate: _Candidate, digits: str, start: int, end: int
) -> bool:
    """True for digits that name or date something: "AK-47", "Article 19", "5 January"."""
    before = text[max(start, candidate.start - _CONTEXT) : candidate.start]
    after = text[candidate.end : min(end, candidate.end + _CONTEXT)]
    if _is_glued_to_letters(before, after, candidate):
        return True
    if _last_word(before) in _IDENTIFIER_WORDS:
        return True
    if before[-1:] == " " and before[-2:-1].isdigit():
        return True  # a group of a phone or account number: "0800 123 456"
    if digits[0] == "0" and digits[1:2].isdigit():
        return True  # a leading zero makes a code, not an amount: "0800", "007"
    small = candidate.value <= 31 and "." not in digits
    if small and (_MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after)):
        return True
    return _looks_like_year(candidate, digits, before, after)


def _is_glued_to_letters(before: str, after: str, candidate: _Candidate) -> bool:
    """ "G7", "AK-47", "#5", "12-gauge", "1990s": digits that are part of a name or code."""
    if before[-1:].isalpha() or before[-1:] in ("#", "№"):
        return True
    if before[-1:] in ("-", "‑") and before[-2:-1].isalpha():
        return True
    if after[:1].isalpha() and not _has_unit_suffix(candidate, after):
        return True
    return after[:1] in ("-", "‑") and after[1:2].isalpha() and not _allowed_hyphen_word(after)


def _last_word(before: str) -> str:
    """The word just before a number, lowercased, without "." "#" "№": "Art." -> "art"."""
    words = before[-20:].split()
    return words[-1].strip(".#№").lower() if words else ""


def _has_unit_suffix(candidate: _Candidate, after: str) -> bool:
    """Accept letters glued to digits only for units and scales: "20k", "15km", "$3bn"."""
    letters = _LETTERS_AFTER.match(after)  # after[0] is a letter, so this always matches
    suffix = letters.group().lower() if letters else ""
    if suffix in ("k", "bn", "mn") or (suffix == "m" and candidate.kind == "money"):
        candidate.value *= _SUFFIX_SCALE[suffix]
        candidate.end += len(suffix)
        return True
    return bool(_MEASURE.match(after))


def _allowed_hyphen_word(after: str) -> bool:
    """Hyphen compounds that are quantities: ages, durations, sizes ("500-strong")."""
    return bool(
        _AGE.match(after)
        or _DURATION.match(after)
        or _HYPHEN_COUNT.match(after)
        or _MEASURE.match(after[1:])
        or _SCALE_AFTER.match(after)
        or _HYPHEN_PERCENT.match(after)
    )


def _looks_like_year(candidate: _Candidate, digits: str, before: str, after: str) -> bool:
    """A bare four-digit number from 1000 to 2100 is a year unless it counts something."""
    if not (digits.isdigit() and len(digits) == 4 and 1000 <= candidate.value <= _LAST_YEAR):
        return False
    if _DAY_AND_MONTH_BEFORE.search(before):
        return True  # "January 5, 2022 police ...": the year of a date, whatever follows
    if candidate.kind == "money" or _HEDGE_BEFORE_REVERSED.match(before[::-1]):
        return False
    if _PERCENT.match(after) or _MEASURE.match(after) or _SCALE_AFTER.match(after):
        return False
    return not _counted_noun(after, candidate.value)


def _word_numbers(text: str, start: int, end: int, words: list[_Word]) -> list[_Candidate]:
    """Numbers in words ("twenty-six", "one hundred and fifty", "a thousand"), via text2num."""
    found = []
    index = 0
    while index < len(words):
        group = [words[index]]
        while index + 1 < len(words) and _joins(text, group[-1], words[index + 1]):
            index += 1
            group.append(words[index])
        index += 1
        found.extend(_value_word_group(text, group, start, end))
    return found


def _joins(text: str, left: _Word, right: _Word) -> bool:
    """Two number words belong to one number: "twenty-six", "hundred and five"."""
    gap = text[left.end : right.start]
    if _SPACES_OR_HYPHENS.fullmatch(gap):
        return True
    return _plain(left.text) in _SCALE_WORDS and bool(_AND_BETWEEN.fullmatch(gap))


def _value_word_group(text: str, group: list[_Word], start: int, end: int) -> list[_Candidate]:
    """Value one run of number words; split it into single words if text2num refuses it."""
    group_start, group_end = group[0].start, group[-1].end
    phrase = _plain(text[group_start:group_end]).replace("-", " ")
    before = text[max(start, group_start - _CONTEXT) : group_start]
    after = text[group_end : min(end, group_end + _CONTEXT)]
    if _plain(group[0].text) in _SCALE_WORDS:
        article = _ARTICLE_BEFORE.search(before)
        if not article:
            return []  # "hundred" alone is not a number; "a hundred" is
        group_start -= len(article.group())
        phrase = "one " + phrase
    value = _text2num(phrase)
    if value is None:
        if len(group) == 1:
            return []
        return [c for word in group for c in _value_word_group(text, [word], start, end)]
    if _is_excluded_word_number(phrase, before, after):
        return []
    return [_Candidate(group_start, group_end, float(value))]


def _text2num(phrase: str) -> int | None:
    """Value of a number phrase in English words, or None when it is not one number."""
    phrase = _AND_BETWEEN.sub(" ", phrase)
    phrase = _SPACES.sub(" ", phrase).strip()
    try:
        return text2num(phrase, "en")
    except ValueError:
        return None


def _is_excluded_word_number(phrase: str, before: str, after: str) -> bool:
    """ "one of the", "no one", "the one who", "two thirds", "one-sided": not quantities."""
    if after[:1] == "-" and after[1:2].isalpha() and not _allowed_hyphen_word(after):
        return True
    if _FRACTION_AFTER.match(after):
        return True
    if phrase == "one":
        return bool(_ONE_EXCLUDED_AFTER.match(after) or _ONE_EXCLUDED_BEFORE.search(before))
    return False


def _attach_context(text: str, candidate: _Candidate, start: int, end: int) -> None:
    """Extend a bare number with its scale, unit and hedges (in place)."""
    _attach_scale(text, candidate, end)
    _attach_unit(text, candidate, start, end)
    _attach_hedges(text, candidate, start, end)


def _attach_scale(text: str, candidate: _Candidate, end: int) -> None:
    """ "1.5 million", "20 thousand", "two dozen": multiply and widen."""
    # The pattern needs a space or hyphen, then one of the scale words' initials (none of
    # which has a case-insensitive look-alike): most numbers are ruled out without the regex.
    following = text[candidate.end : candidate.end + 2]
    if following[1:] not in _SCALE_INITIALS or not (
        following[:1].isspace() or following[:1] == "-"
    ):
        return
    match = _SCALE_AFTER.match(text, candidate.end, end)
    if match:
        word = _plain(match.group(1))
        candidate.value *= 12 if word == "dozen" else _SCALE_WORDS[word]
        candidate.end = match.end()


def _attach_unit(text: str, candidate: _Candidate, start: int, end: int) -> None:
    """Read what follows the number: percent, age, duration, measure, currency, counted noun."""
    match = _UNIT_AFTER.match(text, candidate.end, end)
    if match:
        _apply_unit(text, candidate, match, end)
    if candidate.kind == "count":
        after = text[candidate.end : min(end, candidate.end + _CONTEXT)]
        candidate.unit = _counted_noun(after, candidate.value)
        if not candidate.unit and _is_age_apposition(text, candidate, start, end):
            candidate.kind, candidate.unit = "age", "years"


def _apply_unit(text: str, candidate: _Candidate, match: re.Match[str], end: int) -> None:
    """Take the unit `_UNIT_AFTER` found right after the number."""
    # The alternatives are named groups (percent, age, duration, currency, measure, hyphen),
    # each around its inner groups: the one that matched closes last, so it is the lastgroup.
    kind = match.lastgroup
    if kind == "measure" and candidate.kind == "money":
        return  # "$5 m" is five million dollars, not five metres
    if kind == "duration" and _TIME_REFERENCE_AFTER.match(text, match.end(), end):
        candidate.kind = "time_reference"  # "four years ago" says when, not how long
        return
    if kind:
        candidate.end = match.end()
    if kind == "percent":
        candidate.kind, candidate.unit = "percent", "percent"
    elif kind == "age":
        candidate.kind, candidate.unit = "age", _plural(match["age_unit"])
    elif kind == "duration":
        candidate.kind, candidate.unit = "duration", _duration_unit(match["duration_unit"])
    elif kind == "currency":
        candidate.kind, candidate.unit = "money", _plain(match["currency_unit"])
    elif kind == "measure":
        candidate.kind, candidate.unit = "measure", _plain(match["measure_unit"])
    elif kind == "hyphen" and _plain(match["hyphen_word"]) == "plus":
        candidate.bound, candidate.low = "lower", candidate.value


def _is_age_apposition(text: str, candidate: _Candidate, start: int, end: int) -> bool:
    """ "Alfred Ononugbo, 55, said" / "Ms Lee (34)" / "aged 40": a bare age after a name."""
    if not (candidate.is_digits or candidate.value < 100) or candidate.value > 120:
        return False
    if candidate.value != int(candidate.value):
        return False
    before = text[max(start, candidate.start - _CONTEXT) : candidate.start]
    if _AGED_BEFORE.search(before) or _PERSON_IS_BEFORE.search(before):
        return True
    return bool(_AGE_BEFORE.search(before) and _AGE_AFTER.match(text, candidate.end, end))


def _attach_hedges(text: str, candidate: _Candidate, start: int, end: int) -> None:
    """Widen to a hedge before ("around") and read one after (", if not more")."""
    before = text[max(start, candidate.start - _CONTEXT) : candidate.start]
    # The reversed pattern starts with whitespace: without a space before the number, no hedge.
    match = _HEDGE_BEFORE_REVERSED.match(before[::-1]) if before[-1:].isspace() else None
    if match and candidate.kind == "duration" and _plain(match.group()[::-1].split()[0]) in _DURING:
        match = None  # "over two years" is a period, not "more than two years"
    if match:
        bound = match.lastgroup  # the named group of the hedge's bound, one per alternative
        candidate.start -= match.end()
        _set_bound(candidate, bound)
    noun_end = candidate.end
    if candidate.unit and candidate.kind == "count":
        noun = _NEXT_WORD.match(text, candidate.end, end)
        noun_end = noun.end() if noun else noun_end
    # The second look, after the counted noun, is the first one again when there is no noun.
    positions = (candidate.end,) if noun_end == candidate.end else (candidate.end, noun_end)
    for position in positions:
        after = _HEDGE_AFTER.match(text, position, end)
        if after:
            if after.lastgroup == "lower" and candidate.bound == "approximate":
                candidate.bound, candidate.low = "lower", candidate.value
            else:
                _set_bound(candidate, after.lastgroup)
            break


def _set_bound(candidate: _Candidate, bound: str | None) -> None:
    """Record a hedge: approximate, lower or upper bound, or an explicit exact figure."""
    assert bound is not None, "every hedge alternative is a named group"
    if bound == "exact":
        candidate.bound, candidate.approximate = "exact", False
        return
    candidate.bound = bound
    if bound == "approximate":
        candidate.approximate = True
    elif bound == "lower":
        candidate.low = candidate.value
    else:
        candidate.high = candidate.value


def _counted_noun(after: str, value: float) -> str:
    """The noun a count counts, from the words after it: "people", "protesters", "arrests".

    Skips "of", articles and common adjectives ("20 injured protesters"); a singular noun only
    counts for one ("one protester").
    """
    match = _WORDS_AFTER.match(after)
    if not match:
        return ""
    for word in match.groups():
        if word is None:
            return ""
        word = _plain(word).replace("’", "'")
        if word in _SKIPPED_BEFORE_NOUN or (
            word.endswith(("ed", "ing")) and word not in NOT_PLURAL
        ):
            continue
        if len(word) > _LONGEST_UNIT:
            return ""
        if _is_plural_noun(word) or (value == 1 and word not in STOPWORDS and word.isalpha()):
            return word
        return ""
    return ""


def _is_plural_noun(word: str) -> bool:
    """True for "people", "protesters", "arrests"; false for "was", "news", "bus"."""
    if word in IRREGULAR_PLURALS:
        return True
    if word in NOT_PLURAL or word in STOPWORDS or not word.isalpha():
        return False
    return word.endswith("s") and not word.endswith(("ss", "us", "is", "ous", "'s"))


def _plural(unit: str) -> str:
    """ "year" -> "years"."""
    return _plain(unit) + "s"


def _duration_unit(unit: str) -> str:
    """Plural unit of a duration: "hr" -> "hours", "day" -> "days"."""
    unit = _plain(unit)
    return {"hr": "hours", "min": "minutes", "centur": "centuries"}.get(unit, unit + "s")


def _link_ranges_and_sequences(text: str, candidates: list[_Candidate], start: int) -> None:
    """Mark ranges ("100 to 300", "one or two") and sequences ("200, then 300") in place.

    `start` is where the span begins: context before it is not read.
    """
    if len(candidates) < 2:
        return  # nothing to link
    links = [_link(text, a, b, start) for a, b in pairwise(candidates)]
    group = [0]
    for index, link in enumerate(links):
        if link:
            group.append(index + 1)
            continue
        _mark_group(candidates, group, links)
        group = [index + 1]
    if candidates:
        _mark_group(candidates, group, links)


def _link(text: str, left: _Candidate, right: _Candidate, start: int) -> str:
    """How two neighbouring quantities relate: "range", "sequence", "list" or ""."""
    gap = text[left.end : right.start]
    if len(gap) > 60:
        return ""
    before_left = text[max(start, left.start - _CONTEXT) : left.start]
    if _SEQUENCE_GAP.fullmatch(gap):
        return "sequence"
    if _RANGE_GAP.fullmatch(gap):
        word = gap.strip().lower()
        if word == "and" and not _BETWEEN_BEFORE.search(before_left):
            return ""
        if word == "to" and _CHANGE_VERB.search(before_left[-30:]):
            return "sequence"
        if word == "to" and _FROM_BEFORE.search(before_left) and _CHANGE_VERB.search(before_left):
            return "sequence"
        return "range"
    if len(gap) < 50 and _TO_AT_END.search(gap) and _CHANGE_VERB.search(gap):
        return "sequence"
    if _LIST_GAP.fullmatch(gap):
        return "list"
    return ""


def _mark_group(candidates: list[_Candidate], indexes: list[int], links: list[str]) -> None:
    """Give the members of one linked group their role, range bounds and a shared unit."""
    if len(indexes) < 2:
        return
    members = [candidates[i] for i in indexes]
    kinds = {links[i] for i in indexes[:-1]}
    if "sequence" in kinds:
        role = "sequence_step"
    elif "range" in kinds and len(members) == 2:
        role = "range_end"
    else:
        return
    unit = next((m.unit for m in members if m.unit), "")
    for member in members:
        member.unit = member.unit or unit
        member.kind = role
    if role == "range_end":
        low, high = sorted((members[0].value, members[1].value))
        for member in members:
            member.low, member.high = low, high


def _freeze(text: str, candidate: _Candidate) -> Quantity:
    """Turn a finished candidate into the public, immutable Quantity."""
    # As for engine.Sentence: the instance dict is filled directly, which skips the frozen
    # dataclass's ten object.__setattr__ calls and gives an equal object.
    quantity = _new_object(Quantity)
    fields = quantity.__dict__
    fields["start"] = candidate.start
    fields["end"] = candidate.end
    fields["text"] = text[candidate.start : candidate.end]
    fields["value"] = _plain_number(candidate.value)
    fields["low"] = None if candidate.low is None else _plain_number(candidate.low)
    fields["high"] = None if candidate.high is None else _plain_number(candidate.high)
    fields["unit"] = candidate.unit
    fields["approximate"] = candidate.approximate
    fields["bound"] = candidate.bound
    fields["kind"] = candidate.kind
    return quantity


_new_object = object.__new__


def _plain_number(value: float) -> int | float:
    """20000.0 -> 20000; 1.5 stays 1.5."""
    return int(value) if float(value).is_integer() else value
