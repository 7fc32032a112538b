"""Check-worthiness on texts written for the project: a flood, a strike, an election count, a
court case, a rights report, and three held-out texts written before the rules were tuned.

Each `texts/<name>.labels.json` lists sentences with their label (CFS, UFS, NFS), and for CFS
the quantities a checker would verify. Entries marked `key` are unambiguous and must come out
exactly; the others count towards the overall figures only.
"""

import json
from pathlib import Path

import pytest

from claims.extraction import extract

TEXTS = Path(__file__).parent / "texts"
NAMES = sorted(p.stem for p in TEXTS.glob("*.txt"))


def load(name):
    text = (TEXTS / f"{name}.txt").read_text(encoding="utf-8")
    labels = json.loads((TEXTS / f"{name}.labels.json").read_text(encoding="utf-8"))
    sentences = {s.text: s for s in extract(text)}
    return text, labels, sentences


def key_entries():
    for name in NAMES:
        _, labels, _ = load(name)
        for entry in labels:
            if entry["key"]:
                yield pytest.param(name, entry, id=f"{name}: {entry['text'][:40]}")


@pytest.mark.parametrize("name", NAMES)
def test_every_labelled_sentence_is_split_exactly(name):
    _, labels, sentences = load(name)
    assert [e["text"] for e in labels if e["text"] not in sentences] == []
    assert len(sentences) == len(labels)


@pytest.mark.parametrize(("name", "entry"), list(key_entries()))
def test_key_sentences_are_proposed_exactly_when_check_worthy(name, entry):
    _, _, sentences = load(name)
    sentence = sentences[entry["text"]]
    assert sentence.is_proposed == (entry["label"] == "CFS"), sentence.reasons
    if entry["label"] == "CFS":
        expected = sorted(q["value"] for q in entry["quantities"])
        assert sorted(q.value for q in sentence.quantities) == expected
        if entry.get("speaker"):
            assert sentence.speaker == entry["speaker"]


def test_overall_figures_on_the_projects_texts():
    cfs = proposed = hits = gold_quantities = quantity_hits = predicted_quantities = 0
    for name in NAMES:
        _, labels, sentences = load(name)
        for entry in labels:
            sentence = sentences[entry["text"]]
            is_cfs = entry["label"] == "CFS"
            cfs += is_cfs
            proposed += sentence.is_proposed
            hits += is_cfs and sentence.is_proposed
            if is_cfs and sentence.is_proposed:
                values = [q.value for q in sentence.quantities]
                expected = [q["value"] for q in entry["quantities"]]
                gold_quantities += len(expected)
                quantity_hits += sum(v in values for v in expected)
                predicted_quantities += len(values)
    assert hits / cfs >= 0.85  # recall
    assert hits / proposed >= 0.85  # precision
    assert quantity_hits / gold_quantities >= 0.95
    assert quantity_hits / predicted_quantities >= 0.95


@pytest.mark.parametrize(
    "text",
    [
        "Will the levee hold if the rain continues?",
        "Many residents are afraid to go home.",
        "Perhaps the pumps were never switched on.",
        "The council should publish the inspection report.",
        "Leave a Reply",
        "Your email address will not be published.",
        "Updated: 04.05.2024 08:15",
        "By Ana Ruiz, staff writer",
        "Share this article",
    ],
)
def test_questions_feelings_speculation_advice_and_boilerplate_are_not_factual(text):
    sentence = extract(text)[0]
    assert sentence.label == "NFS"
    assert not sentence.is_proposed


@pytest.mark.parametrize(
    "text",
    [
        "Okafor sits on a bench outside the courthouse in an interview via video.",
        "We analysed 60 videos posted during the night.",
        "There was no immediate comment from the ministry.",
    ],
)
def test_scene_setting_and_method_notes_are_unimportant_facts(text):
    assert extract(text)[0].label == "UFS"


@pytest.mark.parametrize(
    "text",
    [
        "Soldiers detained 14 students outside the university on Tuesday.",
        "The court sentenced the former mayor to nine years in prison.",
        "Floodwater destroyed the only bridge into the valley.",
        "Bread prices rose by a third after the subsidy was cut.",
        "It seems the talks have stalled – but police have detained two union leaders.",
    ],
)
def test_events_numbers_and_decisions_are_check_worthy(text):
    sentence = extract(text)[0]
    assert sentence.label == "CFS", sentence.reasons
    assert sentence.score >= 0.5


def test_reasons_explain_the_label():
    sentence = extract("Who ordered the troops to fire?")[0]
    assert sentence.reasons[0] == "question"
    sentence = extract("Police arrested about 200 people in the square.")[0]
    assert "number: about 200" in sentence.reasons
    assert "event: arrested" in sentence.reasons
