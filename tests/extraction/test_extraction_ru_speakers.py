"""Russian speakers across sentences: whose voice a text is in (an official statement, a
testimony, a news report), "по её словам" and other cues that point back, and the source a cue
names rather than the words beside it."""

import pytest

from claims.extraction import extract


def speakers(text):
    return [s.speaker for s in extract(text, "ru")]


STATEMENT = """Акимат города Актас: теплоснабжение восстановлено во всех 214 домах

Пресс-служба акимата, 14 января 2025 года

11 января на теплотрассе произошёл порыв трубы. Без отопления остались 214 домов.
На ремонт будет выделено 1,2 млрд тенге.
"""


def test_an_official_statement_is_in_its_authors_voice():
    assert [s.speaker for s in extract(STATEMENT, "ru") if s.is_proposed] == ["government"] * 4


NEWS = """В Жанаозене около двух тысяч нефтяников бастуют неделю

Асхат Кенжебаев, Актау

Рабочие остановили работу утром 3 марта. К пятнице к ним присоединились ещё 400 человек.
"""


def test_a_news_report_is_in_the_reporters_voice():
    assert [s.speaker for s in extract(NEWS, "ru") if s.is_proposed] == ["reporter"] * 3


TESTIMONY = """«Вода дошла до окон за три часа»: жительница села о паводке

Дина Омарова, Костанайская область

Вечером 5 января воду из реки пустили в село. Утонули 40 коров.

В акимате заявили, что подтоплены 312 домов. Эвакуированы 1 140 человек.
"""


def test_a_testimony_is_told_in_the_witness_voice_and_officials_keep_their_paragraph():
    assert [s.speaker for s in extract(TESTIMONY, "ru") if s.is_proposed] == [
        "witness",
        "witness",
        "witness",
        "government",
        "government",
    ]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Акимат: теплоснабжение восстановлено во всех домах", "government"),
        ("МВД: задержаны 87 человек", "government"),
        ("Волонтёр: «Сотни семей искали своих близких»", "witness"),
        ("«Автобус остановили у моста»: водитель о той ночи", "witness"),
    ],
)
def test_a_headline_says_whose_words_it_gives(text, speaker):
    assert speakers(text) == [speaker]


@pytest.mark.parametrize(
    "text",
    [
        "Зейнеп живёт в селе с рождения. По её словам, вода пошла в село ночью.",
        "Ерлан водит автобус. По его словам, автобус остановили у моста.",
        "Гульнара торгует на рынке. По её подсчётам, треть торговцев не вернулась.",
    ],
)
def test_by_her_words_points_back_to_the_person_named_before(text):
    assert speakers(text)[1] == "witness"


def test_by_his_words_after_an_official_is_the_officials():
    text = "Аким области заявил, что выплаты начнутся в мае. По его словам, получат 300 семей."
    assert speakers(text) == ["government", "government"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # The source is the one "по словам" names, not the police the sentence speaks of.
        ("По словам Ахметовой, полицейские применили газ.", "witness"),
        ("Ахметова сказала, что полицейские применили газ.", "witness"),
        ("По данным Конфедерации профсоюзов, вызвали 20 активистов.", "organization"),
        ("По данным компании, уволили не более 120 человек.", "organization"),
        ("В компании заявили, что увольнения плановые.", "organization"),
        ("В «Адилете» сообщили, что передали показания 12 медиков.", "organization"),
        ("В акимате пообещали каждой семье выплату в 100 МРП.", "government"),
        ("Применение газа во дворах в ведомстве отрицают.", "government"),
        ("Ерлан уверяет, что оружия ни у кого не было.", "witness"),
        ("Согласно годовому отчёту, прибыль составила 14,7 млрд тенге.", "reporter"),
    ],
)
def test_the_cue_names_the_source(text, speaker):
    assert speakers(text) == [speaker]


def test_someone_sure_of_a_fact_asserts_it():
    sentence = extract("Зейнеп уверена, что в селе утонула почти половина скота.", "ru")[0]
    assert (sentence.speaker, sentence.is_proposed) == ("witness", True)


def test_someone_sure_of_what_will_be_still_gives_an_opinion():
    assert not extract("Я уверена, что будет ещё хуже.", "ru")[0].is_proposed


def test_a_document_the_reporter_cites_ends_the_officials_paragraph():
    text = (
        "В полиции подтвердили задержание двоих человек. Согласно годовому отчёту компании, "
        "прибыль составила 14,7 млрд тенге. Почти четверть сотрудников работают по договорам."
    )
    assert speakers(text) == ["government", "reporter", "reporter"]


def test_her_words_do_not_point_back_to_officials_who_are_they():
    text = (
        "В ведомстве также заявили, что никто не пострадал. Ахметова с этим не согласна: "
        "по её словам, как минимум пятерых увезли на скорой."
    )
    assert speakers(text) == ["government", "witness"]


def test_her_words_point_back_to_an_official_who_is_she():
    text = "Министр здравоохранения заявила, что больницы работают. По её словам, коек хватает."
    assert speakers(text) == ["government", "government"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # The subject before the verb, however many names follow the title, not the addressee.
        ("Аким города Ерболат Досаев заявил журналистам, что готов встретиться.", "government"),
        ("В ответ на обвинения полиции правозащитники заявили, что это ложь.", "organization"),
    ],
)
def test_the_subject_nearest_the_verb_is_the_source(text, speaker):
    assert speakers(text) == [speaker]


INTERVIEW = """Жительница Жанаозена рассказала, как искала сына в изоляторах

Её сына задержали 17 декабря возле дома. Она обошла все отделы полиции города.

В полиции сообщили, что сведений о задержании у них нет.
"""


def test_a_headline_telling_a_persons_account_makes_a_testimony():
    assert [s.speaker for s in extract(INTERVIEW, "ru") if s.is_proposed] == [
        "witness",
        "witness",
        "government",
    ]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Журналисты издания насчитали около 2 тысяч участников.", "media"),
        ("Он насчитал от 15 до 20 автоматных очередей.", "witness"),
        ("По оценкам правозащитников, задержаны 300 человек.", "organization"),
        ("По оценкам организаторов, на площадь вышли до 5 тысяч человек.", "witness"),
        ("По разным оценкам, на площадь вышли до 5 тысяч человек.", "unknown"),
    ],
)
def test_whoever_counted_or_estimated_is_the_source(text, speaker):
    assert speakers(text) == [speaker]


def test_he_points_back_to_the_official_named_in_the_sentence_before():
    text = (
        "К митингующим вышел заместитель акима области Берик Сапаров. Он пообещал, что цена "
        "будет снижена до 85 тенге."
    )
    assert speakers(text) == ["reporter", "government"]


@pytest.mark.parametrize(
    "text",
    [
        # "Она" cannot be the police who "заявили"; nor the police the sentence before names.
        "В МВД заявили, что задержаны 87 человек. Она говорит, что задержали больше.",
        "К площади подъехали автобусы с полицейскими. По её словам, их было двенадцать.",
    ],
)
def test_she_points_back_to_a_person_not_to_a_body(text):
    assert speakers(text)[1] == "witness"


def test_none_detained_or_killed_is_a_claim():
    sentence = extract("Как сообщили в полиции, беспорядков не было. Задержанных нет.", "ru")[1]
    assert sentence.is_proposed, sentence.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Ранее в акимате сообщали, что площадь закрыта на ремонт.",
        "В акимате неоднократно отмечали, что выплаты идут по графику.",
    ],
)
def test_speech_verbs_in_the_imperfective_past_are_cues(text):
    assert speakers(text) == ["government"]


def test_a_headline_giving_a_body_its_claim_is_an_official_claim():
    text = "Прокуратура области: по факту гибели рабочего возбуждено уголовное дело"
    sentence = extract(text, "ru")[0]
    assert (sentence.speaker, sentence.is_proposed) == ("government", True)
