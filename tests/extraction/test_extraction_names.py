"""One person's name spelled several ways comes back as a warning group."""

from claims.extraction import name_variant_groups


def test_spellings_of_one_surname_form_a_group_with_every_occurrence():
    text = (
        "Nurlan Temirbayev spoke first. Later Temirbaev said the gate was locked. "
        "“I saw them,” Temirbajev repeats. The ministry did not reply."
    )
    (group,) = name_variant_groups(text)
    assert group.names == ("Temirbayev", "Temirbaev", "Temirbajev")
    assert [text[s:e] for s, e in group.spans] == list(group.names)


def test_accents_and_transposed_letters_are_variants():
    text = "Dragana Petrić runs the bakery. Petric says the water came fast."
    assert name_variant_groups(text)[0].names == ("Petrić", "Petric")
    text = "The judge sentenced Paulo Ribeiro. Riberio said nothing."
    assert name_variant_groups(text)[0].names == ("Ribeiro", "Riberio")


def test_a_name_spelled_one_way_is_no_warning():
    assert name_variant_groups("Anna Berg said the fire spread. Berg left at noon.") == []


def test_different_people_and_common_words_are_not_grouped():
    text = (
        "Ivan Petrov and Olga Petrova said the road was closed. "
        "Police said the Police station was empty. Mr Brown met Mr Braun."
    )
    names = [group.names for group in name_variant_groups(text)]
    assert ("Petrov", "Petrova") not in names
    assert all("Police" not in group for group in names)
    assert ("Brown", "Braun") not in names


def test_possessives_are_the_same_name():
    text = "Amara Lente spoke. Lente’s car was found. Lentte said so."
    (group,) = name_variant_groups(text)
    assert group.names == ("Lente", "Lentte")
    assert len(group.spans) == 3
