"""The Sentence record that every language's engine returns."""

from dataclasses import dataclass, field

from .checkworthiness import CFS
from .quantity import Quantity


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
