"""Who asserts a Russian (or Kazakh) sentence: the same speaker layers as attribution.py.

A sentence's speaker is found from its speech cues ("по словам", "сказал(а)", "заявил(и)",
"сообщили в МВД", "как утверждает", "по данным") and the words near them: an official body
(government), an organisation, an outlet, or a person (witness). Hearsay without a source
("говорят", "по слухам", "по некоторым данным") is "unknown". A sentence in the first person,
or spoken after a dash or inside «…» with no other source, is the witness's; anything else is
the reporter's own voice.

Words are matched by their first letters (stems), so every case ending is covered: "МВД",
"министерства", "полицейские", "акимата".
"""

import re
from typing import NamedTuple

from .attribution import GOVERNMENT, MEDIA, ORGANIZATION, REPORTER, UNKNOWN, WITNESS

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

# Verbs and phrases that report speech; by prefix, so every gender, number and tense counts.
SPEECH_STEMS = (
    "сказал",
    "заявил",
    "заявля",
    "сообщил",
    "сообщают",
    "сообщает",
    "рассказал",
    "рассказыва",
    "утвержда",
    "отметил",
    "подчеркнул",
    "добавил",
    "говорит",
    "говорил",
    "пишет",
    "пишут",
    "писал",
    "объявил",
    "признал",
    "вспомина",
    "уточнил",
    "поясни",
    "поясня",
    "ответил",
    "подтверди",
    "подтвержда",
    "опроверг",
    "настаива",
    "деді",
    "айтты",
    "мәлімде",
    "хабарла",
)
SPEECH_PHRASES = (("по", "словам"), ("по", "данным"), ("как", "сообщили"), ("по", "информации"))
HEARSAY_PHRASES = (
    ("по", "некоторым", "данным"),
    ("по", "неофициальным", "данным"),
    ("по", "слухам"),
    ("по", "оценкам"),
    ("по", "разным", "оценкам"),
    ("как", "говорят"),
    ("ходят", "слухи"),
    ("говорят",),
    ("якобы",),
)
GOVERNMENT_STEMS = (
    "мвд",
    "министерств",
    "министр",
    "минздрав",
    "минобороны",
    "полиц",
    "власт",
    "президент",
    "правительств",
    "генпрокуратур",
    "прокуратур",
    "прокурор",
    "акимат",
    "аким",
    "пресс-служб",
    "комендатур",
    "комендант",
    "кнб",
    "ведомств",
    "управлени",
    "департамент",
    "официальн",
    "чиновник",
    "генерал",
    "следовател",
    "пресс-секретар",
    "спикер",
    "депутат",
    "үкімет",
    "полиция",
    "ішкі",
)
ORGANIZATION_STEMS = (
    "правозащит",
    "оон",
    "организац",
    "фонд",
    "бюро",
    "красн",
    "amnesty",
    "комитет",
    "омбудсмен",
    "уполномоченн",
    "human",
    "мониторинг",
    "юрист",
    "адвокат",
)
MEDIA_STEMS = (
    "газет",
    "агентств",
    "издани",
    "телеканал",
    "сми",
    "журналист",
    "тасс",
    "интерфакс",
    "reuters",
    "азаттык",
    "портал",
    "редакци",
    "корреспондент",
)
FIRST_PERSON = frozenset(
    [
        "я",
        "мы",
        "мне",
        "меня",
        "мной",
        "нас",
        "нам",
        "нами",
        "мой",
        "моя",
        "моё",
        "мое",
        "мои",
        "моего",
        "моей",
        "моих",
        "наш",
        "наша",
        "наше",
        "наши",
        "нашего",
        "нашей",
        "наших",
        "мен",
        "біз",
        "менің",
        "біздің",
    ]
)
_DASHES = "—–-"
_BACK_REFERENCES = frozenset(["там", "ведомстве", "ведомство"])


class Speaker(NamedTuple):
    """The speaker layer of a sentence and the cue that decided it ("" when none did)."""

    speaker: str
    cue: str
    has_speech_cue: bool
    cue_refers_back: bool = False  # "там утверждают": the source is the one named before


def words_of(sentence: str) -> list[str]:
    """The sentence's words, lowercase, hyphenated words kept whole ("пресс-служба")."""
    return [word.lower() for word in _WORD.findall(sentence)]


def speaker_of(sentence: str, words: list[str], is_quoted: bool) -> Speaker:
    """Return who asserts `sentence` (its `words` from words_of).

    `is_quoted`: the sentence lies mostly inside a quotation or is direct speech after a dash.
    """
    cue_at = _speech_cue(words)
    if cue_at is not None:
        position, cue = cue_at
        category = _category_near(words, position)
        if category:
            return Speaker(category, cue, True)
        if _has_hearsay(words):
            return Speaker(UNKNOWN, cue, True)
        refers_back = any(
            word in _BACK_REFERENCES for word in words[max(0, position - 3) : position]
        )
        return Speaker(WITNESS, cue, True, refers_back)
    if _has_hearsay(words):
        return Speaker(UNKNOWN, "hearsay", False)
    if is_quoted or sentence.lstrip()[:1] in _DASHES:
        return Speaker(WITNESS, "direct speech", False)
    if any(word in FIRST_PERSON for word in words):
        return Speaker(WITNESS, "first person", False)
    return Speaker(REPORTER, "", False)


def phrase_at(words: list[str], index: int, phrases: dict[str, list[tuple[str, ...]]]) -> int:
    """The length of the phrase of `phrases` (keyed by first word) at `index`; 0 for none."""
    for phrase in phrases.get(words[index], ()):
        if tuple(words[index : index + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def by_first_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, list[tuple[str, ...]]]:
    """Index word phrases by their first word, so a sentence is scanned once, not per phrase."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        index.setdefault(phrase[0], []).append(phrase)
    return index


_SPEECH_PHRASES = by_first_word(SPEECH_PHRASES)
_HEARSAY_PHRASES = by_first_word(HEARSAY_PHRASES)


def _speech_cue(words: list[str]) -> tuple[int, str] | None:
    for index, word in enumerate(words):
        length = phrase_at(words, index, _SPEECH_PHRASES)
        if length:
            return index + length, " ".join(words[index : index + length])
        if word.startswith(SPEECH_STEMS):
            return index, word
    return None


def _category_near(words: list[str], position: int) -> str:
    """The kind of source named within a few words of the speech cue at `position`."""
    window = words[max(0, position - 3) : position + 4]
    for stems, category in (
        (GOVERNMENT_STEMS, GOVERNMENT),
        (ORGANIZATION_STEMS, ORGANIZATION),
        (MEDIA_STEMS, MEDIA),
    ):
        if any(word.startswith(stems) for word in window):
            return category
    return ""


def _has_hearsay(words: list[str]) -> bool:
    return any(
        phrase_at(words, index, _HEARSAY_PHRASES)
        for index, word in enumerate(words)
        if word in _HEARSAY_PHRASES
    )
