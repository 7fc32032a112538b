"""Cut a source text into segments for the reader, each knowing which claims cover it.

The template escapes every segment on its own; no HTML is ever built from user text here.
Overlapping claims are handled by cutting at every claim boundary, so a segment may belong to
several claims and still be drawn once.
"""

from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True)
class Segment:
    start: int
    text: str
    claim_ids: tuple[int, ...]
    is_suggestion_only: bool
    # A scan's reading (recognition.py): the page a segment opens, when it opens one after the
    # first, and the confidence of a word the recognition was unsure of.
    opens_page: int | None = None
    doubtful_confidence: int | None = None

    @property
    def is_marked(self):
        return bool(self.claim_ids)

    @property
    def claim_ids_attr(self):
        return " ".join(str(pk) for pk in self.claim_ids)


def highlight_segments(text, claims, *, page_starts=(), doubtful=()):
    """Return Segments covering `text` in order; `claims` need pk, start, end and status.

    `page_starts` and `doubtful` ((start, end, confidence) of unsure words) come from a scan's
    recognition. Cost is O(n log n) in the number of claims and words plus the length of the
    text.
    """
    cuts = {0, len(text)}
    for claim in claims:
        cuts.add(claim.start)
        cuts.add(claim.end)
    pages = {start: number for number, start in enumerate(page_starts, start=1) if number > 1}
    unsure = {start: (end, confidence) for start, end, confidence in doubtful}
    cuts.update(pages)
    for start, (end, _) in unsure.items():
        cuts.update((start, end))
    points = sorted(point for point in cuts if 0 <= point <= len(text))
    by_start = sorted(claims, key=lambda claim: claim.start)
    active = []
    next_claim = 0
    word = None  # (end, confidence) of the unsure word being cut into segments
    segments = []
    for left, right in pairwise(points):
        while next_claim < len(by_start) and by_start[next_claim].start <= left:
            active.append(by_start[next_claim])
            next_claim += 1
        active = [claim for claim in active if claim.end > left]
        covering = tuple(claim.pk for claim in active if claim.start <= left < claim.end)
        suggestion_only = bool(covering) and all(
            claim.status == "suggested" for claim in active if claim.pk in covering
        )
        if left in unsure:
            word = unsure[left]
        elif word and left >= word[0]:
            word = None  # past the end of the unsure word
        segments.append(
            Segment(
                left,
                text[left:right],
                covering,
                suggestion_only,
                opens_page=pages.get(left),
                doubtful_confidence=word[1] if word else None,
            )
        )
    return segments
