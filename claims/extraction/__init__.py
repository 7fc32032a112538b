"""Claim extraction: plain Python, no Django.

    from claims.extraction import extract, find_quantities, name_variant_groups

- `extract(text, language="en")` -> list[Sentence]: every sentence, in order, with score,
  label (CFS/UFS/NFS),
  speaker, reasons and quantities; `Sentence.is_proposed` marks the suggested claims.
- `find_quantities(text, start, end, language="en")` -> list[Quantity] for a span marked by
  hand. Russian and Kazakh ("ru", "kk") have rules of their own (the *_ru modules); any other
  language is read with the English rules.
- `measure_of(text, start, end, kind, unit)` -> Measure(name, reason): what a number counts.
- `occasion_of(text, start, end, published_on)` -> Occasion(on, place, ...): the date and place
  a number's sentence states.
- `name_variant_groups(text)` -> list[NameVariantGroup]: one person's name spelled several ways.

All offsets are Python str indices into the text as given; end exclusive.
"""

from .engine import LANGUAGES_WITH_RULES, Sentence, extract
from .measures import MEASURES, Measure, measure_of
from .names import NameVariantGroup, name_variant_groups
from .occasions import Occasion, occasion_of
from .quantities import Quantity, find_quantities

__all__ = [
    "LANGUAGES_WITH_RULES",
    "MEASURES",
    "Measure",
    "NameVariantGroup",
    "Occasion",
    "Quantity",
    "Sentence",
    "extract",
    "find_quantities",
    "measure_of",
    "name_variant_groups",
    "occasion_of",
]
