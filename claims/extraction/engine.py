"""`extract(text)`: every sentence of a text with its score, label, speaker and quantities."""

from dataclasses import dataclass, field
from typing import NamedTuple

from .attribution import (
    OFFICIAL_SPEAKERS,
    Mention,
    SourceFinder,
    is_quoted,
    quote_profile,
    speaker_of_run,
    speaker_of_statement,
)
from .checkworthiness import CFS, Assessment, assess
from .quantities import Quantity, quantities_of_sentence
from .sentences import SentenceSpan, sentence_spans
from .tokens import tokenize

_QUOTED_SHARE = 0.5  # a sentence at least this much inside quotation marks is the quotee's


@dataclass(frozen=True)
class Sentence:
    """One sentence of the text. Offsets absolute, end exclusive; `text == TEXT[start:end]`.

    `label` is "CFS" (check-worthy factual), "UFS" (unimportant factual) or "NFS" (not factual);
    `score` in [0, 1] ranks check-worthiness (0.5 and above is CFS); `speaker` is "witness",
    "reporter", "government", "organization", "media" or "unknown"; `reasons` lists the features
    that fired; `is_proposed` says whether the app should suggest it as a claim.
    """

    start: int
    end: int
    text: str
    score: float
    label: str
    speaker: str
    reasons: tuple[str, ...]
    quantities: tuple[Quantity, ...]
    is_proposed: bool = field(init=False)

    def __post_init__(self):
        # A derived field rather than a property, so dataclasses.asdict() includes it.
        object.__setattr__(self, "is_proposed", self.label == CFS)


class _Analysis(NamedTuple):
    """What the first pass learns about a sentence; the speaker waits for its quotation run."""

    span: SentenceSpan
    quoted_share: float
    is_inside_at_end: bool
    mentions: list[Mention]
    quantities: tuple[Quantity, ...]
    assessment: Assessment


def extract(text: str) -> list[Sentence]:
    """Split `text` into sentences and judge each one.

    Input: the text exactly as read (offsets index it as a Python str). Output: every sentence,
    in order, non-overlapping, covering all non-whitespace characters.
    """
    analyses = _analyse(text)
    sentences = []
    for run in _quotation_runs(analyses):
        run_speaker = speaker_of_run([m for a in run for m in a.mentions])
        for analysis in run:
            is_quotation = analysis.quoted_share >= _QUOTED_SHARE
            speaker, why = run_speaker if is_quotation else speaker_of_statement(analysis.mentions)
            sentences.append(_sentence(text, analysis, speaker, why))
    return sentences


def _analyse(text: str) -> list[_Analysis]:
    """First pass: quotation state, named sources, quantities and score of each sentence."""
    finder = SourceFinder(text)
    known_names: set[str] = set()
    analyses = []
    is_inside = False
    paragraph = -1
    for span in sentence_spans(text):
        if span.paragraph != paragraph:
            # Quotations are closed at paragraph ends: an unbalanced mark must not leak on.
            is_inside, paragraph = False, span.paragraph
        tokens = tokenize(text, span.start, span.end)
        profile = quote_profile(text, span.start, span.end, is_inside)
        is_inside = profile.is_inside_at_end
        finder.learn_titles(tokens)
        if profile.inside:
            quoted = [is_quoted(t, profile) for t in tokens]
            mentions = finder.mentions([t for t, q in zip(tokens, quoted, strict=True) if not q])
            inner = finder.mentions([t for t, q in zip(tokens, quoted, strict=True) if q])
            official = _official_cue(mentions) or _official_cue(inner)
        else:
            mentions = finder.mentions(tokens)
            official = _official_cue(mentions)
        quantities = tuple(quantities_of_sentence(text, span.start, span.end, tokens))
        assessment = assess(text, span.start, span.end, tokens, quantities, official, known_names)
        known_names.update(assessment.names)
        analyses.append(
            _Analysis(span, profile.quoted_share, is_inside, mentions, quantities, assessment)
        )
    return analyses


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
    start, end = analysis.span.start, analysis.span.end
    reasons = analysis.assessment.reasons + ((why,) if why else ())
    return Sentence(
        start=start,
        end=end,
        text=text[start:end],
        score=analysis.assessment.score,
        label=analysis.assessment.label,
        speaker=speaker,
        reasons=tuple(dict.fromkeys(reasons)),
        quantities=analysis.quantities,
    )
