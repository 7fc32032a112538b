"""Split Russian or Kazakh (Cyrillic) text into sentences with exact offsets.

The same contract as sentences.py: spans cover every non-whitespace character, in order, with
only whitespace between two of them; paragraphs and stand-alone lines are found the same way.
What differs is inside a line:

- abbreviations that never end a sentence ("г.", "ул.", "т. е.", "т. д.", "им.", "тыс.") and
  initials ("А. Исабаров", "А. Б. Исабаров"); "тел.", "мин.", "сек." are abbreviations only
  before a number ("тел. 8 701 ...") and otherwise words ("насчитали 150 тел. На многих ...");
- a sentence may open with a number ("... 70 человек. 8 января приехал спецназ.") when a word,
  not a number or an abbreviation, stands before the full stop;
- quotations in «…» and „…“: the closing mark stays with the sentence it ends, each sentence
  inside a quotation is a sentence of its own (the evaluation convention), and a dash after a
  closing quotation ("«Стреляли», — говорит он.") keeps the author's words with it;
- direct speech opened by a dash at the start of a line ("— Мы стояли у акимата.") starts a
  sentence, and a dash after the speech's end punctuation ("— Уходите! — крикнул он.") keeps
  the speech tag with it.
"""

import re

from .sentences import SentenceSpan, _paragraphs, _segments

_BOUNDARY = re.compile(r"[.!?…]+[\"”’»“)\]]*\s+")
_CLOSERS = '"”’»“)]'
_OPENERS = frozenset('«„"“‘([—–-')
_DASHES = frozenset("—–-")
# Words after which a full stop continues the sentence (lowercase, without the stop).
_ABBREVIATIONS = frozenset(
    [
        "г",
        "гг",
        "ул",
        "пр",
        "просп",
        "пл",
        "д",
        "кв",
        "обл",
        "р-н",
        "р-на",
        "р-не",
        "пос",
        "с",
        "ст",
        "им",
        "тыс",
        "млн",
        "млрд",
        "руб",
        "долл",
        "коп",
        "т",
        "е",
        "п",
        "др",
        "см",
        "напр",
        "ок",
        "св",
        "чел",
        "мин",
        "сек",
        "тел",
        "рис",
        "стр",
        "гл",
        "корп",
        "оф",
        "проф",
        "акад",
        "ген",
        "полк",
        "подполк",
        "кап",
        "лейт",
        "серж",
        "ефр",
        "мл",
        "тж",
    ]
)
# Abbreviations that are also words ("тел." of "тело", "мин." of "мина"): before a number.
_BEFORE_NUMBERS = frozenset(["тел", "мин", "сек"])
_WORD_BEFORE_STOP = re.compile(r"[\w-]*\Z")


def sentence_spans_ru(text: str) -> list[SentenceSpan]:
    """Return the sentences of a Cyrillic text as spans in order (see the module doc)."""
    spans: list[SentenceSpan] = []
    for paragraph, lines in enumerate(_paragraphs(text)):
        for segment_start, segment_end in _segments(text, lines):
            for start, end in _split(text, segment_start, segment_end):
                spans.append(SentenceSpan(start, end, paragraph))
    return spans


def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    sentence_start = start
    for match in _BOUNDARY.finditer(text, start, end):
        next_start = match.end()
        if next_start >= end or not _is_boundary(text, match, sentence_start, end):
            continue
        pieces.append((sentence_start, match.start() + len(match.group().rstrip())))
        sentence_start = next_start
    pieces.append((sentence_start, end))
    return pieces


def _is_boundary(text: str, match: re.Match, sentence_start: int, segment_end: int) -> bool:
    """Decide whether the punctuation in `match` ends a sentence."""
    marks = match.group().rstrip()
    punctuation = marks.rstrip(_CLOSERS)
    following = text[match.end()]
    if following.islower():
        return False
    if following.isdigit():
        # "... человек. 8 января ...": a number opens a sentence after a word, not after
        # digits ("в 2022. 5") or an abbreviation ("г. 5 января", "тел. 8 701").
        return punctuation != "." or (
            text[match.start() - 1 : match.start()].isalpha()
            and _full_stop_ends_sentence(text, match.start(), sentence_start, before_number=True)
        )
    if following in _DASHES:
        # "— Уходите! — крикнул он." or "«Стреляли», — говорит он.": a dash then a lowercase
        # word is the author's tag of the speech just ended.
        after_dash = text[match.end() + 1 : match.end() + 3].lstrip()
        return not after_dash[:1].islower()
    if not (following.isupper() or following in _OPENERS):
        return False
    if punctuation != ".":
        return True
    return _full_stop_ends_sentence(text, match.start(), sentence_start)


def _full_stop_ends_sentence(
    text: str, stop: int, sentence_start: int, before_number: bool = False
) -> bool:
    """Judge a single full stop by the word before it (and by whether a number follows)."""
    found = _WORD_BEFORE_STOP.search(text, max(sentence_start, stop - 20), stop)
    word = found.group() if found else ""
    if not word:
        return True
    if word.lower() in _BEFORE_NUMBERS:
        return not before_number
    if word.lower() in _ABBREVIATIONS:
        return False
    # An initial ("А. Исабаров") does not end a sentence.
    return not (len(word) == 1 and word.isalpha() and word.isupper())
