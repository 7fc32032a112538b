"""Score how check-worthy a sentence is, and label it CFS, UFS or NFS, with reasons.

The model is a small set of weighted, named features (ClaimBuster's labels, hand-set weights),
so every score can be explained by the features that fired:

- for a check-worthy claim: numbers; event verbs in a real (not future, not wished) form
  ("were arrested", "stormed"); event nouns ("tear gas", "prices"); official actors ("police");
  an official, organisation or outlet reported as saying something; named entities; dates;
- against: a question; feelings ("afraid"); speculation ("perhaps", "I think"); wishes and
  recommendations ("want to", "should"); predictions ("will"); evaluations ("terrible");
  scene-setting and how the reporting was done ("sits", "in an interview via"), which make a
  factual sentence unimportant; page boilerplate ("Leave a Reply", bylines, date lines).

A hedge only weakens the clause it sits in: the sentence scores the better of the whole and its
best clause, so "It seems the operation is over – shots can still be heard" keeps its claim.
"""

import math
import re
from bisect import bisect_right
from itertools import compress, count
from operator import itemgetter
from typing import NamedTuple

from . import lexicon
from .lexicon import words
from .quantities import Quantity
from .tokens import PhraseSet, Token, pair_starts

CFS, UFS, NFS = "CFS", "UFS", "NFS"
THRESHOLD = 0.5  # raw score at which a sentence becomes check-worthy (score 0.5)


class Assessment(NamedTuple):
    """Score in [0, 1], label, the reasons behind them, and the names the sentence uses."""

    score: float
    label: str
    reasons: tuple[str, ...]
    names: tuple[str, ...] = ()


class _Feature(NamedTuple):
    """One signal that fired: its group, weight, position in the text and readable reason."""

    group: str
    weight: float
    position: int  # offset in the text, to find the clause it belongs to
    reason: str


# group -> (additional items count this much of their weight, cap of the group's total).
_GROUPS = {
    "number": (0.2, 0.7),
    "event": (0.3, 0.8),
    "event_noun": (1.0, 0.6),
    "actor": (1.0, 0.3),
    "official_source": (0.0, 0.2),
    "name": (1.0, 0.2),
    "time": (0.5, 0.15),
    "feeling": (0.5, -0.6),
    "speculation": (0.5, -0.6),
    "hedge": (0.0, -0.15),
    "wish": (0.0, -0.4),
    "recommendation": (1.0, -0.8),
    "future": (0.0, -0.3),
    "evaluation": (1.0, -0.3),
    "scene": (0.0, -0.45),
}
_NON_FACTUAL = frozenset(
    {"feeling", "speculation", "wish", "recommendation", "future", "evaluation"}
)
_WEIGHTS = {
    "number": 0.55,
    "age": 0.2,  # an age identifies a person; it rarely makes a sentence worth checking
    "strong_event": 0.55,
    "event": 0.35,
    "weak_event": 0.2,
    "unreal_event": 0.05,
    "event_noun": 0.2,
    "actor": 0.15,
    "official_source": 0.2,
    "name": 0.1,
    "time": 0.1,
    "date": 0.15,
    "feeling": -0.4,
    "speculation": -0.4,
    "hedge": -0.15,
    "wish": -0.4,
    "recommendation": -0.5,
    "future": -0.3,
    "evaluation": -0.15,
    "scene": -0.3,
    "method": -0.45,
    "predicted_number": 0.25,
    "late_speculation": -0.2,
}
_STEEPNESS = 5.0
_LATE_HEDGE = 5  # a speculation word at or after this token index hedges only a detail

# Words before a verb that make it unreal: wished, predicted, possible, ordered-to.
_UNREAL_BEFORE = words(
    """will would could might may shall should must can cannot can't to won't wouldn't couldn't
    shouldn't 'll let"""
)
# After these, a capitalised word may just start a sentence or a quotation.
_SENTENCE_OPENERS = frozenset('.!?:“"«„–—')
_DENIAL_BEFORE = words("did didn't does doesn't do don't")
# Words after which "arrests", "attacks" are nouns, not verbs.
_DETERMINERS = words(
    """the a an these those their his her its our your my of mass many more no some several any
    all such recent new further"""
)
# Titles and single letters are capitalised without naming anyone ("Dr", "U" of "U.S.").
_NOT_NAMES = words("mr mrs ms dr prof sen rep gov gen lt col capt sgt st")
_DATE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+\d{1,2}\b"
    r"|\b\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December)\b"
)
# "\b(?:19|20)\d{2}\b", written to start with its literal digits so that the regex engine skips
# ahead to them; the lookbehind is the leading \b (no word character before the year).
_YEAR = re.compile(r"(?:19|20)(?<!\w..)\d{2}\b")
_HAS_DIGIT = re.compile(r"\d")
_DATE_LINE_WORDS = lexicon.DATELINE_WORDS | lexicon.MONTHS | lexicon.WEEKDAYS
_SKIPPED_BEFORE_VERB = words(
    "be been have has not even also just then really ever never again get got being"
)
_CLAUSE_SPLIT = re.compile(r"\s[–—-]\s|;|:\s|,\s+but\s")
_CLOSING_MARKS = '"”’»)] \t\n'  # may follow the final punctuation of a sentence
_CLAUSE_HINT = re.compile(r"[–—;:-]")  # with ", but ": cheap tests before _CLAUSE_SPLIT
# Lines that introduce page furniture, tried with one anchored match.
_PAGE_LINE = re.compile(
    r"""(?P<dateline>(?:status|updated|published|posted|last\s+updated|date|created)\s*:)
    | (?P<credit>(?:photo|image|picture|video|credit|source|foto)s?\s*(?:credit)?\s*:)
    | (?P<link>(?:related|read\s+more|see\s+also|more\s+on\s+this|recommended|watch|listen
        |also\s+read|advertisement)\b)
    | (?P<byline>(?:by|text|words|reporting|von|par)\s+[A-Z])""",
    re.X | re.I,
)
_PAGE_LINE_REASONS = {
    "dateline": "boilerplate: date line",
    "credit": "boilerplate: credit line",
    "link": "boilerplate: link to other pages",
    "byline": "boilerplate: byline",
}

_FRAGMENT_WORDS = 8  # a line this short without a full stop is a label, not a statement
_BOILERPLATE_WORDS = 15

_EVENT_NOUN_PHRASES = PhraseSet(lexicon.EVENT_NOUN_PHRASES)
_WHEREABOUTS = PhraseSet(lexicon.WHEREABOUTS_PHRASES)
_SPECULATION_PHRASES = PhraseSet(lexicon.SPECULATION_PHRASES)
_RECOMMENDATION_PHRASES = PhraseSet(lexicon.RECOMMENDATION_PHRASES)
_FUTURE_PHRASES = PhraseSet(lexicon.FUTURE_PHRASES)
_EVALUATION_PHRASES = PhraseSet(lexicon.EVALUATION_PHRASES)
_SCENE_PHRASES = PhraseSet(lexicon.SCENE_PHRASES)
_GOVERNMENT_PHRASES = PhraseSet(lexicon.GOVERNMENT_PHRASES)
_BOILERPLATE_PHRASES = PhraseSet(lexicon.BOILERPLATE_PHRASES)
# Officials and forces as actors in a sentence; "state" and "court" are too often other words.
_ACTORS = lexicon.GOVERNMENT_WORDS - {"state", "court", "courts", "office", "agency"}


def _inflect(lemma: str, irregular: tuple[str, str] | None) -> tuple[set[str], set[str]]:
    """Return (real forms, base forms) of a verb: "arrested", "arrests", "arresting" / "arrest"."""
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        third = lemma + "es"
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        third = lemma[:-1] + "ies"
    else:
        third = lemma + "s"
    if irregular:
        past, participle = irregular
    elif lemma.endswith("e"):
        past = participle = lemma + "d"
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        past = participle = lemma[:-1] + "ied"
    else:
        past = participle = lemma + "ed"
    if lemma.endswith("ie"):
        gerund = lemma[:-2] + "ying"
    elif lemma.endswith("e") and not lemma.endswith("ee"):
        gerund = lemma[:-1] + "ing"
    elif past.endswith(lemma[-1] * 2 + "ed") or lemma in ("cut", "shut", "win", "begin"):
        gerund = lemma + lemma[-1] + "ing"
    else:
        gerund = lemma + "ing"
    return {past, participle, third, gerund}, {lemma}


def _verb_table() -> dict[str, tuple[str, bool]]:
    """Map each verb form to (weight name, is_real_form)."""
    table: dict[str, tuple[str, bool]] = {}
    groups = ((lexicon.EVENT_VERBS, "event"), (lexicon.STRONG_EVENT_VERBS, "strong_event"))
    for verbs, strength in groups:
        for lemma, irregular in verbs.items():
            strength_here = "weak_event" if lemma in lexicon.WEAK_EVENT_VERBS else strength
            real, base = _inflect(lemma, irregular)
            for form in real:
                gerund_or_third = form.endswith(("ing", "s"))
                weight = "event" if strength_here == "strong_event" and gerund_or_third else None
                table[form] = (weight or strength_here, True)
            for form in base:
                table.setdefault(form, (strength_here, False))
    return table


_VERBS = _verb_table()


def assess(
    text: str,
    start: int,
    end: int,
    tokens: list[Token],
    lowers: list[str],
    quantities: list[Quantity] | tuple[Quantity, ...],
    has_official_source: str = "",
    known_names: frozenset[str] | set[str] = frozenset(),
    source_tags: list[tuple[int, int]] | tuple = (),
    has_digit: bool | None = None,
    phrase_starts: list[int] | None = None,
) -> Assessment:
    """Score one sentence `text[start:end]`.

    Inputs: the sentence's tokens, their lowercase words, and its quantities (offsets absolute
    in `text`); when an official, organisation or outlet is reported as speaking in it, the
    words that say so; names already seen in the text (so a sentence may start with one and
    still count it); the spans naming sources ("says Marta Koval"), whose names are not the
    claim's content; whether the sentence has a digit and the token indexes where a pair of
    PHRASE_PAIRS starts, when the caller knows them.
    Output: score in [0, 1] (0.5 and above is check-worthy), label, reasons, and the names
    used mid-sentence (for the caller's `known_names`).
    """
    sentence = text[start:end]
    if has_digit is None:
        has_digit = _HAS_DIGIT.search(sentence) is not None
    boilerplate = _boilerplate_reason(sentence, lowers, has_digit)
    if boilerplate:
        return Assessment(0.02, NFS, (boilerplate,))
    final_mark = sentence.rstrip(_CLOSING_MARKS)[-1:]
    is_fragment = final_mark not in _STOPS and len(tokens) <= _FRAGMENT_WORDS
    if phrase_starts is None:
        phrase_starts = pair_starts(lowers, PHRASE_PAIRS)
    features = _features(
        sentence,
        start,
        tokens,
        lowers,
        quantities,
        is_fragment,
        known_names,
        has_digit,
        phrase_starts,
    )
    # Groups tested with `in` over map(): a loop in C rather than a generator per sentence.
    has_names = "name" in map(_GROUP, features)
    if source_tags and has_names:
        features = [
            f for f in features if f.group != "name" or not _inside(f.position, source_tags)
        ]
    if has_official_source:
        features.append(
            _Feature("official_source", _WEIGHTS["official_source"], start, has_official_source)
        )
    raw = _best_clause_score(sentence, start, features)
    # Strongest first; the sort is stable, so features of equal strength keep their order.
    reasons = tuple(map(_REASON, sorted(features, key=_STRENGTH)))
    names = (
        tuple(f.reason.removeprefix("name: ") for f in features if f.group == "name")
        if has_names
        else ()
    )
    if final_mark == "?":
        return Assessment(round(min(_squash(raw), 0.1), 3), NFS, ("question", *reasons), names)
    label = _label(raw, features, is_fragment)
    score = _squash(raw)
    if is_fragment and label == NFS:
        reasons = ("line without a full stop", *reasons)
    return Assessment(round(score, 3), label, reasons, names)


def _inside(position: int, spans: list[tuple[int, int]] | tuple) -> bool:
    """True when `position` falls in one of the half-open `spans`."""
    return any(start <= position < end for start, end in spans)


def _ends_with_stop(sentence: str) -> bool:
    """True when the sentence ends with . ! ? or …, possibly followed by closing quotes."""
    return sentence.rstrip(_CLOSING_MARKS)[-1:] in _STOPS


_STOPS = frozenset((".", "!", "?", "…"))


def _label(raw: float, features: list[_Feature], is_fragment: bool) -> str:
    """CFS from the threshold up; below it NFS if a non-factual signal fired, else UFS."""
    if raw >= THRESHOLD:
        return CFS
    if is_fragment or not _NON_FACTUAL.isdisjoint(map(_GROUP, features)):
        return NFS
    return UFS


def _squash(raw: float) -> float:
    """Map a raw score to (0, 1) with THRESHOLD at 0.5."""
    return 1.0 / (1.0 + math.exp(-_STEEPNESS * (raw - THRESHOLD)))


def _boilerplate_reason(sentence: str, lowers: list[str], has_digit: bool) -> str:
    """Reason why a sentence is page furniture rather than content, or ""."""
    if not lowers:
        return "boilerplate: no words"
    if len(lowers) > _BOILERPLATE_WORDS:
        return ""  # page furniture is short; long sentences skip every test below
    line = _PAGE_LINE.match(sentence)
    kind = line.lastgroup if line else None  # each alternative is a named group
    if kind and (kind != "byline" or (len(lowers) <= 10 and not _ends_with_stop(sentence))):
        return _PAGE_LINE_REASONS[kind]
    if _DATE_LINE_WORDS.issuperset(lowers) and has_digit:
        return "boilerplate: date line"
    if "©" in sentence or "copyright" in lowers:
        return "boilerplate: copyright"
    if _BOILERPLATE_PHRASES.find(lowers):
        return "boilerplate: page element"
    if len(lowers) <= 4 and lexicon.BOILERPLATE_LINE_WORDS.issuperset(lowers):
        return "boilerplate: menu or share line"
    return ""


def _features(
    sentence: str,
    start: int,
    tokens: list[Token],
    lowers: list[str],
    quantities: list[Quantity] | tuple[Quantity, ...],
    is_fragment: bool,
    known_names: frozenset[str] | set[str],
    has_digit: bool,
    phrase_starts: list[int],
) -> list[_Feature]:
    """Every feature that fires in the sentence, each with its position and reason."""
    features = list(map(_quantity_feature, quantities))
    if has_digit:
        features += _calendar_features(sentence, start, lowers)
    phrase_features, covered = _phrase_features(tokens, lowers, phrase_starts)
    features += phrase_features
    # The hot loop of the engine. compress() picks the words that fire in C, in order; Python
    # only sees those, so a long sentence of ordinary words costs almost nothing here.
    fired = list(compress(count(), map(_FEATURE_WORDS.__contains__, lowers)))
    for index in fired:
        if index not in covered:
            feature = _word_feature(tokens, lowers, index, is_fragment)
            if feature:
                features.append(feature)
    initials = map(_FIRST_CHARACTER, map(_TOKEN_TEXT, tokens[1:]))
    capitalised = [i for i in compress(count(1), map(str.isupper, initials)) if i not in fired]
    if tokens and tokens[0].text in known_names and 0 not in fired:
        capitalised.insert(0, 0)  # a sentence may start with a name seen earlier
    if capitalised and not _is_title_case(tokens):
        for index in capitalised:
            if index not in covered and _is_named_entity(
                sentence, start, tokens, index, known_names
            ):
                token = tokens[index]
                features.append(
                    _Feature("name", _WEIGHTS["name"], token.start, f"name: {token.text}")
                )
    if "future" in map(_GROUP, features):
        features = _discount_predicted_numbers(sentence, start, features)
    return features


def _discount_predicted_numbers(
    sentence: str, start: int, features: list[_Feature]
) -> list[_Feature]:
    """Numbers in a clause that predicts ("expect 40 mm of rain", "two will reopen") weigh less.

    A forecast is not yet checkable; the figure in it is a prediction, not a count.
    """
    cuts = _clause_cuts(sentence, start)
    future_clauses = {bisect_right(cuts, f.position) for f in features if f.group == "future"}
    discounted = []
    for feature in features:
        if feature.group == "number" and bisect_right(cuts, feature.position) in future_clauses:
            reason = feature.reason.replace("number:", "predicted number:", 1)
            feature = feature._replace(weight=_WEIGHTS["predicted_number"], reason=reason)
        discounted.append(feature)
    return discounted


def _clause_cuts(sentence: str, start: int) -> list[int]:
    """Offsets (absolute) where a new clause starts: after a dash, semicolon, colon, ", but"."""
    if not _CLAUSE_HINT.search(sentence) and ", but " not in sentence:
        return []  # most sentences: decided by substring tests, without a regex scan
    return [start + m.end() for m in _CLAUSE_SPLIT.finditer(sentence)]


_TOKEN_TEXT = itemgetter(2)  # Token.text, for map() over tokens
_FIRST_CHARACTER = itemgetter(0)
_GROUP = itemgetter(0)  # _Feature.group, for map() over features
_WEIGHT = itemgetter(1)  # _Feature.weight
_REASON = itemgetter(3)  # _Feature.reason


def _STRENGTH(feature: _Feature) -> float:
    """Sort key putting the strongest features, for or against, first."""
    return -abs(feature.weight)


def _calendar_features(sentence: str, start: int, lowers: list[str]) -> list[_Feature]:
    """A day of a month or a year, in a sentence with a digit: the claim says when."""
    features = (
        []
        if lexicon.MONTHS.isdisjoint(lowers)
        else [
            _Feature("time", _WEIGHTS["date"], start + m.start(), f"date: {m.group()}")
            for m in _DATE.finditer(sentence)
        ]
    )
    features += [
        _Feature("time", _WEIGHTS["time"], start + m.start(), f"year: {m.group()}")
        for m in _YEAR.finditer(sentence)
    ]
    return features


def _quantity_feature(quantity: Quantity) -> _Feature:
    """A number makes a claim checkable; an age much less so."""
    weight = _WEIGHTS["age"] if quantity.kind == "age" else _WEIGHTS["number"]
    return _Feature("number", weight, quantity.start, f"number: {quantity.text}")


def _word_feature(
    tokens: list[Token], lowers: list[str], index: int, is_fragment: bool
) -> _Feature | None:
    """The feature a single word fires, if any."""
    word, token = lowers[index], tokens[index]
    if word in _VERBS:
        return _verb_feature(tokens, lowers, index, is_fragment)
    if word in lexicon.STRONG_STATES:
        return _Feature("event", _WEIGHTS["strong_event"], token.start, f"event: {token.text}")
    group = _WORD_GROUP_OF.get(word)
    if group is None:
        return None
    if group == "speculation" and index >= _LATE_HEDGE:
        # "The fire started on Saturday, probably from a spark": a hedge late in the sentence
        # qualifies a detail, not the whole claim.
        return _Feature(group, _WEIGHTS["late_speculation"], token.start, f"hedge: {token.text}")
    if group == "time" and not token.text[0].isupper() and word in lexicon.MONTHS:
        return None  # "may", "march" in lowercase are not months
    return _Feature(group, _WEIGHTS[group], token.start, f"{_LABELS[group]}: {token.text}")


_WORD_GROUPS = (
    ("event_noun", lexicon.EVENT_NOUNS),
    ("actor", _ACTORS),
    ("feeling", lexicon.FEELING_WORDS),
    ("speculation", lexicon.SPECULATION_WORDS),
    ("hedge", lexicon.MILD_HEDGE_WORDS),
    ("wish", lexicon.DESIRE_WORDS),
    ("recommendation", lexicon.RECOMMENDATION_WORDS),
    ("future", lexicon.FUTURE_WORDS | lexicon.FORECAST_WORDS),
    ("evaluation", lexicon.EVALUATION_WORDS),
    ("scene", lexicon.SCENE_WORDS),
    ("time", lexicon.MONTHS | lexicon.WEEKDAYS | lexicon.RELATIVE_DAYS),
)
# One dictionary look-up per word instead of one per list: the first list naming a word wins.
_WORD_GROUP_OF: dict[str, str] = {}
for _group, _words in reversed(_WORD_GROUPS):
    _WORD_GROUP_OF.update(dict.fromkeys(_words, _group))

_FEATURE_WORDS = frozenset(_VERBS) | frozenset(_WORD_GROUP_OF) | lexicon.STRONG_STATES

_LABELS = {
    "event": "event",
    "event_noun": "event",
    "actor": "actor",
    "feeling": "feeling",
    "speculation": "speculation",
    "hedge": "hedge",
    "wish": "wish",
    "recommendation": "recommendation",
    "future": "prediction",
    "evaluation": "opinion",
    "scene": "scene-setting",
    "time": "time",
}


def _verb_feature(
    tokens: list[Token], lowers: list[str], index: int, is_fragment: bool
) -> _Feature:
    """An event verb, weighted by whether it happened ("were arrested") or not ("will be")."""
    word, token = lowers[index], tokens[index]
    strength, is_real_form = _VERBS[word]
    if index and lowers[index - 1] in _DETERMINERS and word.endswith("s"):
        # "the arrests", "mass protests": a plural noun, not a verb in the present tense.
        return _Feature("event_noun", _WEIGHTS["event_noun"], token.start, f"event: {token.text}")
    previous = _previous_meaningful(lowers, index)
    if previous in _UNREAL_BEFORE:
        return _Feature(
            "event", _WEIGHTS["unreal_event"], token.start, f"unreal event: {token.text}"
        )
    if not is_real_form and word in lexicon.EVENT_NOUNS:
        return _Feature("event_noun", _WEIGHTS["event_noun"], token.start, f"event: {token.text}")
    if not is_real_form and previous not in _DENIAL_BEFORE and not is_fragment:
        return _Feature("event", _WEIGHTS["unreal_event"], token.start, f"event word: {token.text}")
    if strength == "weak_event" and not set(lowers[max(0, index - 2) : index]).isdisjoint(
        lexicon.EVENT_NOUNS
    ):
        strength = "event"  # "the strike began", "the fire started": an event noun's verb
    return _Feature("event", _WEIGHTS[strength], token.start, f"event: {token.text}")


def _previous_meaningful(lowers: list[str], index: int) -> str:
    """The word before `index`, skipping "be", "been", "not", "even" and the like."""
    position = index - 1
    while position >= 0 and lowers[position] in _SKIPPED_BEFORE_VERB:
        position -= 1
    return lowers[position] if position >= 0 else ""


def _is_named_entity(
    sentence: str,
    start: int,
    tokens: list[Token],
    index: int,
    known_names: frozenset[str] | set[str],
) -> bool:
    """A capitalised word that does not merely start the sentence or a quotation."""
    token = tokens[index]
    if not token.is_capitalised or len(token.text) < 2:
        return False
    if token.lower in lexicon.STOPWORDS or token.lower in _NOT_NAMES:
        return False
    if index == 0:
        return token.text in known_names
    before = sentence[tokens[index - 1].end - start : token.start - start]
    return before.rstrip()[-1:] not in _SENTENCE_OPENERS or token.text in known_names


def _is_title_case(tokens: list[Token]) -> bool:
    """A headline in Title Case: most longer words (over three letters) capitalised."""
    texts = list(map(_TOKEN_TEXT, tokens))
    is_long = list(map(_THREE.__lt__, map(len, texts)))  # counted in C, not word by word
    long_words = sum(is_long)
    if long_words < 3:
        return False
    capitalised = sum(map(str.isupper, map(_FIRST_CHARACTER, compress(texts, is_long))))
    return capitalised >= 0.7 * long_words


_THREE = 3


_PHRASE_GROUPS = (
    (PhraseSet(lexicon.STRONG_EVENT_PHRASES), "event", "event"),
    (_EVENT_NOUN_PHRASES, "event_noun", "event"),
    (_WHEREABOUTS, "event", "whereabouts unknown"),
    (_GOVERNMENT_PHRASES, "actor", "actor"),
    (_SPECULATION_PHRASES, "speculation", "speculation"),
    (_RECOMMENDATION_PHRASES, "recommendation", "recommendation"),
    (_FUTURE_PHRASES, "future", "prediction"),
    (_EVALUATION_PHRASES, "evaluation", "opinion"),
    (_SCENE_PHRASES, "scene", "scene-setting"),
)


# Every first word pair of a phrase above: where no such pair occurs, no phrase feature fires.
PHRASE_PAIRS: frozenset[tuple[str, str]] = frozenset().union(
    *(p.first_pairs for p, _, _ in _PHRASE_GROUPS)
)
# First word pair -> the groups with a phrase starting so, with their place in _PHRASE_GROUPS.
_PHRASE_GROUPS_BY_PAIR: dict[tuple[str, str], list[tuple[int, PhraseSet, str, str]]] = {}
for _order, _entry in enumerate(_PHRASE_GROUPS):
    for _pair in _entry[0].first_pairs:
        _PHRASE_GROUPS_BY_PAIR.setdefault(_pair, []).append((_order, *_entry))


def _phrase_features(
    tokens: list[Token], lowers: list[str], starts: list[int]
) -> tuple[list[_Feature], set[int]]:
    """Features fired by multi-word phrases, and the indexes of the tokens they cover.

    `starts`: the indexes where a pair of PHRASE_PAIRS starts. Also "analysed 46 videos"-style
    notes on how the reporting was done.
    """
    features: list[_Feature] = []
    covered: set[int] = set()
    if not starts and lexicon.METHOD_VERBS.isdisjoint(lowers):
        return features, covered  # most sentences: no phrase can start in them
    for _, first, last, group, label in _phrase_matches(lowers, starts):
        words = " ".join(t.text for t in tokens[first:last])
        is_strong = label == "whereabouts unknown" or group == "event"
        weight = _WEIGHTS["strong_event"] if is_strong else _WEIGHTS[group]
        features.append(_Feature(group, weight, tokens[first].start, f"{label}: {words}"))
        if group in ("event", "event_noun", "actor"):
            covered.update(range(first, last))
    if lexicon.METHOD_VERBS.isdisjoint(lowers):
        return features, covered
    features += _method_features(tokens, lowers)
    return features, covered


def _phrase_matches(lowers: list[str], starts: list[int]) -> list[tuple[int, int, int, str, str]]:
    """(group order, first, last, group, label) of each phrase found at `starts`, sorted.

    Only the groups with a phrase starting at a found pair are asked (as PhraseSet.find
    would answer them); sorted, the matches come group by group, each in text order.
    """
    found = []
    for index in starts:
        for order, phrases, group, label in _PHRASE_GROUPS_BY_PAIR[
            lowers[index], lowers[index + 1]
        ]:
            for length in phrases.lengths_up_to(len(lowers) - index):
                if tuple(lowers[index : index + length]) in phrases.phrases:
                    found.append((order, index, index + length, group, label))
    found.sort()
    return found


def _method_features(tokens: list[Token], lowers: list[str]) -> list[_Feature]:
    """ "analysed 46 videos": a method verb with a media object within three words."""
    return [
        _Feature("scene", _WEIGHTS["method"], tokens[index].start, f"method: {word}")
        for index, word in enumerate(lowers)
        if word in lexicon.METHOD_VERBS
        and set(lowers[index + 1 : index + 4]) & lexicon.MEDIA_OBJECT_WORDS
    ]


def _best_clause_score(sentence: str, start: int, features: list[_Feature]) -> float:
    """The better of the whole sentence's score and its best clause's score."""
    best = _combine(features)
    if not features or min(map(_WEIGHT, features)) >= 0:
        return best  # without a hedge no clause can beat the whole sentence
    cuts = _clause_cuts(sentence, start)
    if not cuts:
        return best
    clauses: dict[int, list[_Feature]] = {}
    for feature in features:
        clauses.setdefault(bisect_right(cuts, feature.position), []).append(feature)
    for clause_features in clauses.values():
        best = max(best, _combine(clause_features))
    return best


def _combine(features: list[_Feature]) -> float:
    """Sum features group by group: the strongest counts fully, the rest partly, up to a cap."""
    if not features:
        return 0.0
    by_group: dict[str, list[float]] = {}
    for group, weight, _, _ in features:
        weights = by_group.get(group)
        if weights is None:
            by_group[group] = [weight]
        else:
            weights.append(weight)
    total = 0.0
    for group, weights in by_group.items():
        rest_share, cap = _GROUPS[group]
        if len(weights) == 1:
            value = weights[0]  # what the general formula gives: weight + share * 0
        else:
            weights.sort(key=abs, reverse=True)
            value = weights[0] + rest_share * sum(weights[1:])
        total += min(value, cap) if cap > 0 else max(value, cap)
    return total
