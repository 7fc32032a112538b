"""A source's language: detected when it is added, shown, corrected by an editor
(POST /sources/<id>/language/), and picking the extraction rules."""

from django.urls import reverse

from claims.models import AuditEvent, Claim, Source
from tests.clients import HTMX
from tests.factories import make_source

RUSSIAN_TESTIMONY = (
    "Свидетель из Каратала\n\n"
    "По словам Ахметовой, 6 января у рынка собралось около двадцати тысяч человек. "
    "Как сообщили в МВД, задержаны не менее 87 человек. "
    "Мы стояли у ворот рынка до самого вечера."
)


def language_url(source):
    return reverse("claims:source-language", args=[source.pk])


def test_a_pasted_russian_testimony_is_detected_and_read_with_russian_rules(
    client, erin, investigation
):
    client.force_login(erin)
    response = client.post(
        reverse("claims:source-create", args=[investigation.slug]),
        {"title": "Каратал", "kind": "testimony", "text": RUSSIAN_TESTIMONY, "language": ""},
    )
    source = Source.objects.get(title="Каратал")
    assert response.status_code == 302
    assert source.language == "ru"
    suggestions = {
        claim.quote: (claim.attribution, [q.value for q in claim.quantities.all()])
        for claim in source.claims.filter(status="suggested")
    }
    crowd = "По словам Ахметовой, 6 января у рынка собралось около двадцати тысяч человек."
    assert suggestions[crowd] == ("witness", [20000])
    assert suggestions["Как сообщили в МВД, задержаны не менее 87 человек."] == (
        "government",
        [87],
    )
    crowd_number = source.claims.get(quote=crowd).quantities.get()
    assert (crowd_number.text, crowd_number.bound) == ("около двадцати тысяч", "approximate")
    page = client.get(source.get_absolute_url()).content.decode()
    assert "Language: <strong>Russian</strong>" in page


def test_a_chosen_language_is_kept_over_detection(client, erin, investigation):
    client.force_login(erin)
    client.post(
        reverse("claims:source-create", args=[investigation.slug]),
        {"title": "Chosen", "kind": "testimony", "text": RUSSIAN_TESTIMONY, "language": "kk"},
    )
    assert Source.objects.get(title="Chosen").language == "kk"


def test_editor_corrects_the_language_and_suggestions_are_read_again(client, erin, investigation):
    source = make_source(investigation, text=RUSSIAN_TESTIMONY, language="en", extract=True)
    official = source.claims.get(quote__startswith="Как сообщили в МВД")
    assert [q.value for q in official.quantities.all()] == [87]  # English rules: digits only
    client.force_login(erin)
    response = client.post(language_url(source), {"language": "ru"})
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.language == "ru"
    crowd = source.claims.get(quote__contains="двадцати тысяч")
    assert [q.value for q in crowd.quantities.all()] == [20000]
    assert crowd.attribution == "witness"
    event = AuditEvent.objects.get(action="source.language")
    assert event.before == {"language": "en"}
    assert event.after["language"] == "ru"
    assert event.actor == erin
    page = client.get(source.get_absolute_url()).content.decode()
    assert "Language set to Russian" in page


def test_a_suggestion_someone_acted_on_is_not_read_again(client, erin, bob, investigation):
    source = make_source(investigation, text=RUSSIAN_TESTIMONY, language="en", extract=True)
    claim = source.claims.get(quote__startswith="Как сообщили в МВД")
    quantity = claim.quantities.get()
    client.force_login(bob)
    client.post(
        reverse("claims:quantity-edit", args=[quantity.pk]),
        {"value": "90", "low": "", "high": "", "unit": "people", "bound": "exact"},
    )
    claim.refresh_from_db()
    assert [q.value for q in claim.quantities.all()] == [90]
    client.force_login(erin)
    client.post(language_url(source), {"language": "ru"})
    assert [q.value for q in claim.quantities.all()] == [90]


def test_htmx_correction_reloads_the_page(client, erin, investigation):
    source = make_source(investigation, text=RUSSIAN_TESTIMONY, language="en")
    client.force_login(erin)
    response = client.post(language_url(source), {"language": "ru"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"


def test_unknown_language_is_refused_and_nothing_changes(client, erin, investigation):
    source = make_source(investigation, text=RUSSIAN_TESTIMONY, language="ru")
    client.force_login(erin)
    response = client.post(language_url(source), {"language": "fr"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Select a valid choice" in body
    assert "<html" not in body
    source.refresh_from_db()
    assert source.language == "ru"
    assert not AuditEvent.objects.filter(action="source.language").exists()


def test_the_same_language_again_writes_nothing(client, erin, investigation):
    source = make_source(investigation, text=RUSSIAN_TESTIMONY, language="ru")
    client.force_login(erin)
    response = client.post(language_url(source), {"language": "ru"})
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="source.language").exists()


def test_reviewer_may_not_correct_the_language(client, bob, investigation):
    source = make_source(investigation, text=RUSSIAN_TESTIMONY, language="en")
    client.force_login(bob)
    assert client.post(language_url(source), {"language": "ru"}).status_code == 403
    source.refresh_from_db()
    assert source.language == "en"
    page = client.get(source.get_absolute_url()).content.decode()
    assert "Correct the language" not in page


def test_outsider_gets_404(client, carol, investigation):
    source = make_source(investigation, text=RUSSIAN_TESTIMONY, language="en")
    client.force_login(carol)
    assert client.post(language_url(source), {"language": "ru"}).status_code == 404


def test_anonymous_is_sent_to_login(client, investigation):
    source = make_source(investigation, text=RUSSIAN_TESTIMONY, language="en")
    response = client.post(language_url(source), {"language": "ru"})
    assert response.status_code == 302
    assert "login" in response.url


def test_get_is_not_allowed(client, erin, investigation):
    source = make_source(investigation, text=RUSSIAN_TESTIMONY, language="en")
    client.force_login(erin)
    assert client.get(language_url(source)).status_code == 405


def test_claims_are_unchanged_by_a_refused_correction(client, bob, investigation):
    source = make_source(investigation, text=RUSSIAN_TESTIMONY, language="en", extract=True)
    before = list(Claim.objects.filter(source=source).values_list("pk", "attribution"))
    client.force_login(bob)
    client.post(language_url(source), {"language": "ru"})
    assert list(Claim.objects.filter(source=source).values_list("pk", "attribution")) == before


def test_words_marked_by_hand_are_read_with_the_source_language(client, bob, investigation):
    source = make_source(investigation, text=RUSSIAN_TESTIMONY, language="ru")
    client.force_login(bob)
    response = client.post(
        reverse("claims:claim-mark", args=[source.pk]),
        {"quote": "собралось около двадцати тысяч человек", "attribution": "witness"},
    )
    assert response.status_code == 302
    claim = Claim.objects.get(source=source)
    assert [(q.text, q.value, q.bound) for q in claim.quantities.all()] == [
        ("около двадцати тысяч", 20000, "approximate")
    ]
