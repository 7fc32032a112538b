"""Sentence splitting: abbreviations, quotations, headlines, list items, wrapped lines."""

from itertools import pairwise

import pytest

from claims.extraction.sentences import sentence_spans


def split(text):
    return [text[span.start : span.end] for span in sentence_spans(text)]


def test_it_splits_plain_sentences():
    assert split("The river rose. Roads closed! Who knew?") == [
        "The river rose.",
        "Roads closed!",
        "Who knew?",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Haddad met Dr. Osei in the square.",
        "The U.S. embassy closed its doors on Friday.",
        "Supplies, e.g. water and blankets, ran short.",
        "The strike began on Jan. 14 and ended a week later.",
        "Water reached 3.5 metres at the gauge.",
        "Brig. Gen. Tamar Okafor denied the report.",
        "Former president John F. Kennedy was quoted on the banner.",
        "He lives at No. 12 Harbour Street.",
    ],
)
def test_an_abbreviation_does_not_end_a_sentence(text):
    assert split(text) == [text]


def test_a_time_abbreviation_ends_a_sentence_when_a_new_one_starts():
    text = "The curfew began at 9 p.m. The streets emptied within minutes."
    assert split(text) == ["The curfew began at 9 p.m.", "The streets emptied within minutes."]


def test_a_time_abbreviation_inside_a_sentence_does_not_end_it():
    text = "Police arrived at 9 p.m. on Sunday and left at dawn."
    assert split(text) == [text]


def test_a_quotation_spanning_sentences_is_split_at_each_sentence():
    text = "“We ran to the bridge. Then they fired,” she says. Nobody answered."
    assert split(text) == [
        "“We ran to the bridge.",
        "Then they fired,” she says.",
        "Nobody answered.",
    ]


def test_closing_quotation_marks_belong_to_the_sentence_they_close():
    text = "He shouted: “Get down!” Then the lights went out."
    assert split(text) == ["He shouted: “Get down!”", "Then the lights went out."]


def test_a_speech_tag_after_a_closed_quotation_stays_with_it():
    assert split("“Is anyone hurt?” she asked. Two men raised their hands.") == [
        "“Is anyone hurt?” she asked.",
        "Two men raised their hands.",
    ]
    assert split("“I saw the trucks.” Okafor says. The road was empty.") == [
        "“I saw the trucks.” Okafor says.",
        "The road was empty.",
    ]


def test_headline_byline_and_caption_lines_are_sentences_of_their_own():
    text = (
        "Dam Breach Floods Lower Town\n\nBy Ines Varga\nRegional desk\n\n"
        "The dam gave way at dawn.\n\nPhoto: Volunteers fill sandbags"
    )
    assert split(text) == [
        "Dam Breach Floods Lower Town",
        "By Ines Varga",
        "Regional desk",
        "The dam gave way at dawn.",
        "Photo: Volunteers fill sandbags",
    ]


def test_list_items_are_sentences_of_their_own():
    text = "Demands:\n- higher wages\n- shorter shifts\n1. Safety checks\n2. Back pay"
    assert split(text) == [
        "Demands:",
        "- higher wages",
        "- shorter shifts",
        "1. Safety checks",
        "2. Back pay",
    ]


def test_a_line_break_inside_a_wrapped_paragraph_does_not_end_a_sentence():
    text = (
        "Election officials counted the last ballots from the northern districts\n"
        "shortly after midnight, and the turnout figure was published an hour\n"
        "later. Observers said the count was orderly."
    )
    assert split(text) == [
        text[: text.index("Observers") - 1],
        "Observers said the count was orderly.",
    ]


def test_an_ellipsis_before_a_lowercase_word_does_not_end_a_sentence():
    assert split("They waited … and waited. Then the bus came.") == [
        "They waited … and waited.",
        "Then the bus came.",
    ]


def test_only_whitespace_lies_between_sentences_and_all_text_is_covered():
    text = "  Title line\r\n\r\n“One.” Two?\n\n\n- three\n  four.  "
    spans = sentence_spans(text)
    covered = "".join(text[s.start : s.end] for s in spans)
    assert "".join(covered.split()) == "".join(text.split())
    for left, right in pairwise(spans):
        assert text[left.end : right.start].isspace()


def test_paragraph_numbers_increase_at_blank_lines():
    spans = sentence_spans("One. Two.\n\nThree.")
    assert [s.paragraph for s in spans] == [0, 0, 1]


def test_empty_and_blank_texts_have_no_sentences():
    assert sentence_spans("") == []
    assert sentence_spans(" \n\t \n") == []
