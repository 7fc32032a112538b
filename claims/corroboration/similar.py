"""Do two claims say the same thing, or opposite things? The matcher, as plain functions.

Each claim is read as a `ClaimText`: its words, the figures parsed from it, its speaker.
`score(a, b)` compares two of them and returns a `Match`: a score between 0 and 1, the
relation it suggests (same / contradicts) and a reason in words a reviewer can check
("shared words: arrested, almaty; same figure 10,000; same speaker").

- Words: lower-cased, stop words dropped, a few synonyms folded together ("arrested" and
  "detained" both count as "detain") and a light suffix trim, then compared with rapidfuzz
  (token sort and token set ratios: the same words in any order, or one claim's words
  within the other's).
- Figures: two figures of the same measure agree when their intervals overlap
  (comparison.interval); "other" figures agree only when their values are equal.
- Same speaker, same named places or people (capitalised words inside the text).
- Contradicts: very similar words where one side negates ("not", "never", "denied") and
  the other does not; or close enough words whose figures of one measure clearly differ.

No database here: links.py loads ClaimTexts and stores what this module finds. The
threshold was chosen on the demo's gold pairs (benchmarks/similar_quality.py).
"""

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

# A pair scoring at least this is suggested as a link (tuned in benchmarks/similar_quality.py).
THRESHOLD = 0.5
# Contradiction by negation needs the words to be at least this close (0-1).
NEGATION_SIMILARITY = 0.6
# Contradiction by figures needs the words to be at least this close.
FIGURES_SIMILARITY = 0.35

WORD = re.compile(r"[^\W_]+(?:[.,'’][^\W_]+)*")
NEGATIONS = frozenset(
    {"not", "no", "never", "denied", "denies", "deny", "false", "untrue", "nobody", "none"}
)
NEGATED_SUFFIX = ("n't", "n’t")
# Hedges that contain a negation word but negate nothing ("20,000, if not more").
HEDGES = re.compile(
    r"\b(?:if\s+not\s+(?:more|higher|many\s+more)|not\s+only|not\s+quite|not\s+least"
    r"|no\s+(?:fewer|less|more)\s+than|none\s+other)\b",
    re.IGNORECASE,
)
# Capitalised because of the language, not because they name a place or a person.
CALENDAR = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)
_STOP_WORDS = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself nor of off on once only or other our ours out over
    own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours said says say told according so far
    people person one ones many much several around approximately roughly nearly almost least
"""
# Dates are compared as figures if at all: a shared month alone says nothing.
STOP_WORDS = frozenset(_STOP_WORDS.split()) | NEGATIONS | CALENDAR
# Words that name the same thing in testimony about unrest; folded before the suffix trim.
SYNONYMS = {
    "arrest": "detain",
    "arrested": "detain",
    "arrests": "detain",
    "detained": "detain",
    "detention": "detain",
    "detentions": "detain",
    "detainee": "detain",
    "detainees": "detain",
    "jailed": "detain",
    "killed": "kill",
    "dead": "kill",
    "death": "kill",
    "deaths": "kill",
    "died": "kill",
    "bodies": "kill",
    "wounded": "injur",
    "injured": "injur",
    "hurt": "injur",
    "protesters": "protest",
    "demonstrators": "protest",
    "protestors": "protest",
    "marched": "march",
    "marching": "march",
    "akimat": "administration",
    "troops": "soldier",
    "soldiers": "soldier",
    "army": "soldier",
    "military": "soldier",
}
_SUFFIXES = ("ing", "ed", "es", "s")


@dataclass(frozen=True)
class Figure:
    """One parsed number of a claim: what it counts and the interval its words allow."""

    measure: str
    value: float
    low: float
    high: float  # math.inf when open-ended
    text: str


@dataclass
class ClaimText:
    """What the matcher reads of one claim."""

    claim_id: int
    text: str  # the statement as checked and the quote
    speaker: str = ""
    figures: list[Figure] = field(default_factory=list)
    investigation_id: int = 0
    source_id: int = 0

    def __post_init__(self):
        self.words = content_words(self.text)
        self.word_set = frozenset(self.words)
        self.is_negated = is_negated(self.text)
        self.names = proper_names(self.text)


@dataclass(frozen=True)
class Match:
    score: float
    relation: str  # "same" or "contradicts"
    reason: str
    text_similarity: float


def stem(word):
    """A word's folded form: synonyms mapped, then one common suffix trimmed."""
    word = SYNONYMS.get(word, word)
    if word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if suffix == "s" and word.endswith(("ss", "us", "is")):
            break
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def number_token(word):
    """'10,000' -> '10000'; None for a word that is not a plain number."""
    plain = word.replace(",", "")
    return plain if plain.replace(".", "", 1).isdigit() else None


def content_words(text):
    """The claim's words that carry meaning, folded (see stem), in text order, no repeats."""
    seen: dict[str, None] = {}
    for raw in WORD.findall(text.lower()):
        number = number_token(raw)
        if number is not None:
            seen.setdefault(number, None)
            continue
        word = raw.replace("’", "'").split("'")[0]
        if len(word) < 2 or word in STOP_WORDS:
            continue
        seen.setdefault(stem(word), None)
    return list(seen)


def index_tokens(text, limit=24):
    """The words links.py indexes a claim under (numbers and words of 3+ letters)."""
    return [word[:40] for word in content_words(text) if len(word) >= 3 or word.isdigit()][:limit]


def is_negated(text):
    """True when the text says "not", "never", "denied"..., hedges such as "if not more"
    aside."""
    lowered = HEDGES.sub(" ", text.lower())
    words = set(WORD.findall(lowered))
    return bool(words & NEGATIONS) or any(suffix in lowered for suffix in NEGATED_SUFFIX)


def proper_names(text):
    """Capitalised words not opening a sentence, lower-cased: places, people, bodies."""
    names = set()
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        for position, word in enumerate(WORD.findall(sentence)):
            lowered = word.lower()
            if position and word[:1].isupper() and lowered not in STOP_WORDS:
                names.add(lowered)
    return frozenset(names)


def text_similarity(a, b):
    """0-1: how alike the two claims' meaningful words are, order aside."""
    if not a.words or not b.words:
        return 0.0
    left, right = " ".join(sorted(a.words)), " ".join(sorted(b.words))
    shared = len(a.word_set & b.word_set)
    if shared == 0:
        return 0.0
    # token_set_ratio is 1.0 whenever one side's words lie inside the other's, which a
    # two-word claim does inside any long one; the sort ratio weighs the whole of both.
    both = (fuzz.token_sort_ratio(left, right) + fuzz.token_set_ratio(left, right)) / 200
    # A single shared word is a coincidence more often than a match.
    return both * (0.6 if shared == 1 else 1.0)


def _agree(x: Figure, y: Figure):
    if x.measure == "other" or y.measure == "other":
        return x.value == y.value
    return x.measure == y.measure and x.low <= y.high and y.low <= x.high


def compare_figures(a, b):
    """(figures that agree, figures of one measure that clearly differ), as text pairs."""
    agree, differ = [], []
    for x in a.figures:
        for y in b.figures:
            if _agree(x, y):
                agree.append((x, y))
            elif x.measure == y.measure and x.measure != "other":
                differ.append((x, y))
    return agree, differ


def score(a, b):
    """The Match of claims `a` and `b` (ClaimTexts); its score is 0 when nothing is shared."""
    similarity = text_similarity(a, b)
    agree, differ = compare_figures(a, b)
    same_speaker = bool(a.speaker) and a.speaker.strip().lower() == b.speaker.strip().lower()
    names = sorted(a.names & b.names)
    total = 0.75 * similarity
    reasons = []
    shared = [word for word in a.words if word in b.word_set and not word.isdigit()]
    if shared:
        reasons.append("shared words: " + ", ".join(shared[:6]))
    if agree:
        # Two figures of one known measure that agree are strong evidence ("about 10,000
        # arrested" and "9,900 detained"); two equal plain numbers less so.
        total += 0.3 if any(x.measure != "other" for x, _ in agree) else 0.15
        x, y = agree[0]
        same = x.text if x.text == y.text else f"{x.text} ≈ {y.text}"
        reasons.append(f"same figure: {same}")
    if same_speaker:
        total += 0.1
        reasons.append("same speaker")
    if names:
        total += min(0.1, 0.05 * len(names))
        reasons.append("both name " + ", ".join(names[:3]))
    relation = "same"
    if similarity >= NEGATION_SIMILARITY and a.is_negated != b.is_negated:
        relation = "contradicts"
        reasons.append("one of them negates the other")
    elif differ and not agree and similarity >= FIGURES_SIMILARITY:
        relation = "contradicts"
        x, y = differ[0]
        reasons.append(f"figures differ: {x.text} vs {y.text} ({x.measure})")
        total += 0.1
    if not shared and not agree:
        return Match(0.0, "same", "nothing shared", similarity)
    return Match(round(min(total, 1.0), 3), relation, "; ".join(reasons)[:300], similarity)
