"""What a number counts: measure_of() over many English phrasings, no database."""

import pytest

from claims.extraction import find_quantities
from claims.extraction.measures import MEASURES, measure_of


def measures(text):
    return [
        (q.text, measure_of(text, q.start, q.end, q.kind, q.unit).name)
        for q in find_quantities(text)
    ]


def measure(text, number):
    (quantity,) = [q for q in find_quantities(text) if q.text == number]
    return measure_of(text, quantity.start, quantity.end, quantity.kind, quantity.unit)


@pytest.mark.parametrize(
    ("text", "number", "expected"),
    [
        # The seed interview's numbers.
        (
            "until around 20,000, if not more, were marching towards the akimat",
            "around 20,000",
            "crowd",
        ),
        ("About 10,000 people have been arrested so far.", "About 10,000", "detained"),
        ("90 percent of the people were peaceful", "90 percent", "share"),
        # A group is part of a crowd, not its size.
        ("a group of 100 people grow to 200, then 300", "100", "other"),
        # Crowds.
        ("Some 5,000 protesters gathered in the square.", "Some 5,000", "crowd"),
        ("Ten thousand people marched.", "Ten thousand", "crowd"),
        ("A crowd of 3,000 filled the square.", "3,000", "crowd"),
        ("Tens of thousands took to the streets of Almaty.", "Tens of thousands", "crowd"),
        ("About 800 demonstrators rallied outside the akimat.", "About 800", "crowd"),
        # Detained.
        ("The ministry said 9,900 people were detained.", "9,900", "detained"),
        ("Police arrested 250 people overnight.", "250", "detained"),
        ("nearly 6,000 people had been detained by 9 January", "nearly 6,000", "detained"),
        ("More than 40 activists are still being held.", "More than 40", "detained"),
        ("The number of detainees reached 1,700.", "1,700", "detained"),
        ("About 10,000 protesters were arrested.", "About 10,000", "detained"),
        # Killed.
        ("Officials said at least 238 people died.", "at least 238", "killed"),
        ("The death toll rose to 238.", "238", "killed"),
        ("Sixteen police officers were killed.", "Sixteen", "killed"),
        ("Medics counted 12 bodies in the morgue.", "12", "killed"),
        ("Five were shot dead near the airport.", "Five", "killed"),
        # Injured.
        ("Hundreds were hurt.", "Hundreds", "injured"),
        ("More than 4,500 people were injured.", "More than 4,500", "injured"),
        ("About 1,300 were hospitalised with wounds.", "About 1,300", "injured"),
        # Missing.
        ("Some 12 people are still missing.", "Some 12", "missing"),
        ("Relatives say 30 men disappeared after the raids.", "30", "missing"),
        # Other kinds.
        ("Prices rose 90% in a year.", "90%", "share"),
        ("The contract was worth $2.5 million.", "$2.5 million", "money"),
        ("The strike lasted six days.", "six days", "duration"),
        ("The fire spread over 15 km.", "over 15 km", "distance"),
        # Unclear: not guessed.
        ("300 cars were burned.", "300", "other"),
        ("The police fired 40 rounds.", "40", "other"),
        ("Alfred Ononugbo, 55, said he saw it.", "55", "other"),
    ],
)
def test_it_names_what_the_number_counts(text, number, expected):
    assert measure(text, number).name == expected


def test_a_fate_outranks_who_the_people_were():
    found = measure("About 10,000 protesters were arrested.", "About 10,000")
    assert found.name == "detained"
    assert '"arrested"' in found.reason


def test_each_number_takes_the_word_next_to_it():
    assert measures("Police killed 5 and wounded 20.") == [("5", "killed"), ("20", "injured")]


def test_a_new_clause_belongs_to_its_own_number():
    assert measures("20,000 marched, and police arrested 500.") == [
        ("20,000", "crowd"),
        ("500", "detained"),
    ]


def test_a_cue_in_another_sentence_does_not_count():
    assert measure("Many were arrested. Then 300 came.", "300").name == "other"


def test_a_far_away_cue_does_not_count():
    text = "About 300 came from the villages on the other side of the river and later marched."
    assert measure(text, "About 300").name == "other"


def test_dates_and_times_are_not_counted():
    assert measures("On 5 January at 10:30 the police detained people.") == []


def test_the_reason_names_the_rule_that_fired():
    found = measure("The ministry said 9,900 people were detained.", "9,900")
    assert found.reason == 'what happened: "detained" 3 words after the number'
    assert measure("300 cars were burned.", "300").reason.startswith("no word nearby")


def test_every_answer_is_a_known_measure():
    text = "Ten thousand marched, 5 died, $3 million lost, 40% peaceful, 2 km away, 3 days."
    assert {name for _, name in measures(text)} <= set(MEASURES)


def test_the_steps_on_the_way_to_a_count_are_not_its_size():
    text = "a group of 100 people grew to 200, then 300, until around 20,000 were marching"
    assert measures(text) == [
        ("100", "other"),
        ("200", "other"),
        ("300", "other"),
        ("around 20,000", "crowd"),
    ]
    assert measure(text, "200").reason == "a step on the way to a later figure of the same count"
    # The last step is the figure: it counts what its words say.
    text = "The crowd grew from 200 to 5,000 protesters."
    assert measures(text) == [("200", "other"), ("5,000", "crowd")]


def test_a_part_counts_what_its_whole_counts():
    text = (
        "Prosecutors said the bodies of 225 people had been delivered to morgues, among them "
        "19 members of the security forces."
    )
    found = measure(text, "19")
    assert found.name == "killed"
    assert found.reason.startswith('part of "225": what happened: "bodies"')


def test_a_part_of_an_unclear_whole_stays_unclear():
    assert measure("Some 300 cars, including 12 buses, were towed.", "12").name == "other"


@pytest.mark.parametrize(
    "text",
    ["The hospital treated 51 people on March 4.", "The hospital treated 51 people on 4 March."],
)
def test_the_month_march_is_not_a_march(text):
    assert measure(text, "51").name == "other"
    assert measure("51 people joined the march.", "51").name == "crowd"
