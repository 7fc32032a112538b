"""The Quantity record that every language's number reader returns."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Quantity:
    """A number in the text. Offsets absolute, end exclusive; `text == TEXT[start:end]`."""

    start: int
    end: int
    text: str
    value: float | int
    low: float | int | None
    high: float | int | None
    unit: str
    approximate: bool
    bound: str
    kind: str
