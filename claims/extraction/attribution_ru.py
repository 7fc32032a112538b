"""Who asserts a Russian (or Kazakh) sentence: the same speaker layers as attribution.py.

A sentence's speaker is found from its speech cues ("по словам", "сказал(а)", "заявил(и)",
"сообщили в МВД", "как утверждает", "по данным") and the words near them: an official body
(government), an organisation, an outlet, or a person (witness). Hearsay without a source
("говорят", "по слухам", "по некоторым данным") is "unknown". A sentence in the first person,
or spoken after a dash or inside «…» with no other source, is the witness's; anything else is
the reporter's own voice.

The source is looked for where the cue names it: after "по словам", "по данным", "согласно"
up to the comma ("По словам Ахметовой, полицейские ..." is Ахметова's), and for a verb first
among the words before it, then the few after it up to "что" ("В полиции заявили, что ...",
"..., — говорит аким"). "По её словам" and "там утверждают" point back to the source named
before (the engine resolves them); a document the reporter cites ("согласно отчёту") is the
reporter's. A headline line "Body: words" or "Person: «words»" gives those words to that
source (`headline_speaker`).

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
    "сообща",  # сообщают, сообщает, сообщали; not "сообщение"
    "отмеча",
    "подчеркива",
    "добавля",
    "объявля",
    "уточня",
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
    "уверя",
    "насчита",
    "подсчита",
    "пообеща",
    "обеща",
    "отрица",
    "деді",
    "айтты",
    "мәлімде",
    "хабарла",
)
SPEECH_PHRASES = (
    ("по", "словам"),
    ("по", "данным"),
    ("как", "сообщили"),
    ("по", "информации"),
    ("по", "подсчётам"),
    ("по", "подсчетам"),
    ("по", "оценкам"),
    ("согласно",),
)
# "По её словам": the phrase with a pronoun points back to the source named before.
_POSSESSIVES = ("её", "ее", "его", "их")
POINTING_BACK_PHRASES = tuple(
    ("по", pronoun, noun)
    for pronoun in _POSSESSIVES
    for noun in ("словам", "данным", "подсчётам", "подсчетам")
)
# "Согласно годовому отчёту компании": a document the reporter cites, whoever wrote it.
_DOCUMENT_STEMS = ("отчёт", "отчет", "документ", "реестр", "выписк", "протокол", "материал")
# A phrase cue names its source right after it ("по словам Ахметовой", "по данным МВД").
_SOURCE_AFTER = frozenset(["по", "согласно"])
HEARSAY_PHRASES = (
    ("по", "некоторым", "данным"),
    ("по", "неофициальным", "данным"),
    ("по", "слухам"),
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
    "конфедерац",
    "профсоюз",
    "компани",
    "корпорац",
    "предприяти",
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
# Pronouns that point back to a person, and the grammatical person each agrees with.
PERSONAL_PRONOUNS = {
    "он": "masculine",
    "его": "masculine",
    "она": "feminine",
    "её": "feminine",
    "ее": "feminine",
    "они": "plural",
    "их": "plural",
}
_OFFICIAL_TITLE_STEMS = (
    *("аким", "министр", "президент", "прокурор", "генерал", "следовател", "пресс-секретар"),
    *("спикер", "депутат", "чиновник", "комендант", "начальник", "губернатор", "мэр"),
    "заместител",
)
# Words before a speech verb examined for its subject: a title, a place and a full name.
_SUBJECT_REACH = 5


class Speaker(NamedTuple):
    """The speaker layer of a sentence and the cue that decided it ("" when none did)."""

    speaker: str
    cue: str
    has_speech_cue: bool
    cue_refers_back: bool = False  # "там утверждают", "по её словам": the source named before


# "В «Адилете» сообщили": a name in quotation marks as the place a cue speaks from.
_QUOTED_NAME = re.compile(r"(?:^|\s)(?:в|во|из)\s+[«„\"][^»“\"]{2,60}[»“\"]", re.IGNORECASE)
# A headline line: words, a colon, words; no full stop at its end.
_HEADLINE = re.compile(r"(?P<left>[^:]{2,80}):\s+(?P<right>.+)")
_QUOTE_MARKS = '«»„“"'


def words_of(sentence: str) -> list[str]:
    """The sentence's words, lowercase, hyphenated words kept whole ("пресс-служба")."""
    return [word.lower() for word in _WORD.findall(sentence)]


def speaker_of(sentence: str, words: list[str], is_quoted: bool) -> Speaker:
    """Return who asserts `sentence` (its `words` from words_of).

    `is_quoted`: the sentence lies mostly inside a quotation or is direct speech after a dash.
    """
    cue_at = _speech_cue(words)
    if cue_at is not None:
        return _cued_speaker(sentence, words, *cue_at)
    if _has_hearsay(words):
        return Speaker(UNKNOWN, "hearsay", False)
    if is_quoted or sentence.lstrip()[:1] in _DASHES:
        return Speaker(WITNESS, "direct speech", False)
    if any(word in FIRST_PERSON for word in words):
        return Speaker(WITNESS, "first person", False)
    return Speaker(REPORTER, "", False)


def _cued_speaker(sentence: str, words: list[str], position: int, cue: str) -> Speaker:
    """The speaker of a sentence with a speech cue `cue` ending before word `position`."""
    opening = cue.split()[0]
    if len(cue.split()) == 3 and cue.split()[1] in _POSSESSIVES:
        return Speaker(WITNESS, cue, True, cue_refers_back=True)
    if opening in _SOURCE_AFTER:
        source = _words_up_to_comma(sentence, cue)
        if opening == "согласно" and any(word.startswith(_DOCUMENT_STEMS) for word in source):
            return Speaker(REPORTER, cue, True)  # a report or record the reporter read
        category = _category_of(source) or _quoted_name_category(sentence)
        if category:
            return Speaker(category, cue, True)
        if opening == "согласно":
            return Speaker(REPORTER, cue, True)  # a document the reporter cites
        if not source or _has_hearsay(words):
            return Speaker(UNKNOWN, cue, True)  # "по оценкам, ...": nobody named
        return Speaker(WITNESS, cue, True)
    category = _category_near(words, position) or _quoted_name_category(sentence)
    if category:
        return Speaker(category, cue, True)
    if _has_hearsay(words):
        return Speaker(UNKNOWN, cue, True)
    near = words[max(0, position - 2) : position] + words[position + 1 : position + 2]
    pronoun = next((word for word in near if word in PERSONAL_PRONOUNS), "")
    if pronoun:
        # "Он пообещал", "— говорит она": the person named before.
        return Speaker(WITNESS, f"{pronoun} {cue}", True, cue_refers_back=True)
    refers_back = any(word in _BACK_REFERENCES for word in words[max(0, position - 3) : position])
    return Speaker(WITNESS, cue, True, refers_back)


def official_person_named(words: list[str]) -> bool:
    """True when the words name an official by title ("заместитель акима", "министр"): a
    person "он" or "по её словам" can point back to, unlike a body ("в МВД")."""
    return any(
        word.startswith(_OFFICIAL_TITLE_STEMS) and not word.startswith("акимат") for word in words
    )


def headline_speaker(line: str) -> str:
    """The source a headline line gives its words to, or "" when it is not one: "МВД: задержаны
    87 человек" (an official body before the colon), "Волонтёр: «...»" and "«...»: водитель о
    той ночи" (a person beside a quotation is a witness)."""
    stripped = line.strip()
    if not stripped or stripped[-1] in ".!?…":
        return ""
    found = _HEADLINE.fullmatch(stripped)
    if found is None:
        return ""
    left, right = found["left"].strip(), found["right"].strip()
    if left[:1] in _QUOTE_MARKS and left[-1:] in _QUOTE_MARKS:
        source = right  # «words»: who said them
    elif right[:1] in _QUOTE_MARKS:
        source = left  # Who: «words»
    else:
        return _category_of(words_of(left)[:3])  # a body's claim as a headline, or nothing
    return _category_of(words_of(source)[:3]) or WITNESS


def byline_speaker(line: str) -> str:
    """The official body a byline names as the text's author ("Пресс-служба акимата, 14 января
    2025 года"), or "" for a person's byline or any other line."""
    stripped = line.strip()
    words = words_of(stripped)
    if not words or len(words) > 10 or stripped[-1] in ".!?…:":
        return ""
    return _category_of(words[:1])


def _words_up_to_comma(sentence: str, cue: str) -> list[str]:
    """The words after the cue phrase up to the next comma, colon or dash: its source."""
    lower = sentence.lower()
    found = re.search(r"\s+".join(map(re.escape, cue.split())), lower)
    if found is None:
        return []
    clause = re.split(r"[,:;—–]", lower[found.end() :], maxsplit=1)[0]
    return words_of(clause)[:5]


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


_SPEECH_PHRASES = by_first_word(POINTING_BACK_PHRASES + SPEECH_PHRASES)
_HEARSAY_PHRASES = by_first_word(HEARSAY_PHRASES)


def _speech_cue(words: list[str]) -> tuple[int, str] | None:
    for index, word in enumerate(words):
        length = phrase_at(words, index, _SPEECH_PHRASES)
        if length:
            return index + length, " ".join(words[index : index + length])
        if word.startswith(SPEECH_STEMS):
            return index, word
        if word.startswith("уверен") and words[index + 1 : index + 2] == ["что"]:
            return index, word  # "уверена, что ...": she asserts it
    return None


def _category_near(words: list[str], position: int) -> str:
    """The kind of source named beside the speech verb at `position`: the nearest of the few
    words before it that names one ("Аким города Ерболат Досаев заявил"), else the few after
    it up to "что" (where what was said begins)."""
    for word in reversed(words[max(0, position - _SUBJECT_REACH) : position]):
        category = _category_of([word])
        if category:
            return category
    after = []
    for word in words[position : position + 4]:
        if word in ("что", "чтобы"):
            break
        after.append(word)
    return _category_of(after)


def _category_of(window: list[str]) -> str:
    """The kind of source the words name: government, organization, media, or ""."""
    for stems, category in (
        (GOVERNMENT_STEMS, GOVERNMENT),
        (ORGANIZATION_STEMS, ORGANIZATION),
        (MEDIA_STEMS, MEDIA),
    ):
        if any(word.startswith(stems) for word in window):
            return category
    return ""


def _quoted_name_category(sentence: str) -> str:
    """ "В «Адилете» сообщили": a named organisation, when no other source is named."""
    return ORGANIZATION if _QUOTED_NAME.search(sentence) else ""


def _has_hearsay(words: list[str]) -> bool:
    return any(
        phrase_at(words, index, _HEARSAY_PHRASES)
        for index, word in enumerate(words)
        if word in _HEARSAY_PHRASES
    )
