"""`extract()` for Russian and Kazakh (Cyrillic) texts: the same Sentence objects as English.

The English engine is tuned for speed and English cues; this one runs the Russian modules
(sentences_ru, quantities_ru, attribution_ru, checkworthiness_ru) in one simple pass. A
quotation that spans several sentences keeps one speaker: the source its sentences name, or the
witness when they name none.
"""

from .attribution import OFFICIAL_SPEAKERS, WITNESS
from .attribution_ru import speaker_of, words_of
from .checkworthiness_ru import assess_ru
from .quantities_ru import find_quantities_ru
from .sentence import Sentence
from .sentences_ru import sentence_spans_ru

_OPENING = "«„"
_CLOSING = "»“"
_QUOTED_SHARE = 0.5
_DASHES = "—–"


def extract_cyrillic(text: str) -> list[Sentence]:
    """Every sentence of a Russian or Kazakh `text`, in order, judged as extract() does."""
    sentences = []
    is_inside = False
    paragraph = -1
    run_speaker = ""
    previous_official = ""
    for span in sentence_spans_ru(text):
        if span.paragraph != paragraph:
            is_inside, paragraph, run_speaker = False, span.paragraph, ""
        sentence = text[span.start : span.end]
        quoted_share, is_inside_at_end = _quoted_share(sentence, is_inside)
        words = words_of(sentence)
        # A line opened by a dash is direct speech to its end: "— Да, видел. Их было десять."
        line_start = text.rfind("\n", 0, span.start) + 1
        is_quoted = (
            quoted_share >= _QUOTED_SHARE or text[line_start : span.end].lstrip()[:1] in _DASHES
        )
        speaker = speaker_of(sentence, words, is_quoted)
        if speaker.has_speech_cue and speaker.cue_refers_back and previous_official:
            # "Там утверждают, что ...": the body named in the sentence before.
            speaker = speaker._replace(speaker=previous_official)
        if is_quoted and not speaker.has_speech_cue and run_speaker:
            speaker = speaker._replace(speaker=run_speaker, cue="quotation")
        if (is_inside_at_end and speaker.speaker != WITNESS) or speaker.has_speech_cue:
            run_speaker = speaker.speaker
        if not is_inside_at_end and not is_inside:
            run_speaker = ""
        quantities = tuple(find_quantities_ru(text, span.start, span.end))
        is_official = speaker.has_speech_cue and speaker.speaker in OFFICIAL_SPEAKERS
        previous_official = speaker.speaker if is_official else ""
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
