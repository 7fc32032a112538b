"""Measure what a number counts, and the date and place stated for it, against gold files.

Run from the repository:

    .venv/bin/python benchmarks/measures.py                 # benchmarks/measures/gold/*.gold.json
    .venv/bin/python benchmarks/measures.py --gold DIR --results FILE --shared DIR

Each gold file (format in benchmarks/measures/README.md) lists a text's numbers with their
measure and the dates and places a careful reader accepts for them. The script runs the
extraction on the text (find_quantities, then measure_of and occasion_of with the gold's
publication date), matches each gold number to the extracted number whose span overlaps it
most, and prints, per set ("demo": tuned on; "untuned": written to be scored only):

- per measure and overall (the known measures, micro-averaged) precision and recall. A number
  read as "other" is an abstention: never a false positive. A number given a known measure
  that the gold does not give it (another measure, "other", or no gold number at all) is a
  false positive; a gold number of a known measure not read as it is a false negative;
- date and place: accuracy over matched gold numbers (the reading is one the gold accepts,
  empty included where the gold accepts empty), precision of the stated ones (a date or place
  was read and the gold accepts it) and recall where the gold requires one.

Results go to benchmarks/results/measures.json. Exit status 1 when a gold file is damaged
(its spans do not quote the text). Plain Python: the extraction needs no Django.
"""

import argparse
import ast
import json
import sys
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "benchmarks" / "measures" / "gold"
RESULTS = REPO / "benchmarks" / "results" / "measures.json"
SHARED = REPO.parent / "shared"

sys.path.insert(0, str(REPO))
from claims.extraction import find_quantities, measure_of, occasion_of  # noqa: E402
from claims.extraction.measures import MEASURES  # noqa: E402

KNOWN = tuple(name for name in MEASURES if name != "other")


class GoldError(Exception):
    """A gold file does not fit its text."""


def main(argv: list[str] | None = None) -> int:
    """Score every gold file, print the figures and write them; 1 on a damaged gold file."""
    options = parse_arguments(argv)
    try:
        texts = [score_text(path, options.shared) for path in sorted(options.gold.glob("*.json"))]
    except GoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    scored = [text for text in texts if text is not None]
    results = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sets": {name: summary(scored, name) for name in sorted({t["set"] for t in scored})},
        "texts": [{k: v for k, v in t.items() if k != "pairs"} for t in scored],
        "skipped": [
            path.name
            for path, text in zip(sorted(options.gold.glob("*.json")), texts, strict=True)
            if text is None
        ],
    }
    print_results(results)
    options.results.parent.mkdir(parents=True, exist_ok=True)
    options.results.write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"\nwritten to {options.results}")
    return 0


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """--gold DIR, --results FILE, --shared DIR (where ../shared texts are read from)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--shared", type=Path, default=SHARED)
    return parser.parse_args(argv)


def read_text(reference, gold_path: Path, shared: Path) -> str | None:
    """The text a gold file annotates; None when it lives in an absent ../shared."""
    if isinstance(reference, dict) and "shared" in reference:
        path = shared / reference["shared"]
        return path.read_text(encoding="utf-8") if path.exists() else None
    if isinstance(reference, dict):
        # A string constant of a module, read without importing it (demo.py needs Django).
        tree = ast.parse((REPO / reference["python"]).read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                getattr(target, "id", None) == reference["name"] for target in node.targets
            ):
                return ast.literal_eval(node.value)
        raise GoldError(f"{gold_path.name}: no {reference['name']} in {reference['python']}")
    # A path: from the repository's root, as the gold files name them.
    return (REPO / reference).read_text(encoding="utf-8")


def score_text(gold_path: Path, shared: Path) -> dict | None:
    """Extract one gold file's text and pair its numbers; None when its text is absent."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = read_text(gold["text"], gold_path, shared)
    if text is None:
        return None
    published = date.fromisoformat(gold["published_on"]) if gold.get("published_on") else None
    for number in gold["numbers"]:
        if text[number["start"] : number["end"]] != number["text"]:
            raise GoldError(f"{gold_path.name}: {number['text']!r} is not at {number['start']}")
    found = []
    for quantity in find_quantities(text):
        measure = measure_of(text, quantity.start, quantity.end, quantity.kind, quantity.unit)
        occasion = occasion_of(text, quantity.start, quantity.end, published, quantity.kind)
        found.append(
            {
                "start": quantity.start,
                "end": quantity.end,
                "text": quantity.text,
                "measure": measure.name,
                "reason": measure.reason,
                "stated_on": occasion.on.isoformat() if occasion.on else None,
                "place": occasion.place,
            }
        )
    return {
        "name": gold_path.name.removesuffix(".gold.json"),
        "set": gold.get("set", "demo"),
        "pairs": pair(gold["numbers"], found),
    }


def pair(gold_numbers: list[dict], found: list[dict]) -> list[tuple[dict | None, dict | None]]:
    """(gold, found) pairs: each gold number with the unused found number overlapping it most;
    unmatched ones on either side paired with None."""
    used: set[int] = set()
    pairs: list[tuple[dict | None, dict | None]] = []
    for number in gold_numbers:
        best, best_overlap = None, 0
        for index, candidate in enumerate(found):
            overlap = min(number["end"], candidate["end"]) - max(
                number["start"], candidate["start"]
            )
            if index not in used and overlap > best_overlap:
                best, best_overlap = index, overlap
        if best is None:
            pairs.append((number, None))
        else:
            used.add(best)
            pairs.append((number, found[best]))
    pairs.extend((None, candidate) for index, candidate in enumerate(found) if index not in used)
    return pairs


def summary(texts: list[dict], set_name: str) -> dict:
    """Measure precision and recall, date and place figures, over the texts of one set."""
    pairs = [p for text in texts if text["set"] == set_name for p in text["pairs"]]
    counts: dict[str, Counter] = {name: Counter() for name in KNOWN}
    errors = []
    for gold, found in pairs:
        expected = gold["measure"] if gold else "other"
        read = found["measure"] if found else "other"
        if expected == read and expected != "other":
            counts[expected]["tp"] += 1
            continue
        if read != "other":
            counts[read]["fp"] += 1
        if expected != "other":
            counts[expected]["fn"] += 1
        if expected != read:
            errors.append(_error(gold, found, expected, read))
    per_measure = {name: _rates(count) for name, count in counts.items() if count.total()}
    overall = _rates(sum(counts.values(), Counter()))
    matched = [(gold, found) for gold, found in pairs if gold and found]
    gold_count = sum(1 for gold, _ in pairs if gold)
    return {
        "texts": sorted(text["name"] for text in texts if text["set"] == set_name),
        "gold_numbers": gold_count,
        "numbers_found": len(matched),
        "overall": overall,
        "per_measure": per_measure,
        "date": _occasion_figures(matched, "stated_on", lambda value: value),
        "place": _occasion_figures(matched, "place", lambda value: (value or "").casefold()),
        "errors": errors,
    }


def _rates(count: Counter) -> dict:
    tp, fp, fn = count["tp"], count["fp"], count["fn"]
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
    }


def _occasion_figures(matched: list[tuple], key: str, normal) -> dict:
    """Accuracy, precision of what was read, recall where the gold requires a value."""
    correct = stated = stated_correct = required = required_correct = 0
    wrong = []
    for gold, found in matched:
        accepted = {normal(value) for value in gold[key]}
        read = normal(found[key])
        is_right = read in accepted
        correct += is_right
        if read:
            stated += 1
            stated_correct += is_right
        if normal(None) not in accepted:
            required += 1
            required_correct += is_right
        if not is_right:
            wrong.append(f"{gold['text']!r}: read {found[key]!r}, gold {gold[key]}")
    return {
        "numbers": len(matched),
        "accuracy": round(correct / len(matched), 3) if matched else None,
        "stated": stated,
        "precision": round(stated_correct / stated, 3) if stated else None,
        "required": required,
        "recall": round(required_correct / required, 3) if required else None,
        "wrong": wrong,
    }


def _error(gold: dict | None, found: dict | None, expected: str, read: str) -> str:
    where = gold["text"] if gold else found["text"] if found else "?"
    reason = f" ({found['reason']})" if found else " (not found)"
    return f"{where!r}: gold {expected}, read {read}{reason}"


def print_results(results: dict) -> None:
    """The figures as a few readable tables."""
    for name, figures in results["sets"].items():
        overall = figures["overall"]
        print(f"\n== {name}: {', '.join(figures['texts'])}")
        print(
            f"numbers {figures['numbers_found']}/{figures['gold_numbers']} found; measures "
            f"precision {overall['precision']} recall {overall['recall']} "
            f"(tp {overall['tp']} fp {overall['fp']} fn {overall['fn']})"
        )
        for measure, rates in figures["per_measure"].items():
            print(
                f"  {measure:9} precision {rates['precision']!s:5} recall {rates['recall']!s:5}"
                f" (tp {rates['tp']} fp {rates['fp']} fn {rates['fn']})"
            )
        for key in ("date", "place"):
            part = figures[key]
            print(
                f"{key}: accuracy {part['accuracy']} precision {part['precision']} "
                f"({part['stated']} read) recall {part['recall']} ({part['required']} required)"
            )
        for line in figures["errors"] + figures["date"]["wrong"] + figures["place"]["wrong"]:
            print(f"  - {line}")
    if results["skipped"]:
        print(f"\nskipped (text not found): {', '.join(results['skipped'])}")


if __name__ == "__main__":
    sys.exit(main())
