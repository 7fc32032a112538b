"""Russian and Kazakh (Cyrillic) extraction: sentences, quantities, speakers, check-worthiness,
language detection, and the properties every text keeps."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.extraction import extract, find_quantities
from claims.extraction.language import detect_language
from claims.extraction.sentences_ru import sentence_spans_ru

RUSSIAN_GOLD = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "ru"


def sentences(text):
    return [text[span.start : span.end] for span in sentence_spans_ru(text)]


def found(text, language="ru"):
    return [(q.text, q.value) for q in find_quantities(text, language=language)]


def only(text, language="ru"):
    quantities = find_quantities(text, language=language)
    assert len(quantities) == 1, quantities
    return quantities[0]


def judged(text, language="ru"):
    return {s.text: s for s in extract(text, language)}


# Sentences.


def test_abbreviations_do_not_end_a_sentence():
    text = "В 2022 г. на ул. Абая собрались люди, т. е. весь район. Потом пришли военные."
    assert sentences(text) == [
        "В 2022 г. на ул. Абая собрались люди, т. е. весь район.",
        "Потом пришли военные.",
    ]


def test_initials_stay_with_the_name():
    text = "По словам А. Исабарова, стреляли. Так сказал и А. Б. Сейтов."
    assert sentences(text) == ["По словам А. Исабарова, стреляли.", "Так сказал и А. Б. Сейтов."]


def test_closing_quotation_marks_stay_with_their_sentence():
    text = "Она сказала: «Мы стояли. Никто не уходил». Потом он добавил: „Было страшно“. Всё."
    assert sentences(text) == [
        "Она сказала: «Мы стояли.",
        "Никто не уходил».",
        "Потом он добавил: „Было страшно“.",
        "Всё.",
    ]


def test_a_speech_tag_after_a_dash_stays_with_the_speech():
    text = "«Стреляли без предупреждения», — говорит он. — Уходите! — крикнул офицер. Мы ушли."
    assert sentences(text) == [
        "«Стреляли без предупреждения», — говорит он.",
        "— Уходите! — крикнул офицер.",
        "Мы ушли.",
    ]


def test_a_dash_at_the_start_of_a_line_opens_direct_speech():
    text = "Я спросила его.\n— Вы видели раненых?\n— Да, видел. Их было десять."
    assert sentences(text) == [
        "Я спросила его.",
        "— Вы видели раненых?",
        "— Да, видел.",
        "Их было десять.",
    ]


def test_a_sentence_may_open_with_a_number():
    text = (
        "Собирались от 50 до 70 человек. 8 января приехал спецназ. В 2022 г. 5 января всё началось."
    )
    assert sentences(text) == [
        "Собирались от 50 до 70 человек.",
        "8 января приехал спецназ.",
        "В 2022 г. 5 января всё началось.",
    ]


def test_bodies_are_not_a_telephone():
    # "тел." is the genitive plural of "тело" before a capital; an abbreviation before digits.
    text = "Насчитали от 100 до 150 тел. На многих были ранения. Справки по тел. 8 701 555 12 12."
    assert sentences(text) == [
        "Насчитали от 100 до 150 тел.",
        "На многих были ранения.",
        "Справки по тел. 8 701 555 12 12.",
    ]


def test_kazakh_sentences_are_split():
    text = "Алматыда 5 қаңтарда 200 адам жиналды. Куәгер бұл туралы айтты."
    assert sentences(text) == ["Алматыда 5 қаңтарда 200 адам жиналды.", "Куәгер бұл туралы айтты."]


# Quantities.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Штраф получили 9 900 человек.", [("9 900", 9900)]),
        ("Штраф получили 9\u00a0900 человек.", [("9\u00a0900", 9900)]),
        ("На площадь вышли 10.000 человек.", [("10.000", 10000)]),
        ("Средний чек вырос на 2,5 процента.", [("2,5 процента", 2.5)]),
        ("Пришли двадцать шесть человек.", [("двадцать шесть", 26)]),
        ("Около двадцати тысяч человек вышли на площадь.", [("Около двадцати тысяч", 20000)]),
        ("Пришли полторы тысячи солдат.", [("полторы тысячи", 1500)]),
        ("Их было больше полутора тысяч.", [("больше полутора тысяч", 1500)]),
        ("Пострадали двести человек.", [("двести", 200)]),
        ("Из трёхсот задержанных отпустили пятьдесят.", [("трёхсот", 300), ("пятьдесят", 50)]),
        ("О двоих задержанных ничего не известно.", [("двоих", 2)]),
        ("Убытки составили 20 тыс. тенге.", [("20 тыс. тенге", 20000)]),
        ("Ущерб оценили в 3 млн рублей.", [("3 млн рублей", 3000000)]),
        ("Сотни машин стояли на трассе.", [("Сотни", 100)]),
        ("Десятки тысяч людей вышли на улицы.", [("Десятки тысяч", 10000)]),
        ("Пришли несколько сотен человек.", [("несколько сотен", 100)]),
        ("Цены выросли на 90%.", [("90%", 90)]),
        ("Ему было 26 лет.", [("26 лет", 26)]),
        ("26-летний Исабаров вернулся.", [("26-летний", 26)]),
        ("Протест длился три дня.", [("три дня", 3)]),
    ],
)
def test_numbers_are_read(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "value", "bound"),
    [
        ("Собралось около 300 человек.", 300, "approximate"),
        ("Собралось порядка 300 человек.", 300, "approximate"),
        ("Собралось почти 300 человек.", 300, "approximate"),
        ("Собралось более 300 человек.", 300, "lower"),
        ("Собралось свыше 300 человек.", 300, "lower"),
        ("Задержаны не менее 10 человек.", 10, "lower"),
        ("Задержаны не более 10 человек.", 10, "upper"),
        ("Задержаны до 10 человек.", 10, "upper"),
        ("Задержаны 300 с лишним человек.", 300, "lower"),
        ("Задержаны десятки человек.", 10, "lower"),
    ],
)
def test_hedges_map_to_the_english_bounds(text, value, bound):
    quantity = only(text)
    assert (quantity.value, quantity.bound, quantity.approximate) == (value, bound, True)


def test_an_unhedged_number_is_exact():
    quantity = only("Задержаны 10 человек.")
    assert (quantity.value, quantity.bound, quantity.approximate) == (10, "exact", False)
    assert quantity.unit == "человек"


@pytest.mark.parametrize("text", ["Собралось от 100 до 200 человек.", "Собралось 100–200 человек."])
def test_ranges_give_both_ends(text):
    ends = find_quantities(text, language="ru")
    assert [q.value for q in ends] == [100, 200]
    assert {(q.kind, q.low, q.high) for q in ends} == {("range_end", 100, 200)}


@pytest.mark.parametrize(
    "text",
    [
        "Это случилось 5 января.",
        "Это случилось 5-го января.",
        "Это случилось 05.01.2022.",
        "Это случилось в 2022 году.",
        "Это случилось в 2022 г.",
        "Всё началось в 17:00.",
        "Всё началось в 17.00.",
        "Всё началось в 7 утра.",
        "Это был 5-й автобус.",
        "Он сослался на статью 19.",
        "Больница № 2 закрыта.",
        "Одна из машин горела.",
    ],
)
def test_dates_times_ordinals_and_identifiers_are_not_counts(text):
    assert found(text) == []


def test_a_date_beside_a_count_leaves_the_count():
    assert found("5 января задержали 87 человек.") == [("87", 87)]


# Vocabulary the first held-out texts showed missing (they are tuning texts now).


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("В феврале её дважды вызывали на допрос.", [("дважды", 2)]),
        ("Его трижды задерживали.", [("трижды", 3)]),
        ("На рынок не вернулась примерно треть торговцев.", [("примерно треть", 0.33)]),
        ("Треть участников задержали.", [("Треть", 0.33)]),
        ("Из трети домов вывезли людей.", [("трети", 0.33)]),
        ("Пострадала почти половина домов.", [("почти половина", 0.5)]),
        ("Половину задержанных отпустили.", [("Половину", 0.5)]),
        ("Ответа нет уже месяц.", [("месяц", 1)]),
        ("Его держали в изоляторе неделю.", [("неделю", 1)]),
        ("Они ждали ответа целый год.", [("год", 1)]),
    ],
)
def test_multiples_fractions_and_a_bare_unit_of_time_are_read(text, expected):
    assert found(text) == expected


def test_a_fraction_counts_a_share_of_a_group():
    from claims.extraction import measure_of

    text = "Пострадала почти половина домов."
    quantity = only(text)
    measure = measure_of(text, quantity.start, quantity.end, quantity.kind, quantity.unit)
    assert measure.name == "share"


def test_a_fraction_and_a_bare_unit_are_marked_for_what_they_are():
    assert only("Пострадала почти половина домов.").kind == "fraction"
    assert only("Пострадала почти половина домов.").bound == "approximate"
    assert only("Ответа нет уже месяц.").kind == "duration"
    assert only("Его трижды задерживали.").kind == "count"


@pytest.mark.parametrize(
    "text",
    [
        "Аренда стоила 40 000 тенге в месяц.",  # a rate, not a duration
        "Через неделю после разговора она позвонила.",
        "Это было месяц назад.",
        "В прошлом месяце цены выросли.",
        "Каждый день приходили люди.",
        "Каждую неделю приходили люди.",
        "Они уехали на неделю.",
        "Год был тяжёлым.",
        "Во второй половине дня стало тихо.",  # a time of day
        "В первой половине января цены выросли.",
        "На третью ночь стрельба стихла.",  # an ordinal
        "За первую неделю пришло много писем.",
        "Это случилось 6 и 7 января.",  # two dates
        "Это случилось в ночь с 7 на 8 января.",
        "Митинги шли с 5 по 7 января.",
        "Митинги шли 5–7 января.",
    ],
)
def test_rates_points_in_time_ordinals_and_date_pairs_are_not_counts(text):
    found_here = found(text)
    if text.startswith("Аренда"):
        assert found_here == [("40 000 тенге", 40000)]
    else:
        assert found_here == []


def test_a_count_beside_a_date_pair_stays():
    assert found("6 и 7 января задержали около 40 человек.") == [("около 40", 40)]


# Errors of the second tuning round (flood, heating, strike: the first held-out texts).


@pytest.mark.parametrize(
    "text",
    [
        "Авария на ТЭЦ-2 оставила дома без тепла.",
        "Он переболел Covid-19 прошлой зимой.",
        "Самолёт Ан-24 разбился при посадке.",
        "Её перевели в школу № 15.",
        "Они жили в доме 7 на окраине.",
        "Он ехал на автобусе 32.",
        "Справки по телефону 109.",
        "Звоните по тел. 8 727 123-45-67.",
    ],
)
def test_names_with_a_number_and_telephone_numbers_are_not_counts(text):
    assert found(text) == []


def test_a_count_after_a_vehicle_stays_a_count():
    assert found("В автобусе 43 пассажира.") == [("43", 43)]
    assert found("Сгорели 2 автобуса.") == [("2", 2)]


def test_a_telephone_line_is_not_proposed():
    assert not extract("Справки по телефону 109.", "ru")[0].is_proposed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Приходят от полутора до двух тысяч человек.",
            [("от полутора", 1500), ("до двух тысяч", 2000)],
        ),
        ("Собралось от 2 до 3 тысяч человек.", [("от 2", 2000), ("до 3 тысяч", 3000)]),
        ("Пришли 2–3 тысячи человек.", [("2", 2000), ("3 тысячи", 3000)]),
        ("Ущерб составил от 2 до 3 млн тенге.", [("от 2", 2000000), ("до 3 млн тенге", 3000000)]),
        # The first end stands on its own when the scale would carry it past the second.
        ("Собралось от 500 до 3 тысяч человек.", [("от 500", 500), ("до 3 тысяч", 3000)]),
    ],
)
def test_the_scale_word_of_a_ranges_second_end_applies_to_the_first(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Почти четверть сотрудников работают по договорам.", [("Почти четверть", 0.25)]),
        ("Уволили четверть бригады.", [("четверть", 0.25)]),
    ],
)
def test_a_quarter_is_a_share(text, expected):
    assert found(text) == expected
    assert only(text).kind == "fraction"


@pytest.mark.parametrize(
    "text",
    [
        "Соседку, 74-летнюю бабушку Раю, выносили из дома на двери.",
        "Его 80-летнего отца вынесли из дома на руках.",
    ],
)
def test_an_age_in_a_statement_of_what_happened_is_proposed_with_the_age(text):
    sentence = extract(text, "ru")[0]
    assert sentence.is_proposed, sentence.reasons
    assert [q.kind for q in sentence.quantities] == ["age"]


def test_an_age_introducing_someone_is_still_not_proposed():
    text = "Зейнеп Абдрахманова, 68 лет, живёт в Караое с рождения и держит небольшое хозяйство."
    assert not extract(text, "ru")[0].is_proposed


@pytest.mark.parametrize(
    "text",
    [
        "На замену магистрали из местного бюджета будет выделено 1,2 млрд тенге.",
        "Плата за отопление за январь будет снижена на треть.",
        "Каждой семье будут выплачены 370 тысяч тенге.",
    ],
)
def test_a_commitment_of_money_or_numbers_is_proposed(text):
    sentence = extract(text, "ru")[0]
    assert sentence.is_proposed, sentence.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Наверное, зимой будет ещё холоднее.",
        "Думаю, будет ещё хуже.",
        "Будет ещё хуже, чем в 2022 году.",
        "Зарплата, наверное, будет снижена на треть.",
    ],
)
def test_a_prediction_stays_a_prediction(text):
    assert not extract(text, "ru")[0].is_proposed


@pytest.mark.parametrize(
    "text",
    [
        "На вечер 10 марта забастовка продолжается.",  # a strike is an event
        "Нефтяники бастуют вторую неделю.",
    ],
)
def test_a_strike_is_an_event(text):
    sentence = extract(text, "ru")[0]
    assert sentence.is_proposed, sentence.reasons


@pytest.mark.parametrize(
    "text",
    [
        # The interview's scene, told in the past tense.
        "Пока мы разговаривали, волонтёры привезли в спортзал горячий обед.",
        # "The missing" named as whom someone helps: no event is told.
        "Теперь она координирует группу добровольцев, которая помогает родственникам пропавших.",
    ],
)
def test_the_interviews_scene_and_a_mention_of_the_missing_are_not_proposed(text):
    sentence = extract(text, "ru")[0]
    assert not sentence.is_proposed, sentence.reasons


def test_people_gone_missing_is_still_an_event():
    sentence = extract("После разгона митинга пропали трое студентов.", "ru")[0]
    assert sentence.is_proposed, sentence.reasons


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Пришли полтора десятка человек.", [("полтора десятка", 15)]),
        ("Задержали два десятка активистов.", [("два десятка", 20)]),
        ("Задержали десяток человек.", [("десяток", 10)]),
        ("Пришли полсотни человек.", [("полсотни", 50)]),
        ("Пришла сотня человек.", [("сотня", 100)]),
        ("Пришли две сотни человек.", [("две сотни", 200)]),
        ("Цены выросли втрое.", [("втрое", 3)]),
        ("Тариф снизили вдвое.", [("вдвое", 2)]),
        ("Около 2/3 жителей уехали.", [("Около 2/3", 0.67)]),
        ("Выплата составит 50 тыс. тенге на семью.", [("50 тыс. тенге", 50000)]),
        ("Полиция задержала всю его семью.", []),
        ("Он пришёл с семью детьми.", [("семью", 7)]),
        ("Дом 5/2 по улице Абая сгорел.", []),
    ],
)
def test_tens_hundreds_multiples_and_written_fractions(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Министерство выражает соболезнования семьям погибших.",
        "Акимат приносит извинения жителям за причинённые неудобства.",
        "Благодарим энергетиков и волонтёров за самоотверженную работу.",
        "Прокуратура напоминает работодателям об ответственности за нарушение правил.",
        "Акимат призывает жителей сохранять спокойствие.",
    ],
)
def test_condolences_apologies_thanks_and_appeals_are_not_claims(text):
    assert extract(text, "ru")[0].label == "NFS"


def test_my_own_age_is_an_age_and_not_a_claim():
    sentence = extract("Мне 19 лет, я студент.", "ru")[0]
    assert [q.kind for q in sentence.quantities] == ["age"]
    assert not sentence.is_proposed


def test_kazakh_digit_quantities_are_read():
    assert found("Алматыда 5 қаңтарда 1 000 адам жиналды.", "kk") == [("1 000", 1000)]
    assert found("200-ден астам адам ұсталды.", "kk") == [("200-ден астам", 200)]
    assert only("200-ден астам адам ұсталды.", "kk").bound == "lower"


def test_english_rules_stay_the_default():
    # The Russian date rule does not apply to English text, and English reads its own words.
    assert found("About twenty thousand people came.", "en") == [("About twenty thousand", 20000)]
    assert found("Около двадцати тысяч человек.", "en") == []


# Speakers.


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("По словам Ахметовой, задержали 20 человек.", "witness"),
        ("Ахметова сказала, что задержали 20 человек.", "witness"),
        ("Как сообщили в МВД, задержаны 87 человек.", "government"),
        ("В полиции заявили, что задержаны 87 человек.", "government"),
        ("Как утверждает министерство, погибли 19 человек.", "government"),
        ("Правозащитники заявили, что пропали 30 человек.", "organization"),
        ("Газета сообщила, что уволены 300 шахтёров.", "media"),
        ("Говорят, что погибли 50 человек.", "unknown"),
        ("Мы видели, как задержали 20 человек.", "witness"),
        ("Утром к площади подъехали 12 автобусов.", "reporter"),
    ],
)
def test_speakers_follow_the_english_layers(text, speaker):
    assert extract(text, "ru")[0].speaker == speaker


def test_a_quotation_keeps_its_speaker_across_sentences():
    text = "Министр заявил: «Задержаны 87 человек. Погибших нет»."
    assert [s.speaker for s in extract(text, "ru")] == ["government", "government"]


def test_there_refers_back_to_the_official_just_named():
    text = "Как сообщили в МВД, задержаны 87 человек. Там утверждают, что погибших нет."
    assert [s.speaker for s in extract(text, "ru")] == ["government", "government"]


# Check-worthiness.


@pytest.mark.parametrize(
    "text",
    [
        "Полицейские применили слезоточивый газ и светошумовые гранаты.",  # force
        "До утра в отделении умерли шестеро.",  # casualties
        "Вечером задержали её сына.",  # detentions
        "Как сообщили в МВД, беспорядки прекратились.",  # an official claim
        "Около полудня на площадь вышли люди.",  # an event
    ],
)
def test_check_worthy_sentences_are_proposed(text):
    sentence = extract(text, "ru")[0]
    assert sentence.label == "CFS", sentence.reasons


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Вы видели раненых?", "NFS"),  # a question
        ("Я думаю, это была провокация.", "NFS"),  # an opinion
        ("Наверное, мы больше не выйдем.", "NFS"),  # speculation
        ("Мы разговариваем с ней по видеосвязи.", "UFS"),  # how the interview was done
    ],
)
def test_questions_opinions_and_scene_setting_are_not_proposed(text, label):
    assert extract(text, "ru")[0].label == label


@pytest.mark.parametrize(
    "text",
    [
        "«Автобус остановили у моста»: водитель о той ночи",
        "Жители микрорайона Самал: «Во двор бросали газ»",
        "«После забастовки нас уволили»: рассказ шахтёра",
    ],
)
def test_a_headline_quoting_what_happened_is_proposed(text):
    sentence = extract(text, "ru")[0]
    assert sentence.label == "CFS", sentence.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Волонтёр: «Мы не сдадимся»",  # a headline quoting a resolve, not an event
        "«Нам страшно»: рассказ матери",
        "— Я не могла там долго находиться.",  # what someone could not bear
        "— Мы делали всё, что могли.",
    ],
)
def test_a_resolve_a_feeling_or_what_one_could_do_is_not_proposed(text):
    sentence = extract(text, "ru")[0]
    assert sentence.label != "CFS", sentence.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Ерлан Жумабеков, 52 года, водит междугородний автобус уже тридцать лет.",
        "Серик Нурланов проработал на шахте «Восточная» девятнадцать лет.",
        "«Я работаю в хирургии двадцать лет, но такого не видела», — говорит Салтанат.",
    ],
)
def test_years_of_someones_working_life_are_not_proposed(text):
    sentence = extract(text, "ru")[0]
    assert sentence.label != "CFS", sentence.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Его держали в колонии три года.",  # an event
        "Цены не менялись три года.",  # no verb of work: a fact about prices
        "Он проработал на шахте девятнадцать лет, а уволили его за один день.",
    ],
)
def test_years_beside_an_event_or_without_work_stay_proposed(text):
    sentence = extract(text, "ru")[0]
    assert sentence.label == "CFS", sentence.reasons


# Language detection.


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Около двадцати тысяч человек вышли на площадь, сказал свидетель.", "ru"),
        ("Алматыда 5 қаңтарда 200 адам жиналды, деді куәгер.", "kk"),
        ("About twenty thousand people came to the square, a witness said.", "en"),
        ("Am Abend kamen viele Menschen auf den Platz.", "other"),
        ("12 345 — 678", "other"),
    ],
)
def test_the_language_is_detected(text, language):
    assert detect_language(text) == language


# The gold texts.


@pytest.mark.parametrize("gold", sorted(RUSSIAN_GOLD.glob("*.gold.json")), ids=lambda p: p.name)
def test_gold_texts_are_anchored_and_found_again_by_their_builder(gold):
    from benchmarks.ru_gold import build

    text = gold.with_name(gold.name.replace(".gold.json", ".txt")).read_text(encoding="utf-8")
    marked = gold.with_name(gold.name.replace(".gold.json", ".marked")).read_text(encoding="utf-8")
    annotation = json.loads(gold.read_text(encoding="utf-8"))
    rebuilt_text, rebuilt = build(marked)
    assert rebuilt_text == text
    assert rebuilt["sentences"] == annotation["sentences"]
    for sentence in annotation["sentences"]:
        assert text[sentence["start"] : sentence["end"]] == sentence["text"]
        for quantity in sentence.get("quantities", []):
            assert text[quantity["start"] : quantity["end"]] == quantity["text"]


# Properties: any Cyrillic text gives exact, ordered, complete sentence spans.

PIECES_RU = [
    "Он",
    "сказал",
    "г.",
    "ул.",
    "т. е.",
    "А.",
    "«",
    "»",
    "„",
    "“",
    "—",
    " — ",
    ".",
    "?",
    "!",
    "…",
    ",",
    "\n",
    "\n\n",
    "— ",
    "9 900",
    "10.000",
    "5 января",
    "17:00",
    "от",
    "до",
    "около",
    "не менее",
    "двадцати",
    "тысяч",
    "тыс.",
    "млн",
    "сотни",
    "полторы",
    "26-летний",
    "100–200",
    "-",
    "ден",
    "астам",
    "МВД",
    "по словам",
]
texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(PIECES_RU), max_size=50).map(" ".join),
    st.lists(st.sampled_from(PIECES_RU), max_size=50).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_russian_sentences_and_quantities_are_exact_slices(text):
    previous_end = 0
    for sentence in extract(text, "ru"):
        assert 0 <= sentence.start < sentence.end <= len(text)
        assert sentence.text == text[sentence.start : sentence.end]
        assert text[previous_end : sentence.start].strip() == ""
        assert sentence.text == sentence.text.strip()
        assert sentence.label in ("CFS", "UFS", "NFS")
        assert 0.0 <= sentence.score <= 1.0
        for quantity in sentence.quantities:
            assert sentence.start <= quantity.start < quantity.end <= sentence.end
            assert quantity.text == text[quantity.start : quantity.end]
            assert len(quantity.unit) <= 50
        previous_end = sentence.end
    assert text[previous_end:].strip() == ""
