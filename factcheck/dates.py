"""Django's `date` filter for the few formats the Jinja2 templates write, without its cost.

The filter builds a formatter per value, and for an aware time it works out whether the time is
ambiguous in its zone (a DST change) whatever the format asks for: about 45 µs a date, and the
claim page writes some 30. The formats the templates use ("j M Y", "j M Y, H:i", "j M, H:i",
"Y-m-d", "c") need none of that; they are compiled here once into the parts Django would write.
A format with any other letter, an escape, or a time part for a plain date goes to Django's own
filter, so the output is always the filter's.
"""

import datetime
import functools

from django.template import defaultfilters
from django.utils.dates import MONTHS_3
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

# Django's format letters, each as DateFormat writes it (django/utils/dateformat.py).
_PARTS = {
    "j": lambda value: str(value.day),
    "d": lambda value: f"{value.day:02d}",
    "m": lambda value: f"{value.month:02d}",
    "M": lambda value: _month_abbreviations(get_language())[value.month],
    "Y": lambda value: f"{value.year:04d}",
    "H": lambda value: f"{value.hour:02d}",
    "i": lambda value: f"{value.minute:02d}",
    "c": lambda value: value.isoformat(),
}
_TIME_LETTERS = frozenset("Hi")
# Every letter Django's formats give a meaning to; any other character is written as it is.
_FORMAT_LETTERS = frozenset("aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ")


def format_date(value, format_string=None):
    """What Django's templates write for `value|date:format_string`."""
    if value is None or value == "":
        return ""
    value = template_localtime(value)
    parts = _compiled(format_string) if isinstance(value, datetime.date) else None
    if parts is None or (parts[1] and type(value) is datetime.date):
        return defaultfilters.date(value, format_string)
    return "".join(part if type(part) is str else part(value) for part in parts[0])


@functools.lru_cache(maxsize=64)
def _compiled(format_string):
    """(parts, has time letters) for a format this module writes itself, else None."""
    if not format_string or "\\" in format_string:
        return None  # the setting's format, or escaped letters: Django's filter
    parts = []
    for character in format_string:
        if character in _PARTS:
            parts.append(_PARTS[character])
        elif character in _FORMAT_LETTERS:
            return None
        else:
            parts.append(character)
    return tuple(parts), any(character in _TIME_LETTERS for character in format_string)


@functools.lru_cache(maxsize=16)
def _month_abbreviations(language):
    """Django's "M" for each month in `language` (the caller's active language)."""
    return {month: MONTHS_3[month].title() for month in MONTHS_3}
