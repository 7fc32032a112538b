"""Who asserts a sentence: witness, reporter, government, organization, media or unknown.

Two things decide it:

- quotation marks, tracked across sentences: a sentence mostly inside a quotation belongs to
  whoever the quotation is attributed to ("… ,” he says.", "says Izbasarov", "The mayor said:"),
  found anywhere in the run of sentences the quotation spans; without an attribution, a quotation
  in testimony is the witness's;
- outside quotations, reported speech and hearsay: "police said", "according to Amnesty",
  "Reuters reported", "he heard" (a person's first-hand account), "it is said" (no source).
  A sentence with none of these is the reporter's narration.

Pronouns are resolved to the last person named as a source ("The president said … He added"),
and a name once seen after an official title ("President X") stays official.
"""

import re
from bisect import bisect_left
from itertools import compress, count, pairwise
from typing import NamedTuple

from .lexicon import (
    GOVERNMENT_PHRASES,
    GOVERNMENT_WORDS,
    HEARSAY_WORDS,
    MEDIA_NAME_ENDINGS,
    MEDIA_PHRASES,
    MEDIA_WORDS,
    ORGANIZATION_NAME_ENDINGS,
    ORGANIZATION_PHRASES,
    ORGANIZATION_WORDS,
    PERCEPTION_VERBS,
    PRONOUNS_PERSON,
    SPEECH_VERBS,
    SPOKESPERSON_WORDS,
    STOPWORDS,
    UNNAMED_SOURCE_WORDS,
    WITNESS_WORDS,
    words,
)
from .tokens import PhraseSet, Token

WITNESS = "witness"
REPORTER = "reporter"
GOVERNMENT = "government"
ORGANIZATION = "organization"
MEDIA = "media"
UNKNOWN = "unknown"
OFFICIAL_SPEAKERS = frozenset({GOVERNMENT, ORGANIZATION, MEDIA})

_QUOTE_MARK = re.compile(r"[“”„\"«»]")
_CLOSERS = {"“": "”", "„": "“”", "«": "»", '"': '"'}
_STRAY_CLOSERS = frozenset("”»")
_CLAUSE_BREAK = re.compile(r"[,;:–—()\"“”„«»]")
_SENTENCE_STOP = re.compile(r"[.!?]")
_COMMAS_ONLY = re.compile(r"[\s,\d]*,[\s,\d]*")  # ", 52, " between a name and its verb
_SUBJECT_REACH = 6  # tokens examined before a speech verb for its subject
_APPOSITIVE_REACH = 8  # the same across an appositive: "Dmitri Salov, 52, a driver, said"
_INVERTED_REACH = 4  # tokens examined after a verb in "said the minister"

# Words between a subject and its verb ("police have also said") that say nothing about who.
_AUXILIARIES = words(
    """has have had was were is are also then later again repeatedly reportedly allegedly
    officially publicly not never did does do recently first once previously earlier already
    just only still had been being would could can"""
)
_CONJUNCTIONS = words("and but or then so yet")
_HEARSAY_PASSIVE = words("said reported believed claimed alleged estimated thought rumoured")
# Verbs that can precede their subject: `,” said the minister`; not "told", whose object follows.
_INVERTING_VERBS = words(
    """says said adds added explains explained recalls recalled insists insisted writes wrote
    asks asked emphasizes emphasized emphasises emphasised stresses stressed notes noted
    continues continued repeats repeated warns warned"""
)
_TITLE_WORDS = words(
    """president minister prime governor mayor general colonel commander chief judge prosecutor
    senator ambassador spokesman spokeswoman spokesperson officer sheriff chancellor premier"""
)

_GOVERNMENT_PHRASES = PhraseSet(GOVERNMENT_PHRASES)
_ORGANIZATION_PHRASES = PhraseSet(ORGANIZATION_PHRASES)
_MEDIA_PHRASES = PhraseSet(MEDIA_PHRASES)
# Organisation words that name a specific institution, as against "group", "union".
_NAMED_ORGANIZATIONS = words("amnesty ngo ngos unicef unhcr unesco ombudsman")


_TRIGGERS = SPEECH_VERBS | PERCEPTION_VERBS | HEARSAY_WORDS | {"according"}


class QuoteProfile(NamedTuple):
    """Quotation marks in one sentence: the quoted spans and the state after it."""

    inside: tuple[tuple[int, int], ...]
    is_inside_at_end: bool
    quoted_share: float


class Mention(NamedTuple):
    """A source named in a sentence: its category and the words that name it."""

    category: str
    cue: str
    kind: str  # "speech", "perception", "according", "hearsay"
    start: int  # offsets of the cue in the text
    end: int


def quote_profile(
    text: str, start: int, end: int, is_inside_at_start: bool, marks: list[int] | None = None
) -> QuoteProfile:
    """Find the quoted parts of `text[start:end]`, given whether a quotation was already open.

    A closing mark with no opening one means the quotation began before the sentence (the
    previous paragraph left it open); the sentence is then quoted up to that mark. `marks`,
    the offsets of the quotation marks in the span, may be passed when the caller has them
    (`quote_marks()` finds them in a whole text at once).
    """
    if marks is None:
        marks = [match.start() for match in _QUOTE_MARK.finditer(text, start, end)]
    if not is_inside_at_start and not marks:
        return _NO_QUOTES
    inside: list[tuple[int, int]] = []
    is_inside = is_inside_at_start
    opened_at, closer = start, "”"
    for position in marks:
        mark = text[position]  # every quotation mark is one character
        if is_inside and mark in closer:
            inside.append((opened_at, position + 1))
            is_inside = False
        elif not is_inside and mark in _CLOSERS:
            is_inside, opened_at, closer = True, position, _CLOSERS[mark]
        elif not is_inside and mark in _STRAY_CLOSERS and not inside:
            inside.append((start, position + 1))
    if is_inside:
        inside.append((opened_at, end))
    quoted = sum(e - s for s, e in inside)
    return QuoteProfile(tuple(inside), is_inside, quoted / max(1, end - start))


_NO_QUOTES = QuoteProfile((), False, 0.0)


def quote_marks(text: str) -> list[int]:
    """Offsets of every quotation mark in `text`, for `quote_profile()`."""
    return [match.start() for match in _QUOTE_MARK.finditer(text)]


def split_by_quotes(tokens: list[Token], profile: QuoteProfile) -> tuple[list[Token], list[Token]]:
    """Return (tokens outside quotation marks, tokens inside), each in order."""
    starts = [t.start for t in tokens]
    outside, inside = [], []
    previous_end = 0
    for quote_start, quote_end in profile.inside:
        first, last = bisect_left(starts, quote_start), bisect_left(starts, quote_end)
        outside += tokens[previous_end:first]
        inside += tokens[first:last]
        previous_end = last
    outside += tokens[previous_end:]
    return outside, inside


class SourceFinder:
    """Find named sources in sentences, remembering people across the text."""

    def __init__(self, text: str, known_names: set[str] | None = None):
        """`known_names`: names seen mid-sentence so far (the caller keeps it up to date), so
        that a sentence starting with one ("Okafor said") is still read as naming a person."""
        self.text = text
        self.last_person = WITNESS
        self.officials: set[str] = set()
        self.names = known_names if known_names is not None else set()
        self.sentence_start = 0

    def learn(self, tokens: list[Token], lowers: list[str], sentence_start: int) -> None:
        """Start reading a new sentence; remember officials named by title in it."""
        self.sentence_start = sentence_start
        if _TITLE_WORDS.isdisjoint(lowers):
            return
        for index in compress(count(), map(_TITLE_WORDS.__contains__, lowers[:-1])):
            for following in tokens[index + 1 : index + 4]:
                if not following.is_capitalised or following.lower in STOPWORDS:
                    break
                self.officials.add(following.lower)

    def mentions(self, tokens: list[Token], lowers: list[str] | None = None) -> list[Mention]:
        """Return the sources named by `tokens` (one sentence, or its unquoted part), in order.

        `lowers`, the tokens' lowercase words, may be passed when the caller has them.
        """
        if lowers is None:
            lowers = [t.lower for t in tokens]
        if _TRIGGERS.isdisjoint(lowers):
            return []  # most sentences name no source; decided without a Python loop
        found = []
        # Only the trigger words are visited, picked in C.
        for index in compress(count(), map(_TRIGGERS.__contains__, lowers)):
            word = lowers[index]
            if index and self.text[tokens[index - 1].end : tokens[index].start] == "-":
                continue  # "so-called", "long-awaited": part of a compound, not a verb
            if lowers[index - 2 : index] == ["according", "to"]:
                continue  # "according to estimates": the source, not a verb
            if word in SPEECH_VERBS or word in PERCEPTION_VERBS:
                mention = self._verb_mention(tokens, lowers, index)
            elif word == "according" and index + 1 < len(lowers) and lowers[index + 1] == "to":
                mention = self._according_mention(tokens, lowers, index)
            elif word in HEARSAY_WORDS:
                token = tokens[index]
                mention = Mention(UNKNOWN, token.text, "hearsay", token.start, token.end)
            else:
                continue
            if mention:
                found.append(mention)
        return found

    def _verb_mention(self, tokens: list[Token], lowers: list[str], index: int) -> Mention | None:
        """Source of a speech or perception verb: the subject before it or after it."""
        if (index and lowers[index - 1] in _NEGATIONS) or lowers[index - 2 : index] in _REFUSALS:
            return None  # "did not say", "declined to say": nobody asserts anything
        verb = tokens[index]
        is_perception = lowers[index] in PERCEPTION_VERBS and lowers[index] not in SPEECH_VERBS
        if _is_impersonal_passive(lowers, index):
            first = tokens[index - 2]
            return Mention(UNKNOWN, self._cue(first, verb), "hearsay", first.start, verb.end)
        subject = self._subject_before(tokens, index)
        if not subject and lowers[index] in _INVERTING_VERBS and self._starts_clause(tokens, index):
            subject = self._subject_after(tokens, index)
        if not subject and is_perception:
            subject = tokens[:1] if tokens and tokens[0].lower in PRONOUNS_PERSON else []
        if not subject:
            return None
        category = self.classify(subject)
        if category is None or (is_perception and category not in (WITNESS, GOVERNMENT)):
            return None
        first, last = min(subject[0], verb), max(subject[-1], verb)  # tokens order by offset
        kind = "perception" if is_perception else "speech"
        return Mention(category, self._cue(first, last), kind, first.start, last.end)

    def _according_mention(
        self, tokens: list[Token], lowers: list[str], index: int
    ) -> Mention | None:
        """ "according to police", "according to estimates"."""
        subject = self._words_after(tokens, index + 1, _INVERTED_REACH + 1)
        if not subject:
            return None
        category = self.classify(subject)
        if category is None:
            return None
        first, last = tokens[index], subject[-1]
        return Mention(category, self._cue(first, last), "according", first.start, last.end)

    def _subject_before(self, tokens: list[Token], index: int) -> list[Token]:
        """Up to six words before a verb, stopping at clause punctuation.

        When only commas separate the verb from what precedes it ("Dmitri Salov, 52, said"),
        the walk crosses them, so an appositive does not hide the subject.
        """
        subject: list[Token] = []
        position = index - 1
        reach = _SUBJECT_REACH
        gap = self._gap(tokens, position) if position >= 0 else " "
        if gap != " " and _COMMAS_ONLY.fullmatch(gap):  # a single space has no comma
            reach = _APPOSITIVE_REACH
        while position >= 0 and len(subject) < reach:
            gap = self._gap(tokens, position)
            # A single space is the usual gap: decided without a regex.
            is_break = gap != " " and _CLAUSE_BREAK.search(gap)
            if is_break and not (reach == _APPOSITIVE_REACH and _COMMAS_ONLY.fullmatch(gap)):
                break
            if tokens[position].lower not in _AUXILIARIES or subject:
                subject.append(tokens[position])
            position -= 1
        subject.reverse()
        while subject and subject[0].lower in _CONJUNCTIONS:
            subject = subject[1:]
        # "that he saw": the subject is the pronoun or name after "that", not the clause head;
        # but in "the company that manages the bridge said" the subject is the whole phrase.
        for offset in range(len(subject) - 2, -1, -1):
            if subject[offset].lower in _CLAUSE_OPENERS and _is_subject_word(subject[offset + 1]):
                return subject[offset + 1 :]
        return subject

    def _gap(self, tokens: list[Token], position: int) -> str:
        """The characters between token `position` and the next one."""
        return self.text[tokens[position].end : tokens[position + 1].start]

    def _starts_clause(self, tokens: list[Token], index: int) -> bool:
        """True when a verb opens its clause: `,” said Izbasarov`, `– says the minister`."""
        if index == 0:
            return True
        gap = self.text[tokens[index - 1].end : tokens[index].start]
        return bool(_CLAUSE_BREAK.search(gap))

    def _subject_after(self, tokens: list[Token], index: int) -> list[Token]:
        """The subject of an inverted tag: `said the minister`."""
        return self._words_after(tokens, index, _INVERTED_REACH)

    def _words_after(self, tokens: list[Token], index: int, reach: int) -> list[Token]:
        """Up to `reach` words after token `index`, stopping at clause punctuation."""
        words: list[Token] = []
        position = index + 1
        while position < len(tokens) and len(words) < reach:
            gap = self.text[tokens[position - 1].end : tokens[position].start]
            if gap != " " and (_CLAUSE_BREAK.search(gap) or _SENTENCE_STOP.search(gap)):
                break
            words.append(tokens[position])
            position += 1
        return words

    def classify(self, words: list[Token]) -> str | None:
        """Category of the source named by `words`, or None when they name no source.

        The head of the phrase decides first: in "doctors at two hospitals" the source is the
        doctors, so only the words before the first preposition are read, then all of them.
        """
        lowers = [w.lower for w in words]
        collective = _is_collective(words, lowers)
        if not _PREPOSITIONS.isdisjoint(lowers[1:]):
            for position, word in enumerate(lowers):
                if word in _PREPOSITIONS and position:
                    head = self._classify_words(words[:position], lowers[:position], collective)
                    if head:
                        return head
                    break
        return self._classify_words(words, lowers, collective)

    def _classify_words(
        self, words: list[Token], lowers: list[str], collective: bool
    ) -> str | None:
        """Category named by `words` (media, organisation, government, witness, ...) or None."""
        present = set(lowers)
        # Institutions first: a phrase that names one speaks for it, whoever else it names.
        category = self._institution(words, lowers, present, collective)
        if category is None:
            category = self._person(words, lowers, present)
        return category

    def _institution(
        self, words: list[Token], lowers: list[str], present: set[str], collective: bool
    ) -> str | None:
        """Media, organisation or government named by `words`, or None."""
        named_endings = {w.lower for w in words if w.is_capitalised}
        if (
            present & MEDIA_WORDS
            or _MEDIA_PHRASES.find(lowers)
            or named_endings & MEDIA_NAME_ENDINGS
        ):
            return MEDIA
        if present & _NAMED_ORGANIZATIONS or _ORGANIZATION_PHRASES.find(lowers):
            return ORGANIZATION
        if present & GOVERNMENT_WORDS or _GOVERNMENT_PHRASES.find(lowers):
            return self._remember(GOVERNMENT, words)
        if present & self.officials:
            return self._remember(GOVERNMENT, words)
        if named_endings & ORGANIZATION_NAME_ENDINGS:
            return ORGANIZATION
        if present & ORGANIZATION_WORDS and not collective:
            return ORGANIZATION  # "the teachers' union", not "a group of residents"
        return None

    def _person(self, words: list[Token], lowers: list[str], present: set[str]) -> str | None:
        """Witness, spokesperson, unnamed source, pronoun or name in `words`, or None."""
        if present & WITNESS_WORDS:
            return self._remember(WITNESS, words)
        if present & SPOKESPERSON_WORDS:
            return GOVERNMENT
        if present & UNNAMED_SOURCE_WORDS or lowers[-1:] == ["it"]:
            return UNKNOWN
        if present & {"he", "she", "him", "her"}:
            return self.last_person
        if present & {"i", "we", "they", "me", "us", "them"}:
            return WITNESS
        if any(self._is_name(w) for w in words):
            return self._remember(WITNESS, words)
        if len(words) == 1 and words[0].text[0].isupper() and words[0].lower not in STOPWORDS:
            # One capitalised word right before "says", even first in its sentence, is a name:
            # category words ("Police", "Officials") were recognised above.
            return self._remember(WITNESS, words)
        return None

    def _is_name(self, token: Token) -> bool:
        """Capitalised, not a function word, and not merely the first word of the sentence."""
        if not token.text[0].isupper() or token.lower in STOPWORDS:
            return False
        return token.start != self.sentence_start or token.text in self.names

    def _remember(self, category: str, words: list[Token]) -> str:
        """Record the category of a person named as a source, for later pronouns."""
        if any(self._is_name(w) or w.lower in _TITLE_WORDS for w in words):
            self.last_person = category
        return category

    def _cue(self, first: Token, last: Token) -> str:
        """The words from `first` to `last` as one line, for reasons."""
        return " ".join(self.text[first.start : last.end].split())


_NEGATIONS = words("not never didn't doesn't don't won't wouldn't cannot can't couldn't")
_REFUSALS = (["declined", "to"], ["refused", "to"])
_TAG_TAIL = ' .,!?"”’»)'  # what may follow a closing speech tag
_CLAUSE_OPENERS = words("that what how which who when")


def _is_subject_word(token: Token) -> bool:
    """A pronoun or a name: what can open a clause as its subject."""
    return token.lower in PRONOUNS_PERSON or (token.is_capitalised and token.lower not in STOPWORDS)


def _is_collective(words: list[Token], lowers: list[str]) -> bool:
    """ "a group of residents", "groups of workers": a number of people, not an institution."""
    if "of" not in lowers:
        return False
    return any(
        word.lower in ("group", "groups") and following.lower == "of"
        for word, following in pairwise(words)
    )


_PREPOSITIONS = words("at from of in for with on near by outside inside under")


def _is_impersonal_passive(lowers: list[str], index: int) -> bool:
    """ "it is said", "it was reported", "it is believed": a claim with no named source."""
    return (
        index >= 2
        and lowers[index] in _HEARSAY_PASSIVE
        and lowers[index - 1] in ("is", "was", "has", "been")
        and lowers[index - 2] in ("it", "is", "was", "has")
        and "it" in lowers[max(0, index - 3) : index]
    )


def speaker_of_run(mentions: list[Mention]) -> tuple[str, str]:
    """Speaker of a quotation from the mentions found outside it: (category, reason)."""
    for mention in mentions:
        if mention.kind in ("speech", "according") and mention.category != UNKNOWN:
            return mention.category, f"quotation attributed: {mention.cue}"
    return WITNESS, "quotation without attribution"


def speaker_of_statement(mentions: list[Mention], text: str, end: int) -> tuple[str, str]:
    """Speaker of an unquoted sentence ending at `end`: a named source, hearsay, or the reporter.

    A tag closing the sentence (", she says.") frames all of it, so it wins over a source
    named earlier ("Doctors told her …, she says." is her account).
    """
    for mention in mentions:
        is_closing_tag = not text[mention.end : end].strip(_TAG_TAIL)
        if is_closing_tag and mention.category != UNKNOWN:
            return mention.category, f"reported speech: {mention.cue}"
    for mention in mentions:
        if mention.category != UNKNOWN:
            return mention.category, f"reported speech: {mention.cue}"
    for mention in mentions:
        return UNKNOWN, f"no named source: {mention.cue}"
    return REPORTER, ""
