"""Check-worthiness of a Russian (or Kazakh) sentence: CFS, UFS or NFS with a score.

The same labels and threshold as checkworthiness.py, from Russian cue lists: numbers, events
(gatherings, shooting, force, casualties, detentions, damage), official claims, and the signs
of a sentence nobody would check (questions, opinions, feelings, speculation, predictions,
scene-setting and how the interview was done). Cues are word stems, so every case ending of
"задержанных", "погибли", "слезоточивый" counts. A future passive with numbers ("будет
выделено 1,2 млрд тенге") is a commitment someone can be held to, not a prediction; an age
("74-летнюю") does not make a sentence check-worthy, nor keep it from telling what happened;
"погибших нет" is a count of none, however short.
"""

import re

from .attribution_ru import by_first_word, phrase_at, words_of
from .checkworthiness import CFS, NFS, UFS, Assessment
from .quantity import Quantity

# Events a checker verifies. By prefix; short stems are chosen so they do not start common
# unrelated words.
EVENT_STEMS = (
    "стрел",
    "выстрел",
    "обстрел",
    "огонь",
    "убит",
    "убил",
    "убий",
    "погиб",
    "гибел",
    "смерт",
    "умер",
    "трупы",
    "ранен",
    "ранил",
    "ампутир",
    "огнестрел",
    "держал",
    "операци",
    "пострада",
    "задерж",
    "арест",
    "схвати",
    "избил",
    "избива",
    "избиени",
    "пытк",
    "пытал",
    "взрыв",
    "гранат",
    "светошумов",
    "слезоточив",
    "дубин",
    "спецназ",
    "солдат",
    "военн",
    "войск",
    "армия",
    "армии",
    "силовик",
    "полицейск",
    "омон",
    "танк",
    "бтр",
    "бронетехник",
    "броневик",
    "автомат",
    "оружи",
    "пул",
    "патрон",
    "штурм",
    "захват",
    "подожг",
    "поджог",
    "горел",
    "сгорел",
    "сожгл",
    "разграб",
    "мародер",
    "мародёр",
    "разгром",
    "разогна",
    "разгон",
    "митинг",
    "протест",
    "забастов",
    "бастов",
    "бастую",
    "демонстрант",
    "собрал",
    "собра",
    "вышли",
    "толп",
    "блокпост",
    "комендантск",
    "чрезвычайн",
    "отключ",
    "морг",
    "больниц",
    "госпитал",
    "жертв",
    "террорист",
    "погибш",
    # "пропал" (went missing) tells an event; "пропавших" alone names people, often only as
    # whom someone helps or looks for.
    "пропал",
    "освобод",
    "приговор",
    "обыск",
    "допрос",
    "осужд",
    "ввели",
    "объявил",
    # Harm done to people, and what was done to the detained.
    "избит",
    "синяк",
    "сознани",
    "травм",
    "удар",
    "тащил",
    "вытащил",
    "забрал",
    "увез",
    "отпусти",
    "отпуст",
    "заставил",
    "изъял",
    "обыскал",
    # Weapons and means of force.
    "баллон",
    "приклад",
    "резинов",
    # What officials do and say of an event.
    "отрица",
    "запрет",
    "незаконн",
    "обвин",
    "уголовн",
    "штраф",
    "атыс",
    "қаза",
    "жарақат",
    "ұстал",
    "жиналд",
    "наразылық",
)
# Photographs as captions and credits ("Фото: архив"), not the verb "фотографировали".
UNIMPORTANT_WORDS = frozenset(["фото", "фотография", "фотографии", "снимок", "снимке"])
# Event words too short to match by prefix ("газ" would take in "газета").
EVENT_WORDS = frozenset(
    [
        "газ",
        "газа",
        "газом",
        "газу",
        "бил",
        "била",
        "били",
        "бьют",
        "бьёт",
        "кровь",
        "крови",
        "кровью",
    ]
)
# Opinion, feeling, belief, speculation, wish, obligation and prediction: not facts.
NON_FACTUAL_WORDS = frozenset(
    [
        "думаю",
        "думаем",
        "думает",
        "думают",
        "считаю",
        "считаем",
        "кажется",
        "казалось",
        "наверное",
        "возможно",
        "может",
        "вероятно",
        "видимо",
        "похоже",
        "боюсь",
        "боимся",
        "боялись",
        "страшно",
        "надеюсь",
        "надеемся",
        "хочу",
        "хотим",
        "хотят",
        "хотелось",
        "должны",
        "должен",
        "должна",
        "надо",
        "нужно",
        "следует",
        "будет",
        "будут",
        "станет",
        "станут",
        "верю",
        "верим",
        "уверен",
        "уверена",
        "верит",
        "верят",
        "думал",
        "думала",
        "думали",
        "хотел",
        "хотела",
        "хотели",
        "хочет",
        "никогда",
        "бы",
        "боится",
        "боятся",
        "плакал",
        "плакала",
        "плакали",
        "наверняка",
        "жаль",
        "стыдно",
        "обидно",
        "ужасно",
        "чувствую",
        "чувствовал",
        "чувствовала",
        "ощущение",
        "страх",
        "ужас",
        "мечтаю",
        "забуду",
        "простить",
        "понимаю",
        "непонятно",
        "неизвестно",
        # An official's appeal or reminder: "Акимат призывает жителей сохранять спокойствие".
        "напоминает",
        "напоминают",
        "призывает",
        "призывают",
        "рекомендует",
        "рекомендуют",
    ]
)
NON_FACTUAL_PHRASES = (
    ("по-моему",),
    ("не", "знаю"),
    ("не", "знает"),
    ("не", "знают"),
    ("не", "знал"),
    ("не", "знала"),
    ("мне", "кажется"),
    ("может", "быть"),
)
# How the text was made, and scene-setting: true, but nobody would check it.
UNIMPORTANT_STEMS = (
    "интервью",
    "скайп",
    "skype",
    "видеосвяз",
    "попрощал",
    "редакци",
    "анонимн",
    "изменен",
    "сидит",
    "улыба",
    "курит",
    "связаться",
    "комментари",
    "встрети",
    "встрет",
    "разговор",
    "разговарива",
    "беседова",
    "записал",
)
# Verbs of a working life: years spent at them introduce a person ("водит автобус тридцать
# лет", "работаю в хирургии двадцать лет").
_WORK_STEMS = (
    *("работа", "работаю", "проработ", "водит", "водил", "живёт", "живет", "живу", "прожил"),
    *("торгу", "служ", "отслуж", "преподава", "трудит", "трудил"),
)
_THRESHOLD = 0.5
_PAST_ENDINGS = ("л", "ла", "ло", "ли")
# Words that end like a past-tense verb but are not one.
_NOT_PAST = frozenset(
    [
        "если",
        "земли",
        "цели",
        "мысли",
        "соли",
        "боли",
        "роли",
        "модели",
        "мало",
        "тепло",
        "светло",
        "тяжело",
        "весело",
        "пошли-ка",
        "тоже",
    ]
)
_NON_FACTUAL_PHRASES = by_first_word(NON_FACTUAL_PHRASES)
_FUTURE = frozenset(["будет", "будут"])
# Condolences, apologies and thanks: an official statement's courtesies, not facts. Not
# "благодаря" (thanks to, because of).
_COURTESY_STEMS = ("соболезн", "извинени", "извиняе", "благодарим", "благодарит", "благодарю")
_COURTESY_OPENINGS = frozenset(stem[:5] for stem in _COURTESY_STEMS)  # a set look-up per word
# Short passive participles: "выделено", "снижена", "выплачены", "открыта", "закрыто".
_PASSIVE_ENDINGS = tuple(
    stem + ending for stem in ("ен", "ён", "ан", "ян", "ит", "ыт") for ending in ("о", "а", "ы")
)
# What someone could or could not do ("не могла там находиться", "делали всё, что могли"):
# a feeling or an effort, not an event. It takes away a past-tense verb's weight only, so "не
# могли найти задержанных" keeps its event.
_ABILITY_WORDS = frozenset(["мог", "могла", "могло", "могли"])
# A headline or caption that quotes someone: «Автобус остановили у моста»: водитель о той ночи.
_QUOTATION = re.compile(r"[«„]([^»“]+)[»“]")


def assess_ru(
    sentence: str,
    words: list[str],
    quantities: tuple[Quantity, ...],
    is_official_claim: bool,
) -> Assessment:
    """Score and label one sentence (its `words` lowercase, from attribution_ru.words_of).

    `is_official_claim`: an official body, organisation or outlet is reported as saying it.
    """
    reasons = []
    score = 0.15
    events = sorted({word for word in words if word in EVENT_WORDS or word.startswith(EVENT_STEMS)})
    stripped = sentence.rstrip(" »“”\"')")
    if stripped.endswith("?"):
        return Assessment(0.05, NFS, ("question",))
    number_score, number_reason = _number_score(quantities, events, words)
    score += number_score
    if number_reason:
        reasons.append(number_reason)
    if events:
        # One event word in a plain statement is enough: testimony names what happened once.
        score += 0.35 + 0.1 * min(len(events) - 1, 2)
        reasons.append("event: " + ", ".join(events[:3]))
    headline_quote = _quoted_headline(sentence, stripped)
    if not events and (not quantities or _only_ages(quantities, words)):
        # An age says who someone is; the sentence may still tell what happened to them.
        score += _statement_score(stripped, words, headline_quote, reasons)
    if is_official_claim:
        # What an official body says happened is checkable whether or not it is true.
        score += 0.35
        reasons.append("official source")
    opinion = _non_factual(words, bool(quantities))
    if opinion:
        score -= 0.45
        reasons.append(f"opinion or speculation: {opinion}")
    # "Погибших нет": a count of none, however short.
    is_none = bool(events) and "нет" in words
    score -= _minor_penalty(stripped, words, bool(quantities or headline_quote or is_none), reasons)
    score = round(max(0.0, min(1.0, score)), 3)
    if score >= _THRESHOLD:
        return Assessment(score, CFS, tuple(reasons))
    label = NFS if opinion or len(words) < 3 else UFS
    return Assessment(score, label, tuple(reasons))


def _statement_score(
    stripped: str, words: list[str], headline_quote: str, reasons: list[str]
) -> float:
    """What a sentence without numbers or event words gains for telling what happened: a
    headline quoting it, or a plain statement in the past tense; reasons appended."""
    if headline_quote:
        # «Во двор бросали газ»: the quotation is the claim, the words around it say whose.
        reasons.append("headline quoting what happened")
        return 0.35
    if _tells_what_happened(stripped, words) and _ABILITY_WORDS.isdisjoint(words):
        # A plain statement of what someone did, in the past tense: testimony is made of them.
        reasons.append("past-tense statement")
        return 0.35
    return 0.0


def _tells_what_happened(stripped: str, words: list[str]) -> bool:
    """A full sentence of five words or more with a verb in the past tense ("-л", "-ла",
    "-ло", "-ли"), words too short or known not to be verbs aside."""
    if len(words) < 5 or stripped[-1:] != ".":
        return False
    return any(
        len(word) > 4 and word.endswith(_PAST_ENDINGS) and word not in _NOT_PAST for word in words
    )


def _quoted_headline(sentence: str, stripped: str) -> str:
    """The quotation of a line without a full stop that quotes someone beside a colon, when the
    quoted words tell what happened in the past tense ("«После забастовки нас уволили»: рассказ
    шахтёра"); "" otherwise. `stripped` is the sentence without its closing marks."""
    if stripped[-1:] in ".!?…" or ":" not in stripped:
        return ""
    found = _QUOTATION.search(sentence)
    if found is None:
        return ""
    quoted = words_of(found.group(1))
    is_past = any(
        len(word) > 4 and word.endswith(_PAST_ENDINGS) and word not in _NOT_PAST for word in quoted
    )
    return found.group(1) if len(quoted) >= 3 and is_past else ""


def _minor_penalty(
    stripped: str, words: list[str], quantities: tuple[Quantity, ...] | bool, reasons: list[str]
) -> float:
    """Scene-setting, a very short sentence, a line without a full stop; reasons appended.
    `quantities` is true when the sentence holds numbers or is a headline quoting an event."""
    penalty = 0.0
    background = next(
        (w for w in words if w in UNIMPORTANT_WORDS or w.startswith(UNIMPORTANT_STEMS)), ""
    )
    if background:
        penalty += 0.3
        reasons.append(f"scene or method: {background}")
    if len(words) < 4 and not quantities:
        penalty += 0.2
        reasons.append("short")
    if stripped[-1:] not in ".!…" and not quantities:
        penalty += 0.2  # a headline, byline or caption line without a number
        reasons.append("line without a full stop")
    return penalty


def _number_score(
    quantities: tuple[Quantity, ...], events: list[str], words: list[str]
) -> tuple[float, str]:
    """What the sentence's numbers add to its score, and the reason to show."""
    if not quantities:
        return 0.0, ""
    if all(q.kind == "age" for q in quantities) and not events:
        # "Гульнара Ахметова, 47 лет, ...": who someone is, not what happened.
        return 0.2, f"age: {quantities[0].text}"
    if not events and all(_is_working_life(q, words) for q in quantities):
        # "проработал на шахте девятнадцать лет": a career, told to introduce someone.
        return 0.2, f"years of work: {quantities[0].text}"
    return 0.4 + 0.05 * min(len(quantities) - 1, 2), f"number: {quantities[0].text}"


def _is_working_life(quantity: Quantity, words: list[str]) -> bool:
    """An age, or years spent at a job or a place, in a sentence with a verb of work or life."""
    if quantity.kind == "age":
        return True
    is_years = quantity.kind == "duration" and quantity.unit.startswith(("лет", "год"))
    return is_years and any(word.startswith(_WORK_STEMS) for word in words)


def _is_passive_after(words: list[str], index: int) -> bool:
    """True when a short passive participle follows "будет" at `index` (an adverb may sit
    between: "будет полностью восстановлено")."""
    return any(
        len(word) > 5 and word.endswith(_PASSIVE_ENDINGS) for word in words[index + 1 : index + 3]
    )


def _only_ages(quantities: tuple[Quantity, ...], words: list[str]) -> bool:
    """Every number is an age, and no verb of a working life introduces the person."""
    return all(q.kind == "age" for q in quantities) and not any(
        word.startswith(_WORK_STEMS) for word in words
    )


def _non_factual(words: list[str], has_numbers: bool) -> str:
    """The first word or phrase of opinion, feeling or prediction; "" for none. A future
    passive with numbers ("будет выделено 1,2 млрд тенге") is a commitment, not a prediction;
    "уверена, что" asserts what follows."""
    for index, word in enumerate(words):
        if word in _FUTURE and has_numbers and _is_passive_after(words, index):
            continue
        if word.startswith("уверен") and words[index + 1 : index + 2] == ["что"]:
            continue  # "уверена, что ...": an assertion of what follows, judged on its own
        if word in NON_FACTUAL_WORDS or (
            word[:5] in _COURTESY_OPENINGS and word.startswith(_COURTESY_STEMS)
        ):
            return word
        if word in _NON_FACTUAL_PHRASES:
            length = phrase_at(words, index, _NON_FACTUAL_PHRASES)
            if length:
                return " ".join(words[index : index + length])
    return ""
