"""When and where a figure was stated: occasion_of() on dates, weekdays, places; no database."""

from datetime import date

import pytest

from claims.extraction import find_quantities, occasion_of

SATURDAY = date(2022, 1, 15)


def occasion(text, number, published_on=SATURDAY, kind="count"):
    start = text.index(number)
    return occasion_of(text, start, start + len(number), published_on, kind)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ministry said on 11 January that 9,900 people were detained.", date(2022, 1, 11)),
        ("On January 11, 2021, police said 9,900 people were detained.", date(2021, 1, 11)),
        ("By 11 Jan. police had detained 9,900 people.", date(2022, 1, 11)),
        ("By Jan. 11 police had detained 9,900 people.", date(2022, 1, 11)),
        ("On the 11th of January 9,900 people were detained.", date(2022, 1, 11)),
        ("Figures of 2022-01-11 show 9,900 people were detained.", date(2022, 1, 11)),
        ("Status 11.01.2022: 9,900 people were detained.", date(2022, 1, 11)),
        # Resolved from the source's date (a Saturday).
        ("Yesterday police detained 9,900 people.", date(2022, 1, 14)),
        ("Police detained 9,900 people today.", date(2022, 1, 15)),
        ("On Wednesday police detained 9,900 people.", date(2022, 1, 12)),
        ("On Saturday police detained 9,900 people.", date(2022, 1, 15)),
        ("Last Saturday police detained 9,900 people.", date(2022, 1, 8)),
        # A date months after the source's, read with its year, is last year's.
        ("On 28 December police detained 9,900 people.", date(2021, 12, 28)),
    ],
)
def test_it_reads_the_date_the_sentence_states(text, expected):
    assert occasion(text, "9,900").on == expected


@pytest.mark.parametrize(
    "text",
    [
        "Police detained 9,900 people.",
        "Next Monday police will release 9,900 people.",  # a day to come
        "On 31 February police detained 9,900 people.",  # no such day
        "In May 9,900 people were detained.",  # a month is not a day
        "Police may detain 9,900 people in March.",
    ],
)
def test_no_date_is_guessed(text):
    assert occasion(text, "9,900").on is None


def test_without_the_source_date_only_dates_with_their_year_are_read():
    assert occasion("On Wednesday 300 were detained.", "300", None).on is None
    assert occasion("On 5 January 300 were detained.", "300", None).on is None
    assert occasion("On 5 January 2022 300 were detained.", "300", None).on == date(2022, 1, 5)


def test_the_nearest_date_in_the_sentence_wins():
    text = "On 5 January the akimat burned, and on 9 January 6,000 were detained."
    assert occasion(text, "6,000").on == date(2022, 1, 9)


def test_the_sentence_before_is_read_when_it_names_one_date():
    text = "On 5 January the akimat was stormed. Hundreds were injured."
    assert occasion(text, "Hundreds").on == date(2022, 1, 5)


def test_a_new_speaker_starts_a_statement_of_its_own():
    text = "On 5 January the akimat was stormed. Officials said dozens had been killed."
    found = occasion(text, "dozens")
    assert found.on is None
    assert found.date_reason == "no date stated in the sentence"
    # A pronoun continues the speaker before.
    text = "On 5 January the akimat was stormed. He says dozens were killed."
    assert occasion(text, "dozens").on == date(2022, 1, 5)


def test_the_sentence_before_is_not_read_when_it_names_two_dates():
    text = "On 5 January and on 6 January the city burned. Hundreds were injured."
    assert occasion(text, "Hundreds").on is None


def test_another_paragraph_is_not_read():
    text = "On 5 January the akimat was stormed.\n\nHundreds were injured."
    assert occasion(text, "Hundreds").on is None


@pytest.mark.parametrize(
    ("text", "number", "place"),
    [
        ("About 800 demonstrators rallied in Almaty.", "About 800", "Almaty"),
        ("Some 5,000 gathered at Republic Square on Friday.", "Some 5,000", "Republic Square"),
        ("Near the Medeu District 12 people were hurt.", "12", "Medeu District"),
        ("Police detained 40 people outside Almaty Arena.", "40", "Almaty Arena"),
        ("In Almaty, 300 people marched.", "300", "Almaty"),
        ("Nearly 6,000 were detained across Kazakhstan.", "Nearly 6,000", "Kazakhstan"),
        ("They marched in Rio de Janeiro, 20,000 of them.", "20,000", "Rio de Janeiro"),
        (
            "300 people were detained in the Republic of Kazakhstan.",
            "300",
            "Republic of Kazakhstan",
        ),
    ],
)
def test_it_reads_the_place_named_after_in_at_near(text, number, place):
    found = occasion(text, number)
    assert found.place == place
    assert place in found.place_reason


@pytest.mark.parametrize(
    "text",
    [
        "In January 300 people were detained.",  # a month
        "On Monday 300 people were detained.",
        "Police detained 300 people at least.",  # lower case
        "In Tokayev's words, 300 people were detained.",  # a possessive: a person
        "In Russian, the notice said 300 people were detained.",  # a language
        "300 people were detained, President Tokayev said.",  # no preposition
        "In a statement, police said 300 people were detained.",
    ],
)
def test_no_place_is_guessed(text):
    assert occasion(text, "300").place == ""


def test_a_place_name_stops_before_a_title():
    text = "In Almaty President Tokayev said 300 people were detained."
    assert occasion(text, "300").place == "Almaty"


def test_an_age_has_no_date_or_place():
    text = "On 5 January in Almaty, Ms Lee, 34, saw it."
    start = text.index("34")
    found = occasion_of(text, start, start + 2, SATURDAY, "age")
    assert (found.on, found.place) == (None, "")


def test_the_quantities_the_app_stores_get_their_occasion():
    text = "Troops were out in Almaty on Sunday. Nearly 6,000 people had been detained by then."
    (quantity,) = find_quantities(text)
    found = occasion_of(text, quantity.start, quantity.end, date(2022, 1, 9), quantity.kind)
    assert (found.on, found.place) == (date(2022, 1, 9), "Almaty")
    assert found.date_reason == '"Sunday" in the sentence before'


@pytest.mark.parametrize(
    "text",
    [
        "On 5 January\x00 300 people were detained in Almaty\x00.",
        "x" * 200_000 + " 300 people " + "y" * 200_000,
        "In" + " Almaty" * 20_000 + " 300 people marched.",
        "On 5 January " * 10_000 + "300 people were detained.",
        ("a." * 50_000) + "300" + (".b" * 50_000),
        "300",
        "\n\n300\n\n",
    ],
)
def test_hostile_text_gives_an_answer_quickly(text):
    start = text.index("300")
    found = occasion_of(text, start, start + 3, SATURDAY)
    assert found.on is None or isinstance(found.on, date)
    assert len(found.place) <= 100
    assert "\x00" not in found.place


def test_a_nul_does_not_join_a_place_name():
    text = "300 people marched in Almaty\x00Arena."
    assert occasion(text, "300").place == "Almaty"


@pytest.mark.parametrize(
    "text",
    [
        "On 5 January police detained people.",
        "On January 5, 2022 police detained people.",
        "By Jan. 11 police had detained people.",
        "Figures of 2022-01-11 show detentions.",
        "On the 11th of January police detained people.",
        "Status 11.01.2022: police detained people.",
    ],
)
def test_the_dates_it_reads_are_never_counted(text):
    assert find_quantities(text) == []
