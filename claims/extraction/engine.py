"""`extract(text)`: every sentence of a text with its score, label, speaker and quantities."""

import gc
import re
from bisect import bisect_left
from operator import itemgetter
from typing import NamedTuple

from .attribution import (
    OFFICIAL_SPEAKERS,
    REPORTER,
    Mention,
    SourceFinder,
    quote_marks,
    quote_profile,
    speaker_of_run,
    speaker_of_statement,
    split_by_quotes,
)
from .checkworthiness import CFS, PHRASE_PAIRS, Assessment, assess
from .engine_ru import extract_cyrillic
from .quantities import Quantity, QuantityFinder
from .sentence import Sentence
from .sentences import SentenceSpan, sentence_spans
from .tokens import Marks, Token, pair_starts, tokenize

_DIGIT = re.compile(r"\d")
_QUOTED_SHARE = 0.5  # a sentence at least this much inside quotation marks is the quotee's


class _Analysis(NamedTuple):
    """What the first pass learns about a sentence; the speaker waits for its quotation run."""

    span: SentenceSpan
    quoted_share: float
    is_inside_at_end: bool
    mentions: list[Mention]
    quantities: tuple[Quantity, ...]
    assessment: Assessment


# Languages with rules of their own; any other language is read with the English rules.
LANGUAGES_WITH_RULES = ("en", "ru", "kk")


def extract(text: str, language: str = "en") -> list[Sentence]:
    """Split `text` into sentences and judge each one with the rules of `language`.

    Input: the text exactly as read (offsets index it as a Python str), and its language code
    ("ru" and "kk" have Cyrillic rules; any other code gets the English ones). Output: every
    sentence, in order, non-overlapping, covering all non-whitespace characters.
    """
    if language in ("ru", "kk"):
        return extract_cyrillic(text)
    # The engine builds millions of small objects, none in reference cycles; the cyclic
    # collector would only re-scan them again and again (a quarter of the time on 2 MB).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _judge(text, _analyse(text))
    finally:
        if was_enabled:
            gc.enable()


def _judge(text: str, analyses: list[_Analysis]) -> list[Sentence]:
    """Second pass: give each sentence its speaker, now that quotation runs are known."""
    sentences = []
    for run in _quotation_runs(analyses):
        run_speaker = None  # found when a sentence of the run needs it: most runs have none
        for analysis in run:
            if analysis.quoted_share >= _QUOTED_SHARE:
                if run_speaker is None:
                    run_speaker = speaker_of_run([m for a in run for m in a.mentions])
                speaker, why = run_speaker
            elif analysis.mentions:
                speaker, why = speaker_of_statement(analysis.mentions, text, analysis.span.end)
            else:
                speaker, why = REPORTER, ""  # what speaker_of_statement says of no mention
            sentences.append(_sentence(text, analysis, speaker, why))
    return sentences


def _analyse(text: str) -> list[_Analysis]:
    """First pass: quotation state, named sources, quantities and score of each sentence."""
    known_names: set[str] = set()
    finder = SourceFinder(text, known_names)
    # The whole text is tokenised once, and each sentence takes its slice: one regex scan
    # instead of one per sentence. A word never crosses a sentence boundary (only whitespace
    # lies between sentences), so the slices are exactly what tokenising each sentence gives.
    all_tokens = tokenize(text)
    starts = list(map(_TOKEN_START, all_tokens))
    all_lowers = list(map(_TOKEN_LOWER, all_tokens))
    # Where a check-worthiness phrase may start, found for the whole text at once; a pair
    # that straddles two sentences is not handed to either.
    phrase_marks = Marks(pair_starts(all_lowers, PHRASE_PAIRS))
    quantity_finder = QuantityFinder(text, all_tokens, all_lowers)
    quotation_marks = Marks(quote_marks(text))
    first = 0
    analyses = []
    is_inside = False
    paragraph = -1
    for span in sentence_spans(text):
        if span.paragraph != paragraph:
            # Quotations are closed at paragraph ends: an unbalanced mark must not leak on.
            is_inside, paragraph = False, span.paragraph
        first = bisect_left(starts, span.start, first)
        last = bisect_left(starts, span.end, first)
        tokens, lowers = all_tokens[first:last], all_lowers[first:last]
        phrase_starts = phrase_marks.within(first, last - 1)
        marks = quotation_marks.positions_within(span.start, span.end)
        analysis = _analyse_sentence(
            text,
            span,
            first,
            tokens,
            lowers,
            phrase_starts,
            marks,
            is_inside,
            finder,
            quantity_finder,
            known_names,
        )
        is_inside = analysis.is_inside_at_end
        known_names.update(analysis.assessment.names)
        analyses.append(analysis)
    return analyses


_TOKEN_START = itemgetter(0)  # Token.start, for map() over tokens
_TOKEN_LOWER = itemgetter(3)  # Token.lower


def _analyse_sentence(
    text: str,
    span: SentenceSpan,
    first: int,
    tokens: list[Token],
    lowers: list[str],
    phrase_starts: list[int],
    marks: list[int],
    is_inside: bool,
    finder: SourceFinder,
    quantity_finder: QuantityFinder,
    known_names: set[str],
) -> _Analysis:
    """Quotation marks, sources, quantities and assessment of one sentence.

    `tokens` and `lowers`: the sentence's words (from index `first` of the text's tokens) and
    their lowercase forms; `phrase_starts`: the indexes where a word pair of PHRASE_PAIRS
    starts; `marks`: the offsets of its quotation marks. `is_inside`: a quotation is open
    where the sentence starts. `finder`, `quantity_finder` and `known_names` carry what the
    whole text tells and what earlier sentences taught (people, officials, names).
    """
    profile = quote_profile(text, span.start, span.end, is_inside, marks)
    finder.learn(tokens, lowers, span.start)
    if profile.inside:
        outside, inside = split_by_quotes(tokens, profile)
        mentions = finder.mentions(outside)
        inner = finder.mentions(inside)
        official = _official_cue(mentions) or _official_cue(inner)
        tags = [(m.start, m.end) for m in mentions + inner]
    else:
        mentions = finder.mentions(tokens, lowers)
        official = _official_cue(mentions) if mentions else ""
        tags = [(m.start, m.end) for m in mentions] if mentions else []
    has_digit = _DIGIT.search(text, span.start, span.end) is not None
    quantities = tuple(
        quantity_finder.sentence(span.start, span.end, first, tokens, lowers, has_digit)
    )
    assessment = assess(
        text,
        span.start,
        span.end,
        tokens,
        lowers,
        quantities,
        official,
        known_names,
        tags,
        has_digit,
        phrase_starts,
    )
    return _Analysis(
        span, profile.quoted_share, profile.is_inside_at_end, mentions, quantities, assessment
    )


def _official_cue(mentions: list[Mention]) -> str:
    """Reason text when an official, organisation or outlet is reported as saying something."""
    for mention in mentions:
        if mention.category in OFFICIAL_SPEAKERS and mention.kind in ("speech", "according"):
            return f"official source: {mention.cue}"
    return ""


def _quotation_runs(analyses: list[_Analysis]) -> list[list[_Analysis]]:
    """Group sentences that one open quotation spans; other sentences form runs of one."""
    runs: list[list[_Analysis]] = []
    for analysis in analyses:
        continues = (
            runs
            and runs[-1][-1].is_inside_at_end
            and runs[-1][-1].span.paragraph == analysis.span.paragraph
        )
        if continues:
            runs[-1].append(analysis)
        else:
            runs.append([analysis])
    return runs


def _sentence(text: str, analysis: _Analysis, speaker: str, why: str) -> Sentence:
    """The public Sentence for one analysed sentence, with its speaker and the reason for it."""
    start, end = analysis.span.start, analysis.span.end
    assessment = analysis.assessment
    reasons = (*assessment.reasons, why) if why else assessment.reasons
    # The frozen dataclass's __init__ sets each of nine fields through object.__setattr__, a
    # third of the cost of a sentence's second pass; filling the instance dict directly (as
    # pickle and copy do) gives the same object: equal, same repr, same asdict().
    sentence = _new_object(Sentence)
    fields = sentence.__dict__
    fields["start"] = start
    fields["end"] = end
    fields["text"] = text[start:end]
    fields["score"] = assessment.score
    fields["label"] = assessment.label
    fields["speaker"] = speaker
    fields["reasons"] = tuple(dict.fromkeys(reasons))
    fields["quantities"] = analysis.quantities
    fields["is_proposed"] = assessment.label == CFS
    return sentence


_new_object = object.__new__
