"""Claim extraction: plain Python, no Django.

    from claims.extraction import extract, find_quantities, name_variant_groups

- `extract(text)` -> list[Sentence]: every sentence, in order, with score, label (CFS/UFS/NFS),
  speaker, reasons and quantities; `Sentence.is_proposed` marks the suggested claims.
- `find_quantities(text, start, end)` -> list[Quantity] for a span marked by hand.
- `name_variant_groups(text)` -> list[NameVariantGroup]: one person's name spelled several ways.

All offsets are Python str indices into the text as given; end exclusive.
"""

from .engine import Sentence, extract
from .names import NameVariantGroup, name_variant_groups
from .quantities import Quantity, find_quantities

__all__ = [
    "NameVariantGroup",
    "Quantity",
    "Sentence",
    "extract",
    "find_quantities",
    "name_variant_groups",
]
