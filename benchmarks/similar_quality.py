"""Precision and recall of the similar-claim matcher on gold pairs (data/similar_gold.json).

    DEBUG=1 python -m benchmarks.similar_quality [--threshold 0.5]

Each pair is read as the worker reads two claims (words, figures parsed by the extraction
package and placed on intervals, speaker) and scored by claims/corroboration/similar.py.
A pair is "found" when it scores at least the threshold. Printed per set: precision and recall
of finding related pairs (same or contradicts), and how many found pairs got their relation
right. The threshold was chosen on the "demo" set; the "written" set was not tuned on.
"""

import argparse
import json
from pathlib import Path

import django

GOLD = Path(__file__).with_name("data") / "similar_gold.json"


def claim_text(similar, interval, number, text, speaker):
    from claims.extraction import find_quantities, measure_of

    figures = []
    for quantity in find_quantities(text):
        measure = measure_of(text, quantity.start, quantity.end, quantity.kind, quantity.unit)
        low, high = interval(
            quantity.text, quantity.value, quantity.low, quantity.high, quantity.bound
        )
        figures.append(similar.Figure(measure.name, quantity.value, low, high, quantity.text))
    return similar.ClaimText(number, text, speaker=speaker, figures=figures)


def evaluate(pairs, threshold):
    from claims.corroboration import similar
    from claims.corroboration.comparison import interval

    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0, "relation_right": 0}
    for n, (left, left_speaker, right, right_speaker, label) in enumerate(pairs):
        a = claim_text(similar, interval, 2 * n, left, left_speaker)
        b = claim_text(similar, interval, 2 * n + 1, right, right_speaker)
        match = similar.score(a, b)
        found, related = match.score >= threshold, label != "unrelated"
        key = {(True, True): "tp", (True, False): "fp", (False, True): "fn"}.get(
            (found, related), "tn"
        )
        counts[key] += 1
        if found and related and match.relation == label:
            counts["relation_right"] += 1
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=None)
    args = parser.parse_args()
    django.setup()
    from claims.corroboration import similar

    threshold = similar.THRESHOLD if args.threshold is None else args.threshold
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    print(f"threshold {threshold}")
    for name in ("demo", "written"):
        precision, recall, counts = evaluate(gold[name], threshold)
        found = counts["tp"]
        print(
            f"{name:8} pairs {len(gold[name]):3}  precision {precision:.2f}  recall {recall:.2f}"
            f"  relation right {counts['relation_right']}/{found}  {counts}"
        )


if __name__ == "__main__":
    main()
