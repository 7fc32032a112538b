"""A source and its translation: paired by an editor, lined up sentence by sentence, claims
marked across the two."""

import itertools
import json
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from claims.models import AuditEvent, Claim, Membership, Role
from claims.reporting.formats import export_report
from claims.reporting.formats.json import SCHEMA_FILE
from claims.reporting.reports import ReportOptions
from claims.sources import alignment, translations
from claims.sources.translations import TranslationRefused
from tests.clients import HTMX
from tests.factories import make_claim, make_investigation, make_source

ORIGINAL = (
    "The crowd on the square grew from 100 people to about 20,000 by noon. "
    "Most of them were peaceful. "
    "Then the shooting started. "
    "The ministry later said 10,000 people had been detained. "
    "Nobody has confirmed that figure."
)
# The translator merged the second and third sentences into one.
TRANSLATION = (
    "К полудню толпа на площади выросла со 100 человек примерно до 20 000. "
    "Большинство были мирными, а потом началась стрельба. "
    "Позже в министерстве заявили, что задержаны 10 000 человек. "
    "Эту цифру никто не подтвердил."
)


def test_sentences_line_up_by_length_and_shared_numbers():
    left = [
        "The crowd on the square grew from 100 people to about 20,000 by noon.",
        "Most of them were peaceful.",
        "Then the shooting started.",
        "The ministry later said 10,000 people had been detained.",
        "Nobody has confirmed that figure.",
    ]
    right = [
        "К полудню толпа на площади выросла со 100 человек примерно до 20 000.",
        "Большинство были мирными, а потом началась стрельба.",
        "Позже в министерстве заявили, что задержаны 10 000 человек.",
        "Эту цифру никто не подтвердил.",
    ]
    rows = alignment.align(left, right)
    assert [(r.a_start, r.a_end, r.b_start, r.b_end) for r in rows] == [
        (0, 1, 0, 1),
        (1, 3, 1, 2),
        (3, 4, 2, 3),
        (4, 5, 3, 4),
    ]


def test_numbers_are_compared_without_their_separators():
    assert alignment.numbers_in("до 20 000 человек, 10.000 и 3,5") == {"20000", "10000", "35"}


@given(
    st.lists(st.text(min_size=1, max_size=40), max_size=25),
    st.lists(st.text(min_size=1, max_size=40), max_size=25),
)
def test_rows_cover_both_texts_in_order(left, right):
    rows = alignment.align(left, right)
    assert [(row.a_start, row.b_start) for row in rows[:1]] in ([], [(0, 0)])
    for row, following in itertools.pairwise(rows):
        assert (row.a_end, row.b_end) == (following.a_start, following.b_start)
    for row in rows:
        assert row.a_end > row.a_start or row.b_end > row.b_start
    assert (
        (rows[-1].a_end, rows[-1].b_end) == (len(left), len(right)) if rows else not (left or right)
    )


@pytest.fixture
def pair(investigation, alice):
    original = make_source(investigation, text=ORIGINAL, title="Witness statement")
    translation = make_source(investigation, text=TRANSLATION, title="Перевод", language="ru")
    owner = Membership.objects.get(investigation=investigation, user=alice)
    translations.pair(translation, original, actor=alice, membership=owner)
    return original, translation


@pytest.mark.django_db
def test_pairing_is_audited_and_checked(investigation, alice, pair):
    original, translation = pair
    translation.refresh_from_db()
    assert translation.translation_of == original
    event = AuditEvent.objects.get(action="source.translation")
    assert event.after["translation_of"] == original.pk
    owner = Membership.objects.get(investigation=investigation, user=alice)
    with pytest.raises(TranslationRefused, match="its own translation"):
        translations.pair(original, translation, actor=alice, membership=owner)
    with pytest.raises(TranslationRefused, match="itself"):
        translations.pair(original, original, actor=alice, membership=owner)
    elsewhere = make_source(
        make_investigation(slug="other", members=[(alice, Role.OWNER)]), title="Far away"
    )
    with pytest.raises(TranslationRefused, match="this investigation"):
        translations.pair(translation, elsewhere, actor=alice, membership=owner)
    owner.role = Role.REVIEWER
    with pytest.raises(TranslationRefused, match="Only an editor"):
        translations.pair(translation, None, actor=alice, membership=owner)


@pytest.mark.django_db
def test_the_side_by_side_page_shows_aligned_sentences(client, alice, pair):
    original, _translation = pair
    make_claim(original, quote="The ministry later said 10,000 people had been detained.")
    client.force_login(alice)
    for source in pair:
        page = client.get(reverse("claims:source-side-by-side", args=[source.pk])).content.decode()
        assert page.count('class="sbs-row"') == 4
        assert "а потом началась стрельба." in page
        assert page.count("sbs-claimed") == 1


@pytest.mark.django_db
def test_an_unpaired_source_says_so_and_a_foreign_source_cannot_be_chosen(
    client, alice, investigation
):
    source = make_source(investigation, title="Alone")
    elsewhere = make_source(
        make_investigation(slug="other", members=[(alice, Role.OWNER)]), title="Far"
    )
    client.force_login(alice)
    url = reverse("claims:source-side-by-side", args=[source.pk])
    assert "No translation is paired" in client.get(url).content.decode()
    response = client.post(
        reverse("claims:source-translation-of", args=[source.pk]), {"original": elsewhere.pk}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    source.refresh_from_db()
    assert source.translation_of is None


@pytest.mark.django_db
def test_an_editor_pairs_sources_from_the_page(client, alice, investigation):
    original = make_source(investigation, text=ORIGINAL, title="Original")
    translation = make_source(investigation, text=TRANSLATION, title="Translation")
    client.force_login(alice)
    response = client.post(
        reverse("claims:source-translation-of", args=[translation.pk]), {"original": original.pk}
    )
    assert response.status_code == 302
    translation.refresh_from_db()
    assert translation.translation_of == original


@pytest.mark.django_db
def test_a_claim_is_marked_in_the_translation_once(client, alice, pair):
    original, translation = pair
    claim = make_claim(
        original, quote="The ministry later said 10,000 people had been detained.", actor=alice
    )
    client.force_login(alice)
    section = reverse("claims:claim-translation", args=[claim.pk])
    shown = client.get(section, **HTMX).content.decode()
    assert "In the translation" in shown
    assert "Позже в министерстве заявили, что задержаны 10 000 человек." in shown
    link = reverse("claims:claim-translation-link", args=[claim.pk])
    assert client.post(link, **HTMX).status_code == 200
    assert client.post(link, **HTMX).status_code == 200
    marked = Claim.objects.get(source=translation)
    assert marked.quote == "Позже в министерстве заявили, что задержаны 10 000 человек."
    assert marked.original == claim
    assert [q.value for q in marked.quantities.all()] == [10000]
    back = client.get(reverse("claims:claim-translation", args=[marked.pk]), **HTMX)
    assert "In the original" in back.content.decode()
    assert "a claim of their own" in back.content.decode()


@pytest.mark.django_db
def test_a_claim_of_a_source_without_translation_has_no_section(client, alice, investigation):
    claim = make_claim(make_source(investigation))
    client.force_login(alice)
    response = client.get(reverse("claims:claim-translation", args=[claim.pk]), **HTMX)
    assert response.content.decode().strip() == '<div id="translation-panel" hidden></div>'
    refused = client.post(reverse("claims:claim-translation-link", args=[claim.pk]), **HTMX)
    assert refused.status_code == 400
    assert "No words of the other source" in refused.content.decode()


@pytest.mark.django_db
def test_reports_quote_the_original_beside_its_translation(alice, investigation, pair):
    original, _translation = pair
    claim = make_claim(
        original, quote="The ministry later said 10,000 people had been detained.", actor=alice
    )
    owner = Membership.objects.get(investigation=investigation, user=alice)
    translated = translations.link(claim, actor=alice, membership=owner)
    document = json.loads(b"".join(export_report(investigation, "json", ReportOptions())))
    schema = json.loads((Path(settings.BASE_DIR) / SCHEMA_FILE).read_text())
    jsonschema.validate(document, schema)
    claims = {c["quote"]: c for source in document["sources"] for c in source["claims"]}
    assert claims[translated.quote]["translation_of"] == {
        "source_number": 1,
        "quote": "The ministry later said 10,000 people had been detained.",
    }
    assert claims[claim.quote]["translation_of"] is None
    markdown = b"".join(export_report(investigation, "md", ReportOptions())).decode()
    assert "- Translates the original (source 1): “The ministry later said 10,000" in markdown
    html = b"".join(export_report(investigation, "html", ReportOptions())).decode()
    assert "<dt>Translates</dt>" in html
