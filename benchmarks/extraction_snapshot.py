"""Snapshot every output of the extraction engine, to prove a refactoring changes none of them.

    .venv/bin/python benchmarks/extraction_snapshot.py dump /tmp/before.jsonl   # old engine
    .venv/bin/python benchmarks/extraction_snapshot.py compare /tmp/before.jsonl  # new engine

The corpus: the seed (when ../shared is there), the project texts, two synthetic texts of
shuffled paragraphs (as the speed benchmark builds them, 1 and 3 MB), 1 MB of the same
paragraphs with random characters changed (quotes, digits, capitals, breaks, dashes: the edge
cases a rule rewrite breaks first) and a few thousand short random texts made of the pieces the
property tests use. For each text it records `extract()` (every field of every sentence and
quantity, floats by repr, ints and floats told apart), `find_quantities()` on every sentence
span and on a few arbitrary spans, and `name_variant_groups()`. Keep the dump outside the
repository: it is tens of MB.
"""

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
from extraction import SEED, corpus_paragraphs, grouped_text_names, synthetic_text  # noqa: E402

from claims.extraction import extract, find_quantities, name_variant_groups  # noqa: E402
from tests.extraction.pieces import PIECES as PROPERTY_PIECES  # noqa: E402

OWN_TEXTS = REPO / "tests" / "extraction" / "texts"
# The property tests' pieces, plus a few more that reach other rules.
PIECES = [
    *PROPERTY_PIECES,
    "according to",
    "officials",
    "it is said",
    "tens of thousands",
    "$5 million",
    "15 km",
    "six days",
    "aged 40",
    "grew to 200",
    "then 300",
    "if not more",
    "will",
    "I think",
    "tear gas",
    "Leave a Reply",
    "By John Smith",
    "President Okafor",
    "1990s",
    "No. 5",
    "twenty-six",
    "one hundred and fifty",
    "Reuters reported",
    "don't know where",
    # Letters that match another case-insensitively without lowercasing to it, and number
    # words glued to apostrophes, digits or underscores.
    "ſix",
    "thouſand",
    "nıne",
    "İ",
    "\u212a",
    "dozen’s",
    "one's",
    "ten5",
    "5ten",
    "_ten",
    "hundreds’",
    "O’Ten",
]
MUTATIONS = "“”\"«»'’.,;:?!…-–—()0123456789 \n\n\nABCXYZéi%$"


def corpus() -> list[tuple[str, str]]:
    """(name, text) pairs, reproducible from run to run."""
    texts = []
    if SEED.exists():
        texts.append(("seed", SEED.read_text(encoding="utf-8")))
    for names in grouped_text_names().values():
        for name in names:
            texts.append((name, (OWN_TEXTS / f"{name}.txt").read_text(encoding="utf-8")))
    paragraphs = corpus_paragraphs()
    texts.append(("synthetic-1MB", synthetic_text(paragraphs, 1_000_000)))
    texts.append(("synthetic-3MB", synthetic_text(paragraphs, 3_000_000)))
    texts.append(("mutated-1MB", _mutated(synthetic_text(paragraphs, 1_000_001))))
    pick = random.Random(7)
    for number in range(3000):
        joiner = pick.choice((" ", "", " ", "\n"))
        pieces = [pick.choice(PIECES) for _ in range(pick.randrange(60))]
        texts.append((f"pieces-{number}", joiner.join(pieces)))
    return texts


def _mutated(text: str) -> str:
    """`text` with about 3% of its characters replaced by punctuation, digits or capitals."""
    pick = random.Random(11)
    characters = list(text)
    for index in range(len(characters)):
        if pick.random() < 0.03:
            characters[index] = pick.choice(MUTATIONS)
    return "".join(characters)


def outputs(text: str) -> dict:
    """Every output of the engine for `text`, as JSON-ready data; an error is an output too."""
    sentences = _guarded(extract, text)
    spans = [] if isinstance(sentences, str) else [(s.start, s.end) for s in sentences]
    pick = random.Random(len(text))
    for _ in range(min(50, len(text))):
        a, b = sorted(pick.randrange(len(text) + 1) for _ in range(2))
        spans.append((a, min(b, a + 400)))
    groups = _guarded(name_variant_groups, text)
    return {
        "sentences": sentences
        if isinstance(sentences, str)
        else [
            [
                s.start,
                s.end,
                s.text,
                repr(s.score),
                s.label,
                s.speaker,
                list(s.reasons),
                [_quantity(q) for q in s.quantities],
                s.is_proposed,
            ]
            for s in sentences
        ],
        "find_quantities": [_quantities(text, a, b) for a, b in spans],
        "name_variant_groups": groups
        if isinstance(groups, str)
        else [[list(g.names), list(g.spans)] for g in groups],
    }


def _guarded(function, *arguments):
    """The function's result, or its error as a string (the old engine's errors must stay)."""
    try:
        return function(*arguments)
    except Exception as error:
        return f"{type(error).__name__}: {error}"


def _quantities(text: str, start: int, end: int) -> list | str:
    found = _guarded(find_quantities, text, start, end)
    return found if isinstance(found, str) else [_quantity(q) for q in found]


def _quantity(q) -> list:
    """A quantity's fields, numbers with their type."""
    return [
        q.start,
        q.end,
        q.text,
        _number(q.value),
        _number(q.low),
        _number(q.high),
        q.unit,
        q.approximate,
        q.bound,
        q.kind,
    ]


def _number(value) -> str | None:
    return None if value is None else f"{type(value).__name__}:{value!r}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("dump", "compare"))
    parser.add_argument("path", type=Path)
    parser.add_argument(
        "--quick", action="store_true", help="compare without the 3 MB text and most pieces"
    )
    options = parser.parse_args()
    if options.action == "dump":
        with options.path.open("w", encoding="utf-8") as dump:
            for name, text in corpus():
                line = json.dumps({"name": name, **outputs(text)}, ensure_ascii=False)
                dump.write(line + "\n")
        print(f"dumped to {options.path}")
        return 0
    expected = {}
    with options.path.open(encoding="utf-8") as dump:
        for line in dump:
            line = line.rstrip("\n")
            expected[json.loads(line)["name"]] = hashlib.sha256(line.encode()).hexdigest(), line
    differences = compared = 0
    for name, text in corpus():
        if options.quick and (name == "synthetic-3MB" or name.startswith("pieces-1")):
            continue
        compared += 1
        line = json.dumps({"name": name, **outputs(text)}, ensure_ascii=False)
        digest, old_line = expected[name]
        if hashlib.sha256(line.encode()).hexdigest() != digest:
            differences += 1
            _report(name, json.loads(old_line), json.loads(line))
    print(f"{compared} texts compared, {differences} differ")
    return 1 if differences else 0


def _report(name: str, old: dict, new: dict) -> None:
    """Print the first differing item of each output of one text."""
    for key in ("sentences", "find_quantities", "name_variant_groups"):
        if old[key] == new[key]:
            continue
        if isinstance(old[key], str) or isinstance(new[key], str):
            print(f"{name} {key}:\n  old {str(old[key])[:300]}\n  new {str(new[key])[:300]}")
            continue
        for index, (a, b) in enumerate(zip(old[key], new[key], strict=False)):
            if a != b:
                print(f"{name} {key}[{index}]:\n  old {a}\n  new {b}")
                break
        else:
            print(f"{name} {key}: {len(old[key])} items before, {len(new[key])} now")


if __name__ == "__main__":
    sys.exit(main())
