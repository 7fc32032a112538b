"""`extract()` for Russian and Kazakh (Cyrillic) texts: the same Sentence objects as English.

The English engine is tuned for speed and English cues; this one runs the Russian modules
(sentences_ru, quantities_ru, attribution_ru, checkworthiness_ru) in one simple pass. A
quotation that spans several sentences keeps one speaker: the source its sentences name, or the
witness when they name none.

A cue that points back ("там утверждают", "по её словам", "он пообещал") means the official
source of the sentence before when the pronoun agrees with its verb ("её" is not the police
who "заявили"), else an official the sentence before names by title, else a witness.

A sentence that names no source of its own is said by:
- the source its headline line gives it to ("МВД: задержаны 87 человек");
- else the source a speech cue named earlier in the same paragraph ("По данным акимата,
  подтоплены 312 домов. Эвакуированы 1 140 человек.");
- else the text's own voice, read from its header: an official statement whose byline names
  a body ("Пресс-служба акимата, 14 января") is that body's; a testimony, whose headline quotes
  a person ("«Вода дошла до окон»: жительница села о паводке") or says a person told it
  ("Жительница Жанаозена рассказала, как ..."), tells the witness's account in the reporter's
  words, so its narration is the witness's; anything else is the reporter's.
"""

from .attribution import GOVERNMENT, OFFICIAL_SPEAKERS, REPORTER, WITNESS
from .attribution_ru import (
    PERSONAL_PRONOUNS,
    Speaker,
    byline_speaker,
    headline_speaker,
    official_person_named,
    speaker_of,
    words_of,
)
from .checkworthiness_ru import assess_ru
from .quantities_ru import find_quantities_ru
from .sentence import Sentence
from .sentences_ru import SentenceSpan, sentence_spans_ru

_OPENING = "«„"
_CLOSING = "»“"
_QUOTED_SHARE = 0.5
_DASHES = "—–"
# The header a text's voice is read from: its first paragraphs.
_HEADER_PARAGRAPHS = 3


def extract_cyrillic(text: str) -> list[Sentence]:
    """Every sentence of a Russian or Kazakh `text`, in order, judged as extract() does."""
    sentences = []
    is_inside = False
    paragraph = -1
    run_speaker = ""
    previous_official = ""
    previous_cue = ""
    previous_words: list[str] = []
    paragraph_speaker = ""  # the source a speech cue named earlier in this paragraph
    spans = sentence_spans_ru(text)
    voice = _text_voice(text, spans)
    for span in spans:
        if span.paragraph != paragraph:
            is_inside, paragraph, run_speaker = False, span.paragraph, ""
            paragraph_speaker = ""
        sentence = text[span.start : span.end]
        quoted_share, is_inside_at_end = _quoted_share(sentence, is_inside)
        words = words_of(sentence)
        # A line opened by a dash is direct speech to its end: "— Да, видел. Их было десять."
        line_start = text.rfind("\n", 0, span.start) + 1
        is_quoted = (
            quoted_share >= _QUOTED_SHARE or text[line_start : span.end].lstrip()[:1] in _DASHES
        )
        speaker = speaker_of(sentence, words, is_quoted)
        if speaker.has_speech_cue and speaker.cue_refers_back:
            speaker = _pointed_back(speaker, previous_official, previous_cue, previous_words)
        if is_quoted and not speaker.has_speech_cue and run_speaker:
            speaker = speaker._replace(speaker=run_speaker, cue="quotation")
        if not speaker.has_speech_cue:
            speaker = _unnamed_source(text, span.start, span.end, speaker, paragraph_speaker, voice)
        else:
            paragraph_speaker = speaker.speaker
        if (is_inside_at_end and speaker.speaker != WITNESS) or speaker.has_speech_cue:
            run_speaker = speaker.speaker
        if not is_inside_at_end and not is_inside:
            run_speaker = ""
        quantities = tuple(find_quantities_ru(text, span.start, span.end))
        is_cued = speaker.has_speech_cue
        previous_official = (
            speaker.speaker if is_cued and speaker.speaker in OFFICIAL_SPEAKERS else ""
        )
        # "МВД: задержаны 87 человек": a headline's claim, given to the body, is official too.
        is_official = (
            is_cued or speaker.cue == "headline"
        ) and speaker.speaker in OFFICIAL_SPEAKERS
        previous_cue = speaker.cue
        previous_words = words
        assessment = assess_ru(sentence, words, quantities, is_official)
        reasons = assessment.reasons
        if speaker.cue:
            reasons = (*reasons, f"speaker: {speaker.speaker} ({speaker.cue})")
        sentences.append(
            Sentence(
                start=span.start,
                end=span.end,
                text=sentence,
                score=assessment.score,
                label=assessment.label,
                speaker=speaker.speaker,
                reasons=reasons,
                quantities=quantities,
            )
        )
        is_inside = is_inside_at_end
    return sentences


def _pointed_back(
    speaker: Speaker, previous_official: str, previous_cue: str, previous_words: list[str]
) -> Speaker:
    """The source a cue pointing back ("там утверждают", "по её словам", "он пообещал") means:
    the official source of the sentence before when the pronoun agrees with its verb, else an
    official the sentence before names by title ("вышел заместитель акима. Он пообещал"), else
    the person it was (a witness)."""
    if previous_official and _agrees(speaker.cue, previous_cue):
        return speaker._replace(speaker=previous_official)
    if _pronoun_of(speaker.cue) and official_person_named(previous_words):
        return speaker._replace(speaker=GOVERNMENT)
    return speaker


def _pronoun_of(cue: str) -> str:
    return next((word for word in cue.split() if word in PERSONAL_PRONOUNS), "")


def _agrees(cue: str, previous_cue: str) -> bool:
    """Whether the pronoun of `cue` ("по её словам", "он пообещал") can point back to the
    source of the verb ending `previous_cue`: "её" to "заявила", "его" to "заявил", "их" to
    "заявили"; either singular to "утверждает". A cue without a pronoun ("там утверждают"), or
    a phrase before it ("по данным МВД"), always may."""
    pronoun = _pronoun_of(cue)
    if not pronoun or not previous_cue or previous_cue.startswith(("по ", "как ", "согласно")):
        return True
    verb = previous_cue.split()[-1]
    plural = verb.endswith(("ли", "ют", "ят", "ут", "ат"))
    person = PERSONAL_PRONOUNS[pronoun]
    if person == "plural" or plural:
        return person == "plural" and plural
    if verb.endswith("ла"):
        return person == "feminine"
    if verb.endswith("л"):
        return person == "masculine"
    return True


def _unnamed_source(
    text: str, start: int, end: int, speaker: Speaker, paragraph_speaker: str, voice: Speaker
) -> Speaker:
    """The speaker of a sentence without a speech cue: its headline's source, the paragraph's,
    or the text's voice; `speaker` as it is when none applies (direct speech, first person)."""
    if _is_own_line(text, start, end):
        source = headline_speaker(text[start:end])
        if source:
            return Speaker(source, "headline", False)
    if speaker.speaker != REPORTER or speaker.cue:
        return speaker
    if paragraph_speaker:
        return Speaker(paragraph_speaker, "named earlier in the paragraph", False)
    return voice


def _text_voice(text: str, spans: list[SentenceSpan]) -> Speaker:
    """Whose voice the narration of `text` is in, from the lines of its first paragraphs: an
    official body's byline, a headline quoting a witness, or the reporter's."""
    header = [
        span
        for span in spans[:12]
        if span.paragraph < _HEADER_PARAGRAPHS and _is_own_line(text, span.start, span.end)
    ]
    for span in header:
        author = byline_speaker(text[span.start : span.end])
        if author:
            return Speaker(author, "official statement", False)
    if header and header[0] is spans[0]:
        headline = text[spans[0].start : spans[0].end]
        if headline_speaker(headline) == WITNESS and any(mark in headline for mark in _OPENING):
            return Speaker(WITNESS, "testimony", False)
        # "Жительница Жанаозена рассказала, как искала сына": a person's account.
        told = speaker_of(headline, words_of(headline), False)
        if told.has_speech_cue and told.speaker == WITNESS and not told.cue_refers_back:
            return Speaker(WITNESS, "testimony", False)
    return Speaker(REPORTER, "", False)


def _is_own_line(text: str, start: int, end: int) -> bool:
    """True when the sentence fills its line: a headline, byline or caption."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    return not text[line_start:start].strip() and not text[end:line_end].strip()


def _quoted_share(sentence: str, is_inside: bool) -> tuple[float, bool]:
    """The share of the sentence's characters inside «…» or „…“, and whether one is open at its
    end."""
    inside = 0
    for character in sentence:
        if character in _OPENING:
            is_inside = True
        elif character in _CLOSING:
            is_inside = False
        elif is_inside:
            inside += 1
    return inside / max(1, len(sentence)), is_inside
