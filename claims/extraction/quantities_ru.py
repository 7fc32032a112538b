"""Numbers in Russian (and Kazakh Cyrillic) text, read into the same `Quantity` as English.

`find_quantities_ru(text, start, end)` follows the English conventions of quantities.py: the
span holds the hedge word and the unit ("около двадцати тысяч", "26-летний", "три дня"), not the
counted noun, which is reported as `unit`; `bound` is "exact", "approximate", "lower" or
"upper"; vague amounts ("сотни", "десятки тысяч") are lower bounds and approximate; each end
of a range ("от 100 до 200", "100–200") is a quantity of kind "range_end", and a scale word
on the second end alone is the first end's too ("от полутора до двух тысяч" is 1500 to 2000).

Number words are read from a hand-written table of every case and gender form, not with a
morphology library: Russian numerals are a closed class of some thirty stems, the table is a
dict look-up per word (pymorphy3 would add a 10 MB dictionary and cost several microseconds
per word, most of them for words that are not numbers at all).

"Полтора десятка" is 15, "полсотни" 50, "две сотни" 200; a fraction written with a slash
("2/3") is a share. Multiples ("дважды", "втрое") are counts; "четверть", "треть" and
"половина" are fractions (0.25, 0.33 and 0.5, as the gold texts write them); a unit of time
standing alone is one of it when a hedge, a word like "уже" or "целый", or a verb comes before
it ("уже месяц", "держали неделю").

Not quantities: dates ("5 января", "5-го января", "05.01.2022", and the first day of "6 и 7
января", "с 7 на 8 января", "5–7 января"), years ("в 2022 году"), clock times ("17:00", "в 7
утра"), ordinals ("5-й", "на третью ночь"), identifiers ("№ 5", "статья 19"), names with a number
("ТЭЦ-2", "Covid-19", "на автобусе 32"), telephone numbers ("по телефону 109"), "семью" as
the family ("на семью") rather than "with seven" ("с семью детьми"), a lone
"один"/"одна" (it mostly means "a certain" or "one of"), a half of a day or a month ("во второй
половине дня"), and a unit of time that names a rate or a moment ("в месяц", "через неделю",
"месяц назад").
"""

import itertools
import re
from dataclasses import dataclass
from typing import NamedTuple

from .quantity import Quantity

# A number with space or dot thousands separators, a decimal with a comma or dot, a word
# (letters with inner hyphens), or one other visible character.
_TOKEN = re.compile(
    r"""(?P<number>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])
      | \d{1,3}(?:\.\d{3})+(?![\d.,]?\d)
      | \d+(?:[.,]\d+)?)
    | (?P<word>[^\W\d_]+)
    | (?P<other>\S)""",
    re.X,
)
_DIGIT = re.compile(r"\d")
_LETTERS = re.compile(r"[^\W\d_]+")


class _Token(NamedTuple):
    start: int
    end: int
    text: str
    lower: str
    kind: str  # "number", "word" or "other"


def _forms(spec: str) -> dict[str, float]:
    """`value:form form ...; value:form ...` -> {form: value}."""
    table: dict[str, float] = {}
    for group in spec.split(";"):
        value, forms = group.split(":")
        for form in forms.split():
            table[form] = float(value)
    return table


def _soft(stem_values: str) -> str:
    """Numerals declined like "пять": пять, пяти, пятью (nominative/accusative, oblique, instr.)."""
    groups = []
    for pair in stem_values.split():
        value, word = pair.split("=")
        stem = word[:-1]
        groups.append(f"{value}:{word} {stem}и {stem}ью")
    return ";".join(groups)


# Units and tens: every case form. "один" and its forms are listed apart (see module doc).
_UNITS = _forms(
    "2:два две двух двум двумя;3:три трёх трех трём трем тремя;"
    "4:четыре четырёх четырех четырём четырем четырьмя;8:восьми восемью восьмью;"
    "40:сорок сорока;90:девяносто девяноста;100:сто ста;1.5:полтора полторы полутора;"
    "50:пятьдесят пятидесяти пятьюдесятью;60:шестьдесят шестидесяти шестьюдесятью;"
    "70:семьдесят семидесяти семьюдесятью;80:восемьдесят восьмидесяти восемьюдесятью;"
    "12:дюжина дюжину дюжины;50:полсотни полсотне полсотней;500:полтысячи"
)
_UNITS |= _forms(
    _soft(
        "5=пять 6=шесть 7=семь 8=восемь 9=девять 10=десять 11=одиннадцать 12=двенадцать "
        "13=тринадцать 14=четырнадцать 15=пятнадцать 16=шестнадцать 17=семнадцать "
        "18=восемнадцать 19=девятнадцать 20=двадцать 30=тридцать"
    )
)
_HUNDREDS = {}
for _value, _nominative, _stems in (
    (200, "двести", ("двухс", "двумс", "двумяс")),
    (300, "триста", ("трёхс", "трехс", "тремс", "тремяс")),
    (400, "четыреста", ("четырёхс", "четырехс", "четырёмс", "четыремс", "четырьмяс")),
):
    _HUNDREDS[_nominative] = float(_value)
    for _stem in _stems:
        for _ending in ("от", "там", "тами", "тах"):
            _HUNDREDS[_stem + _ending] = float(_value)
for _value, _stem, _instrumental in (
    (500, "пят", "пятью"),
    (600, "шест", "шестью"),
    (700, "сем", "семью"),
    (800, "восем", "восемью"),
    (900, "девят", "девятью"),
):
    _HUNDREDS[_stem + "ьсот"] = float(_value)
    for _oblique in (_stem.replace("восем", "восьм") + "исот", _stem + "исот"):
        _HUNDREDS[_oblique] = float(_value)
        _HUNDREDS[_oblique[:-2] + "стам"] = float(_value)
        _HUNDREDS[_oblique[:-2] + "стах"] = float(_value)
    _HUNDREDS[_instrumental + "стами"] = float(_value)
_UNITS |= _HUNDREDS
_ONE = frozenset(["один", "одна", "одно", "одного", "одной", "одному", "одним", "одном", "одну"])
# Collective numerals: "двое задержанных", "пятерых".
_UNITS |= _forms(
    "2:двое двоих двоим двоими;3:трое троих троим троими;4:четверо четверых четверым;"
    "5:пятеро пятерых пятерым;6:шестеро шестерых;7:семеро семерых;8:восьмеро восьмерых;"
    "9:девятеро девятерых;10:десятеро десятерых"
)
# Kazakh number words, in their plain form, for the digits' company ("жүз адам").
_UNITS |= _forms(
    "2:екі;3:үш;4:төрт;5:бес;6:алты;7:жеті;8:сегіз;9:тоғыз;10:он;20:жиырма;30:отыз;"
    "40:қырық;50:елу;100:жүз"
)
del _UNITS["он"]  # "он" is also Russian for "he"

_SCALES = _forms(
    "1000:тысяча тысячи тысяч тысячу тысячей тысячью тысячам тысячами тысячах тыс мың;"
    "1000000:миллион миллиона миллионов миллиону миллионом миллионы миллионам миллионами "
    "миллионах млн;"
    "1000000000:миллиард миллиарда миллиардов миллиардом миллиарды миллиардами млрд;"
    # "полтора десятка" is 15, "две сотни" 200; alone, "десяток" is ten and "сотня" a hundred.
    "10:десяток десятка десятком десятке;100:сотня сотню сотней сотне сотни"
)
# Plural scale words on their own are vague amounts: "сотни", "тысячи людей".
_VAGUE = _forms(
    "10:десятки десятков десяткам десятками десятках;"
    "100:сотни сотен сотням сотнями сотнях;"
    "1000:тысячи тысяч тысячами тысячах;1000000:миллионы миллионов миллионами"
)
_SOME = frozenset(["несколько", "нескольких", "нескольким", "несколькими"])

# A unit of time after a hedge is one of it: "больше года", "почти месяц".
_SINGLE_UNITS = frozenset(
    [
        *("года", "год", "месяца", "месяц", "недели", "неделю", "суток"),
        *("часа", "час", "дня", "день", "минуты", "минуту"),
    ]
)
# Multiples: "дважды вызывали" is a count of two.
_MULTIPLES = _forms("2:дважды вдвое;3:трижды втрое;4:четырежды вчетверо;5:впятеро;10:вдесятеро")
# Fractions, by the gold texts' convention ("треть" is 0.33). "третью" is left out: it is far
# more often the ordinal ("на третью ночь") than the fraction's instrumental.
_FRACTIONS = _forms(
    "0.25:четверть четверти четвертью;0.33:треть трети;"
    "0.5:половина половину половины половине половиной"
)
# "во второй половине дня": a part of a day or a month, not a share of anything counted.
_ORDINAL_HALVES = frozenset(["первой", "второй", "первую", "вторую", "первая", "вторая"])
# A unit of time on its own, in the form it takes as a length of time ("ждали неделю").
_BARE_UNITS = frozenset(["неделю", "месяц", "год", "сутки", "час", "минуту"])
# Of those, the forms that can only be accusative: a length of time wherever they stand,
# unless a preposition or a determiner comes right before them.
_ACCUSATIVE_UNITS = frozenset(["неделю", "минуту", "сутки"])
_NOT_A_LENGTH_BEFORE = frozenset(
    [
        *("в", "во", "на", "через", "за", "по", "под", "к", "с", "со", "о", "об", "при"),
        *("каждую", "каждый", "каждые", "эту", "этот", "эти", "ту", "тот", "те"),
        *("прошлую", "прошлый", "следующую", "следующий", "ближайшую", "ближайший"),
        *("одну", "один", "какую", "какой", "любую", "любой"),
    ]
)
# An adjective before the unit names which one it is ("первую неделю"), unless it is a cue.
_ADJECTIVE_ENDINGS = ("ую", "юю", "ый", "ий", "ой")
# Words before such a unit that make it a length of time: "уже месяц", "целый год".
_DURATION_CUES = frozenset(
    [
        *("уже", "ещё", "еще", "всего", "лишь", "только", "весь", "всю"),
        *("целый", "целую", "целые", "целых"),
    ]
)
# Verbs in the past or present tense end so; a unit of time right after one is its length.
_VERB_ENDINGS = (
    *("л", "ла", "ло", "ли", "лся", "лась", "лось", "лись"),
    *("ют", "ут", "ят", "ат", "ет", "ит", "ются", "ятся", "ется", "ится"),
)
_NOT_VERBS = frozenset(["если", "земли", "цели", "нет", "ответ", "бюджет", "совет", "свет"])
# After the unit: a moment ("месяц назад", "неделю спустя"), not a length.
_MOMENT_AFTER = frozenset(["назад", "спустя", "тому"])
# Every word that can start a number: what a sentence without digits must hold to be read.
_NUMBER_WORDS = frozenset(_UNITS) | frozenset(_SCALES) | frozenset(_VAGUE) | _SOME | _ONE
_ONE_WORD_NUMBERS = _SINGLE_UNITS | frozenset(_MULTIPLES) | frozenset(_FRACTIONS) | _BARE_UNITS
_NUMBER_WORDS |= _ONE_WORD_NUMBERS

_MONTHS = frozenset(
    [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
        "январе",
        "феврале",
        "марте",
        "апреле",
        "мае",
        "июне",
        "июле",
        "августе",
        "сентябре",
        "октябре",
        "ноябре",
        "декабре",
    ]
)
_KAZAKH_MONTH_STEMS = [
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
]
_YEAR_WORDS = ("год", "г", "гг", "жыл")
_DAY_PARTS = frozenset(["утра", "вечера", "ночи", "дня"])
_ORDINAL_ENDINGS = frozenset(
    [
        "й",
        "го",
        "я",
        "е",
        "м",
        "ю",
        "ой",
        "ом",
        "ая",
        "ый",
        "ий",
        "ое",
        "ые",
        "х",
        "ти",
        "ым",
        "ых",
        "его",
        "ему",
        "ому",
        "им",
        "ми",
        "му",
    ]
)
# Words after which a number names something ("статья 19", "№ 5", "школа 12"): exact short
# ones, and stems for the words that decline.
_IDENTIFIER_BEFORE = frozenset(["№", "ст", "п", "д", "кв", "корп"])
_IDENTIFIER_STEMS = ("стать", "пункт", "номер", "маршрут", "корпус", "школ", "дом", "квартир")
# A telephone number: every group of digits after the word is part of it ("тел. 8 727 123-45").
_TELEPHONE_STEMS = ("телефон", "тел")
_TELEPHONE_GLUE = frozenset("-()+.")
# Vehicles and routes: the number right after one names it ("на автобусе 32") unless a counted
# noun follows ("в автобусе 43 пассажира").
_VEHICLE_STEMS = ("автобус", "троллейбус", "трамва", "маршрутк", "рейс", "поезд", "электричк")

# Hedges written before the number, longest first; the value is the bound they give.
_HEDGES_BEFORE = (
    (("по", "меньшей", "мере"), "lower"),
    (("по", "крайней", "мере"), "lower"),
    (("как", "минимум"), "lower"),
    (("не", "менее"), "lower"),
    (("не", "меньше"), "lower"),
    (("более", "чем"), "lower"),
    (("не", "более"), "upper"),
    (("не", "больше"), "upper"),
    (("чуть", "ли", "не"), "approximate"),
    (("около",), "approximate"),
    (("порядка",), "approximate"),
    (("почти",), "approximate"),
    (("примерно",), "approximate"),
    (("приблизительно",), "approximate"),
    (("где-то",), "approximate"),
    (("более",), "lower"),
    (("больше",), "lower"),
    (("свыше",), "lower"),
    (("минимум",), "lower"),
    (("менее",), "upper"),
    (("меньше",), "upper"),
    (("максимум",), "upper"),
    (("до",), "upper"),
    (("шамамен",), "approximate"),
)
_HEDGES_AFTER = (
    (("с", "лишним"), "lower"),
    (("с", "небольшим"), "lower"),
    (("если", "не", "больше"), "lower"),
    (("и", "более"), "lower"),
    (("или", "больше"), "lower"),
    (("астам",), "lower"),
)
# The last word of each hedge before a number, the first of each after: quick refusals.
_HEDGE_ENDINGS = frozenset(words[-1] for words, _ in _HEDGES_BEFORE)
_HEDGE_OPENINGS = frozenset(words[0] for words, _ in _HEDGES_AFTER)
_CASE_SUFFIXES = frozenset(["ден", "дан", "тен", "тан", "нен", "нан"])
_RANGE_DASHES = frozenset("-–—")

# Units written after the number, by the first letters of the word: (stem, kind).
_UNIT_STEMS = (
    ("процент", "percent"),
    ("день", "duration"),
    ("дня", "duration"),
    ("дней", "duration"),
    ("сут", "duration"),
    ("час", "duration"),
    ("минут", "duration"),
    ("секунд", "duration"),
    ("недел", "duration"),
    ("месяц", "duration"),
    ("лет", "duration"),
    ("года", "duration"),
    ("год", "duration"),
    ("тенге", "money"),
    ("рубл", "money"),
    ("доллар", "money"),
    ("евро", "money"),
    ("километр", "measure"),
    ("км", "measure"),
    ("метр", "measure"),
    ("күн", "duration"),
    ("сағат", "duration"),
)
_AGE_BEFORE = frozenset(["возрасте", "возраст", "ему", "ей", "мне", "исполнилось"])


@dataclass(slots=True)
class _Found:
    """A quantity being built, in token indexes first and offsets at the end."""

    first: int  # token index of the first number token
    last: int  # token index of the last token of the number (scale words included)
    value: float
    kind: str = "count"
    bound: str = "exact"
    approximate: bool = False
    span_first: int = -1  # first token of the span (a hedge may start it)
    span_last: int = -1  # last token of the span (a unit may end it)
    is_vague: bool = False
    low: float | None = None
    high: float | None = None


def find_quantities_ru(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Return the quantities inside `text[start:end]` in order, offsets absolute in `text`.

    Works for Russian and for Kazakh written in Cyrillic (digits and the commonest Kazakh
    number words). Returns [] quickly for a span with no digit and no numeral stem.
    """
    end = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    if start >= end:
        return []
    # Most sentences hold no number at all: one set look-up per word rules them out.
    if _DIGIT.search(text, start, end) is None and _NUMBER_WORDS.isdisjoint(
        _LETTERS.findall(text[start:end].lower())
    ):
        return []
    tokens = [
        _Token(m.start(), m.end(), m.group(), m.group().lower(), m.lastgroup or "other")
        for m in _TOKEN.finditer(text, start, end)
    ]
    found: list[_Found] = []
    index = 0
    while index < len(tokens):
        quantity = _number_at(text, tokens, index)
        if quantity is None:
            index += 1
            continue
        found.append(quantity)
        index = quantity.last + 1
    kept = [q for q in found if _is_quantity(text, tokens, q)]
    for quantity in kept:
        _read_context(text, tokens, quantity)
    _join_ranges(text, tokens, kept)
    return [_public(text, tokens, q) for q in kept]


def _number_at(text: str, tokens: list[_Token], index: int) -> _Found | None:
    """The number (digits or words, with a scale word) that starts at token `index`, if any."""
    token = tokens[index]
    if token.kind == "number":
        return _digits_at(tokens, index)
    lower = token.lower
    if lower in _ONE_WORD_NUMBERS:
        single = _single_word_at(tokens, index)
        if single is not None:
            return single
    if lower in _SOME and index + 1 < len(tokens) and tokens[index + 1].lower in _VAGUE:
        value = _VAGUE[tokens[index + 1].lower]
        return _Found(index, index + 1, value, is_vague=True)
    if lower in _VAGUE and lower != "тысяч":
        value = _VAGUE[lower]
        last = index
        following = tokens[index + 1].lower if index + 1 < len(tokens) else ""
        if following in _VAGUE or following in _SCALES:
            value *= _VAGUE.get(following) or _SCALES[following]
            last = index + 1
        return _Found(index, last, value, is_vague=True)
    if lower == "семью" and not _is_counted_after_seven(tokens, index):
        return None  # "на семью", "всю его семью": the family, not "with seven"
    if lower in _UNITS or lower in _SCALES or lower in _ONE:
        return _words_at(tokens, index)
    return None


def _digits_at(tokens: list[_Token], index: int) -> _Found:
    """Digits with a scale word ("20 тыс.") or a slash fraction ("2/3") at token `index`."""
    token = tokens[index]
    if _is_written_fraction(tokens, index):
        # "2/3 жителей": a share, rounded as "треть" is.
        share = _digits_value(token.text) / (_digits_value(tokens[index + 2].text) or 1)
        return _Found(index, index + 2, round(share, 2), kind="fraction")
    value = _digits_value(token.text)
    last = index
    scale = _scale_after(tokens, index)
    if scale:
        value *= scale
        last = index + 1
        if _is_abbreviation_stop(tokens, last):
            last += 1  # "20 тыс. тенге": the full stop belongs to the number
    return _Found(index, last, value, is_vague=False)


def _is_counted_after_seven(tokens: list[_Token], index: int) -> bool:
    """True when "семью" is the numeral: a plural instrumental or a scale word follows it
    ("с семью детьми", "семью тысячами")."""
    following = _next_word(tokens, index + 1)
    return following.endswith(("ами", "ями", "ьми")) or following in _SCALES


def _is_written_fraction(tokens: list[_Token], index: int) -> bool:
    """True for "2/3": digits, a slash and digits with no space between."""
    if index + 2 >= len(tokens) or tokens[index + 1].text != "/":
        return False
    denominator = tokens[index + 2]
    return (
        denominator.kind == "number"
        and tokens[index].end == tokens[index + 1].start == denominator.start - 1
    )


def _single_word_at(tokens: list[_Token], index: int) -> _Found | None:
    """A number that is one word: a hedged or bare unit of time ("больше года", "уже месяц"),
    a multiple ("дважды") or a fraction ("треть", "половина")."""
    lower = tokens[index].lower
    if lower in _SINGLE_UNITS and index > 0 and tokens[index - 1].lower in _HEDGE_ENDINGS:
        # "больше года", "почти месяц": one unit of time, hedged.
        return _Found(index, index, 1.0, kind="duration")
    if lower in _MULTIPLES:
        return _Found(index, index, _MULTIPLES[lower])
    if lower in _FRACTIONS:
        if index > 0 and tokens[index - 1].lower in _ORDINAL_HALVES:
            return None
        return _Found(index, index, _FRACTIONS[lower], kind="fraction")
    if lower in _BARE_UNITS and _is_length_of_time(tokens, index):
        return _Found(index, index, 1.0, kind="duration")
    return None


def _is_length_of_time(tokens: list[_Token], index: int) -> bool:
    """True when the bare unit of time at `index` is a length of time: a form that can only be
    accusative ("держали в изоляторе неделю"), or another form right after a cue word or a
    verb ("уже месяц", "ждали год"); never after a preposition or a determiner ("через
    неделю", "в месяц"), nor before a word that makes it a moment ("месяц назад")."""
    if index == 0 or tokens[index - 1].kind != "word":
        return False
    following = tokens[index + 1].lower if index + 1 < len(tokens) else ""
    before = tokens[index - 1].lower
    if following in _MOMENT_AFTER or before in _NOT_A_LENGTH_BEFORE:
        return False
    if before in _DURATION_CUES:
        return True
    if before.endswith(_ADJECTIVE_ENDINGS):
        return False  # "за первую неделю", "тяжёлый год": a named week or year
    if tokens[index].lower in _ACCUSATIVE_UNITS:
        return True
    return len(before) > 2 and before.endswith(_VERB_ENDINGS) and before not in _NOT_VERBS


def _words_at(tokens: list[_Token], index: int) -> _Found | None:
    """Read consecutive number words: "двадцати тысяч" -> 20000, "полторы тысячи" -> 1500."""
    total = 0.0
    current = 0.0
    last = index
    words = 0
    position = index
    while position < len(tokens):
        lower = tokens[position].lower
        if lower in _UNITS or lower in _ONE:
            current += _UNITS.get(lower, 1.0)
        elif lower in _SCALES and tokens[position].kind == "word":
            total += (current or 1.0) * _SCALES[lower]
            current = 0.0
        else:
            break
        last = position
        words += 1
        position += 1
    if words == 0:
        return None
    value = total + current
    if words == 1 and tokens[index].lower in _ONE:
        return _Found(index, last, value, kind="one")
    return _Found(index, last, value)


def _digits_value(written: str) -> float:
    """ "9 900" -> 9900, "10.000" -> 10000, "1,5" -> 1.5, "2.5" -> 2.5."""
    plain = written.replace("\u00a0", " ").replace("\u202f", " ")
    if " " in plain:
        return float(plain.replace(" ", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", plain):
        return float(plain.replace(".", ""))
    return float(plain.replace(",", "."))


def _scale_after(tokens: list[_Token], index: int) -> float:
    if index + 1 < len(tokens) and tokens[index + 1].kind == "word":
        return _SCALES.get(tokens[index + 1].lower, 0.0)
    return 0.0


def _is_abbreviation_stop(tokens: list[_Token], index: int) -> bool:
    """True when the scale word at `index` is "тыс", "млн" or "млрд" with its full stop."""
    following = index + 1
    return (
        tokens[index].lower in ("тыс", "млн", "млрд")
        and following < len(tokens)
        and tokens[following].text == "."
        and tokens[following].start == tokens[index].end
        and following + 1 < len(tokens)
        and not tokens[following + 1].text[0].isupper()
    )


def _next_word(tokens: list[_Token], index: int) -> str:
    if index < len(tokens) and tokens[index].kind == "word":
        return tokens[index].lower
    return ""


def _is_quantity(text: str, tokens: list[_Token], quantity: _Found) -> bool:
    """False for dates, years, clock times, ordinals and identifiers."""
    first, last = quantity.first, quantity.last
    token = tokens[first]
    before = tokens[first - 1].lower if first > 0 else ""
    following = _next_word(tokens, last + 1)
    if before in _IDENTIFIER_BEFORE or before.startswith(_IDENTIFIER_STEMS):
        return False
    if token.kind == "number" and _is_a_name_or_telephone(tokens, quantity, before, following):
        return False
    if following in _MONTHS or following.startswith(tuple(_KAZAKH_MONTH_STEMS)):
        return False
    if token.kind == "number" and _is_date_or_time(text, tokens, quantity, before, following):
        return False
    if token.kind == "number" and _opens_a_date_pair(tokens, last):
        return False
    if quantity.kind == "one":
        # "один день" is a duration; a lone "один" or "одна из" is not a number.
        return _unit_kind(following) == "duration"
    if following in _DAY_PARTS and (following != "дня" or before == "в"):
        return False  # "в 7 утра"; but "три дня" is a duration
    # "в 3 часа ночи": a time.
    return not (before == "в" and following.startswith("час") and token.kind == "number")


def _is_a_name_or_telephone(
    tokens: list[_Token], quantity: _Found, before: str, following: str
) -> bool:
    """True for the digits of a name ("ТЭЦ-2", "Covid-19", "Ан-24"), a vehicle or route ("на
    автобусе 32") or a telephone number ("по телефону 109", "тел. 8 727 123-45-67")."""
    first = quantity.first
    # Glued to a word by a hyphen: a name, not a count ("200-ден" is the other way round).
    if (
        first >= 2
        and tokens[first - 1].text == "-"
        and tokens[first - 2].kind == "word"
        and tokens[first - 2].end == tokens[first - 1].start == tokens[first].start - 1
    ):
        return True
    if before.startswith(_VEHICLE_STEMS) and not following:
        return True
    # Walk back over the digit groups and their glue to the word they follow.
    position = first - 1
    while position >= 0 and (
        tokens[position].kind == "number" or tokens[position].text in _TELEPHONE_GLUE
    ):
        position -= 1
    return position >= 0 and tokens[position].lower.startswith(_TELEPHONE_STEMS)


def _is_date_or_time(
    text: str, tokens: list[_Token], quantity: _Found, before: str, following: str
) -> bool:
    """True for the digits of a clock time, an ordinal, a written date or a year."""
    if _is_minutes(tokens, quantity.first) or _is_clock_or_ordinal(text, tokens, quantity):
        return True
    plain = tokens[quantity.first].text
    if not (plain.isdigit() and len(plain) == 4 and 1800 <= int(plain) <= 2100):
        return False
    return (
        following.startswith(_YEAR_WORDS)
        or following == ""
        or before in ("в", "с", "до", "к", "от", "по", "году", "года")
    )


_DATE_PAIR_LINKS = frozenset(["и", "или", "на", "по", "-", "–", "—"])


def _opens_a_date_pair(tokens: list[_Token], last: int) -> bool:
    """True for the first day of "6 и 7 января", "с 7 на 8 января", "с 5 по 7 января", "5–7
    января": a link word or dash, then a number the month follows."""
    if last + 3 >= len(tokens) or tokens[last + 1].lower not in _DATE_PAIR_LINKS:
        return False
    second, month = tokens[last + 2], tokens[last + 3]
    return second.kind == "number" and (
        month.lower in _MONTHS or month.lower.startswith(tuple(_KAZAKH_MONTH_STEMS))
    )


def _is_minutes(tokens: list[_Token], first: int) -> bool:
    """True for digits glued by ":" or "." to the number before: "17:00", "05.01"."""
    if first < 2 or tokens[first - 1].text not in ":." or tokens[first - 2].kind != "number":
        return False
    return tokens[first - 2].end == tokens[first - 1].start == tokens[first].start - 1


def _is_clock_or_ordinal(text: str, tokens: list[_Token], quantity: _Found) -> bool:
    token = tokens[quantity.first]
    if re.fullmatch(r"\d{1,2}\.\d{2}", token.text):
        return True  # "17.00"
    after = quantity.last + 1
    if after + 1 < len(tokens) and tokens[after].text in ":.":
        separator, minutes = tokens[after], tokens[after + 1]
        if separator.start == token.end and minutes.start == separator.end:
            return re.fullmatch(r"\d{2}(?:[.,]\d+)?", minutes.text) is not None  # 17:00
    if after + 1 < len(tokens) and tokens[after].text == "-" and tokens[after].start == token.end:
        suffix = tokens[after + 1]
        return suffix.kind == "word" and suffix.lower in _ORDINAL_ENDINGS
    return False


def _unit_kind(word: str) -> str:
    for stem, kind in _UNIT_STEMS:
        if word.startswith(stem):
            return kind
    return ""


def _read_context(text: str, tokens: list[_Token], quantity: _Found) -> None:
    """Fill in hedge, unit and kind from the words around the number."""
    quantity.span_first, quantity.span_last = quantity.first, quantity.last
    after = quantity.last + 1
    # "26-летний", "26-летнего": an age written with a hyphen.
    if (
        after + 1 < len(tokens)
        and tokens[after].text == "-"
        and tokens[after + 1].lower.startswith("летн")
    ):
        quantity.kind = "age"
        quantity.span_last = after + 1
        return
    _read_unit(tokens, quantity, after)
    if quantity.is_vague:
        quantity.bound, quantity.approximate = "lower", True
    before = tokens[quantity.first - 1].lower if quantity.first > 0 else ""
    for words, bound in _HEDGES_BEFORE if before in _HEDGE_ENDINGS else ():
        first = quantity.first - len(words)
        if first >= 0 and tuple(t.lower for t in tokens[first : quantity.first]) == words:
            quantity.bound, quantity.approximate = bound, True
            quantity.span_first = first
            break
    tail = quantity.span_last + 1
    if (
        tail + 1 < len(tokens)
        and tokens[tail].text == "-"
        and tokens[tail + 1].lower in _CASE_SUFFIXES
    ):
        tail += 2  # Kazakh "200-ден астам": the ablative suffix, then the hedge
    following = tokens[tail].lower if tail < len(tokens) else ""
    for words, bound in _HEDGES_AFTER if following in _HEDGE_OPENINGS else ():
        if tuple(t.lower for t in tokens[tail : tail + len(words)]) == words:
            quantity.bound, quantity.approximate = bound, True
            quantity.span_last = tail + len(words) - 1
            break


def _read_unit(tokens: list[_Token], quantity: _Found, after: int) -> None:
    """ "90 %", "три дня", "20 тыс. тенге", and an age: "в возрасте 26 лет", ", 47 лет,"."""
    if after < len(tokens) and tokens[after].text == "%":
        quantity.kind = "percent"
        quantity.span_last = after
        return
    kind = _unit_kind(_next_word(tokens, after))
    if not kind:
        return
    quantity.kind = kind
    quantity.span_last = after
    before = tokens[quantity.first - 1].lower if quantity.first > 0 else ""
    comma_after = after + 1 < len(tokens) and tokens[after + 1].text == ","
    is_aside = before == "," and comma_after  # "Гульнара Ахметова, 47 лет, ..."
    if kind == "duration" and (before in _AGE_BEFORE or is_aside):
        quantity.kind = "age"


def _join_ranges(text: str, tokens: list[_Token], quantities: list[_Found]) -> None:
    """Mark both ends of "от 100 до 200", "100–200" and "один или два" as range ends."""
    for left, right in itertools.pairwise(quantities):
        between = tokens[left.span_last + 1 : right.first]
        words = [t.lower for t in between]
        opened = left.first > 0 and tokens[left.first - 1].lower == "от"
        is_range = (
            (opened and words == ["до"])
            or (len(between) == 1 and between[0].text in _RANGE_DASHES)
            or words == ["или"]
        )
        if not is_range:
            continue
        if opened:
            left.span_first = left.first - 1
        if right.span_first < right.first and tokens[right.first - 1].lower == "до":
            right.span_first = right.first - 1
        scale = _scale_of(tokens, right)
        if scale and not _scale_of(tokens, left) and left.value * scale <= right.value:
            # "от полутора до двух тысяч", "2–3 тысячи": the thousands are the first end's too.
            left.value *= scale
        low, high = sorted((left.value, right.value))
        for end_quantity in (left, right):
            end_quantity.kind, end_quantity.bound = "range_end", "exact"
            end_quantity.approximate = left.is_vague or right.is_vague
            end_quantity.low, end_quantity.high = low, high


def _scale_of(tokens: list[_Token], quantity: _Found) -> float:
    """The scale word ("тысяч", "млн") a number ends with, or 0.0 for none."""
    last = quantity.last
    if tokens[last].kind == "other" and last > quantity.first:
        last -= 1  # the full stop of "тыс."
    if last == quantity.first and tokens[last].kind == "number":
        return 0.0
    return _SCALES.get(tokens[last].lower, 0.0) if tokens[last].kind == "word" else 0.0


def _public(text: str, tokens: list[_Token], quantity: _Found) -> Quantity:
    start = tokens[quantity.span_first].start
    end = tokens[quantity.span_last].end
    unit = ""
    noun = quantity.span_last + 1
    if quantity.kind in ("count", "range_end") and noun < len(tokens):
        unit = _next_word(tokens, noun)
    elif quantity.kind not in ("count", "range_end"):
        unit = tokens[quantity.span_last].lower if quantity.span_last > quantity.last else ""
    value = _plain_number(quantity.value)
    return Quantity(
        start=start,
        end=end,
        text=text[start:end],
        value=value,
        low=None if quantity.low is None else _plain_number(quantity.low),
        high=None if quantity.high is None else _plain_number(quantity.high),
        unit=unit,
        approximate=quantity.approximate,
        bound=quantity.bound,
        kind=quantity.kind,
    )


def _plain_number(value: float) -> float | int:
    return int(value) if value == int(value) else value
