"""benchmarks/measures.py scores a tiny gold file as the README says, so it cannot rot."""

import json

from benchmarks import measures as benchmark

TEXT = (
    "Police said on 5 January that 300 people were arrested in Almaty. "
    "Some 12 vans came. Later 4 were killed."
)


def _gold(tmp_path, numbers):
    text_path = tmp_path / "tiny.txt"
    text_path.write_text(TEXT, encoding="utf-8")
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    document = {
        "text": str(text_path),
        "set": "untuned",
        "published_on": "2022-01-10",
        "numbers": numbers,
    }
    (gold_dir / "tiny.gold.json").write_text(json.dumps(document), encoding="utf-8")
    return gold_dir


def _number(text, measure, stated_on, place):
    start = TEXT.index(text)
    return {
        "start": start,
        "end": start + len(text),
        "text": text,
        "measure": measure,
        "stated_on": stated_on,
        "place": place,
    }


def test_it_scores_measures_dates_and_places(tmp_path, capsys):
    gold = _gold(
        tmp_path,
        [
            _number("300", "detained", ["2022-01-05"], ["Almaty"]),  # read right
            # Read as other: a false negative. The sentence before gives its date and place.
            _number("Some 12", "crowd", [None, "2022-01-05"], ["", "Almaty"]),
            _number("4", "other", [None], [""]),  # read as killed: a false positive
        ],
    )
    results_path = tmp_path / "results.json"
    assert benchmark.main(["--gold", str(gold), "--results", str(results_path)]) == 0
    figures = json.loads(results_path.read_text(encoding="utf-8"))["sets"]["untuned"]
    assert figures["overall"] == {
        "tp": 1,
        "fp": 1,
        "fn": 1,
        "precision": 0.5,
        "recall": 0.5,
    }
    assert figures["per_measure"]["detained"]["precision"] == 1.0
    assert figures["per_measure"]["killed"] == {
        "tp": 0,
        "fp": 1,
        "fn": 0,
        "precision": 0.0,
        "recall": None,
    }
    assert figures["per_measure"]["crowd"]["recall"] == 0.0
    assert (figures["date"]["accuracy"], figures["date"]["recall"]) == (1.0, 1.0)
    assert (figures["place"]["accuracy"], figures["place"]["precision"]) == (1.0, 1.0)
    assert "'4': gold other, read killed" in capsys.readouterr().out


def test_a_gold_file_that_does_not_quote_its_text_fails(tmp_path, capsys):
    damaged = _number("300", "detained", [None], [""])
    damaged["start"] += 1
    gold = _gold(tmp_path, [damaged])
    assert benchmark.main(["--gold", str(gold), "--results", str(tmp_path / "r.json")]) == 1
    assert "'300' is not at" in capsys.readouterr().err
    assert not (tmp_path / "r.json").exists()


def test_a_text_in_an_absent_shared_folder_is_skipped(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    document = {"text": {"shared": "seed/none.txt"}, "published_on": None, "numbers": []}
    (gold / "seed.gold.json").write_text(json.dumps(document), encoding="utf-8")
    results_path = tmp_path / "r.json"
    args = ["--gold", str(gold), "--results", str(results_path), "--shared", str(tmp_path)]
    assert benchmark.main(args) == 0
    assert json.loads(results_path.read_text(encoding="utf-8"))["skipped"] == ["seed.gold.json"]


def test_the_committed_gold_files_quote_their_texts(tmp_path):
    # The demo and untuned gold (the seed is skipped without ../shared): offsets still hold.
    args = ["--results", str(tmp_path / "r.json"), "--shared", str(tmp_path)]
    assert benchmark.main(args) == 0
