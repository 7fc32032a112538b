"""Replace the names of private persons with stand-ins ("Witness A") everywhere in a report.

Plain Python, no Django. A person is known by every spelling we can find: the parts of the
name a source gives as its author, plus the spellings `name_variant_groups` finds in that
source's text ("Isbasarov", "Izbasarov", "Isabarov", "Isabarow"). A run of such words ("Alimshan
Isabarow") becomes one stand-in. Offsets into a pseudonymized text are translated with
`PublishedText.position`, so claims still point at their exact words.
"""

import bisect
import re
from dataclasses import dataclass, field

from claims.extraction import name_variant_groups


@dataclass
class Person:
    label: str
    spellings: set[str] = field(default_factory=set)


class Pseudonyms:
    """Consistent stand-ins for named private persons, applied to any text of one report.

    Build it from the private persons' names and the texts they appear in; call it on a string
    to get the string with every spelling replaced, or `publish(text)` to also keep the offset
    map. Matching is case-sensitive (plus the all-capitals form): a witness called "Rose"
    must not turn "the river rose" into "the river Witness A".
    """

    def __init__(self, names_with_texts=()):
        self.people: list[Person] = []
        for name, text in names_with_texts:
            self._add(name, text)
        self._pattern = self._compile()

    def _add(self, name, text):
        parts = {part.strip(".,") for part in name.split() if len(part.strip(".,")) > 1}
        if not parts:
            return
        spellings = set(parts)
        for group in name_variant_groups(text or ""):
            if spellings & set(group.names):
                spellings.update(group.names)
        for person in self.people:
            if person.spellings & spellings:
                person.spellings |= spellings
                return
        self.people.append(Person(f"Witness {_letter(len(self.people))}", spellings))

    def _compile(self):
        self._label_of = {}
        for person in self.people:
            for spelling in person.spellings:
                self._label_of[spelling] = person.label
                self._label_of[spelling.upper()] = person.label
        if not self._label_of:
            return None
        # Longest first, so the alternation prefers "Isbasarova" over "Isbasarov" if both exist.
        words = "|".join(re.escape(s) for s in sorted(self._label_of, key=len, reverse=True))
        # A run of name words separated by spaces is one mention of one person.
        return re.compile(rf"\b(?:{words})(?:[ \t]+(?:{words}))*\b")

    @property
    def labels(self):
        return [person.label for person in self.people]

    def _label_for(self, match):
        return self._label_of[re.split(r"[ \t]+", match.group(0))[0]]

    def __call__(self, text):
        if not text or self._pattern is None:
            return text
        return self._pattern.sub(self._label_for, text)

    def publish(self, text):
        """Return a PublishedText: the text with stand-ins and a map from old offsets."""
        if self._pattern is None:
            return PublishedText(text, [])
        pieces, replacements, cursor, shift = [], [], 0, 0
        for match in self._pattern.finditer(text):
            label = self._label_for(match)
            pieces.append(text[cursor : match.start()])
            pieces.append(label)
            new_start = match.start() + shift
            replacements.append((match.start(), match.end(), new_start, new_start + len(label)))
            shift += len(label) - (match.end() - match.start())
            cursor = match.end()
        pieces.append(text[cursor:])
        return PublishedText("".join(pieces), replacements)


class PublishedText:
    """A source text as a report publishes it, and the translation of offsets into it."""

    def __init__(self, text, replacements):
        self.text = text
        # (old start, old end, new start, new end) of each replaced name, in text order.
        self._replacements = replacements
        self._old_starts = [replacement[0] for replacement in replacements]

    @property
    def is_changed(self):
        return bool(self._replacements)

    def position(self, offset, *, is_end=False):
        """The offset in the published text for `offset` in the original.

        An offset inside a replaced name moves to the edge of its stand-in, outwards, so a
        span that cut a name in two still covers the whole stand-in.
        """
        index = bisect.bisect_right(self._old_starts, offset) - 1
        if index < 0:
            return offset
        old_start, old_end, new_start, new_end = self._replacements[index]
        if offset == old_start:
            return new_start
        if offset < old_end:
            return new_end if is_end else new_start
        return new_end + (offset - old_end)


def _letter(index):
    """A, B, ... Z, AA, AB, ...: enough letters for any number of people."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
