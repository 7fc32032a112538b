"""Who asserts each sentence: reporter, witness, government, organization, media, unknown."""

import pytest

from claims.extraction import extract


def speakers(text):
    return [(s.text, s.speaker) for s in extract(text)]


def speaker_of(text, sentence_start):
    """Speaker of the sentence of `text` that starts with `sentence_start`."""
    matches = [s for s in extract(text) if s.text.startswith(sentence_start)]
    assert len(matches) == 1, [s.text for s in extract(text)]
    return matches[0].speaker


def test_narration_is_the_reporters():
    assert speaker_of("The bridge was closed on Monday.", "The bridge") == "reporter"


def test_a_quotation_with_a_speech_tag_is_the_witnesss():
    text = "“The water came through the door,” says Mirko Halas, who owns the bakery."
    assert speaker_of(text, "“The water") == "witness"


def test_every_sentence_of_a_quotation_gets_the_attribution_found_at_its_end():
    text = (
        "“The police came at night. They took my brother and two neighbours. "
        "We still have no news,” the health minister said."
    )
    assert [speaker for _, speaker in speakers(text)] == ["government"] * 3


def test_a_quotation_without_attribution_is_the_witnesss():
    text = "Nobody has explained it. “Soldiers fired into the crowd.”"
    assert speaker_of(text, "“Soldiers") == "witness"


def test_quotation_state_does_not_leak_across_paragraphs():
    text = "“They fired at us, said a driver.\n\nThe army later withdrew from the square."
    assert speaker_of(text, "The army") == "reporter"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Police said 40 people were detained overnight.", "government"),
        ("The interior ministry said the roads were reopened.", "government"),
        ("According to the regional governor, the dam held.", "government"),
        ("Amnesty International said at least nine people were killed.", "organization"),
        ("The teachers' union said its members would strike.", "organization"),
        ("A company spokeswoman told reporters the plant had closed.", "organization"),
        ("Reuters reported that the border was shut.", "media"),
        ("According to the Daily Courier, the mayor resigned.", "media"),
        ("It is said that the governor left the country.", "unknown"),
        ("According to estimates, 5,000 homes were flooded.", "unknown"),
        ("Residents said the water rose within minutes.", "witness"),
        ("He heard gunshots from the direction of the station.", "witness"),
    ],
)
def test_reported_speech_names_its_source(text, speaker):
    assert extract(text)[0].speaker == speaker


def test_a_named_source_wins_over_hearsay_in_the_same_sentence():
    text = "The president called the march an attack on the state, it is said."
    assert extract(text)[0].speaker == "government"


def test_an_appositive_does_not_hide_the_subject():
    text = "Another witness, Tomas Verde, 47, said police beat him with batons."
    assert extract(text)[0].speaker == "witness"


def test_a_pronoun_refers_to_the_last_person_named_as_a_source():
    text = "The governor said the levee was safe. He added that 30 families had been moved."
    assert [s.speaker for s in extract(text)] == ["government", "government"]


def test_a_name_seen_after_an_official_title_stays_official():
    text = "President Ilse Marr visited the camp. Marr said aid would arrive on Monday."
    assert speaker_of(text, "Marr said") == "government"


def test_the_reason_names_the_attribution():
    sentence = extract("Police said 40 people were detained overnight.")[0]
    assert "reported speech: Police said" in sentence.reasons
