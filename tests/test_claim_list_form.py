"""The claim list's filter and bulk forms, drawn by Django's own widgets: every select has its
label, titles are escaped, the choice stays selected, and the source filter stays short."""

import html
import re

from django.urls import reverse

from claims.forms import BulkForm, ClaimFilterForm
from claims.models import Source
from claims.views.claim_list import SOURCE_CHOICES_CAP
from tests.factories import make_source

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"


def filter_form(data=None, sources=()):
    return ClaimFilterForm(data, members=[], sources=sources, speakers=[HOSTILE], tags=[])


def test_every_filter_and_bulk_field_has_a_label_for_its_control():
    forms = [filter_form(), BulkForm(members=[])]
    for form in forms:
        for field in form:
            if field.is_hidden or field.name == "claims":
                continue
            label = str(field.label_tag())
            assert label.startswith(f'<label for="{field.id_for_label}">'), label
            assert f'id="{field.id_for_label}"' in str(field)


def test_the_bulk_form_keeps_its_own_ids_beside_the_filters():
    bulk = BulkForm(members=[])
    assert str(bulk["assignee"]).startswith("<select")
    assert 'id="bulk_assignee"' in str(bulk["assignee"])
    assert 'id="id_assignee"' in str(filter_form()["assignee"])


def test_titles_are_escaped_and_the_choice_stays_selected():
    form = filter_form({"source": "7"}, sources=[(7, HOSTILE), (8, "Other")])
    markup = str(form["source"])
    assert markup.startswith("<select")
    assert markup.endswith("</select>")
    assert '<option value="7" selected>' in markup
    assert markup.count(" selected") == 1
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    speaker = str(form["speaker"])
    # Escaped inside the attribute: no raw quote ends it early, and it reads back whole.
    values = re.findall(r'<option value="([^"]*)"', speaker)
    assert HOSTILE in [html.unescape(value) for value in values]


def test_the_source_filter_offers_at_most_the_cap(client, bob, investigation):
    cap = SOURCE_CHOICES_CAP
    assert cap == 100
    make_source(investigation, title="The oldest source")
    for number in range(cap):
        make_source(investigation, title=f"Source {number:03}")
    assert Source.objects.filter(investigation=investigation).count() == cap + 1
    client.force_login(bob)
    body = client.get(reverse("claims:claim-list", args=[investigation.slug])).content.decode()
    select = re.search(r'<select name="source".*?</select>', body, re.S).group(0)
    assert select.count("<option") == cap + 1  # "Any" and the newest sources
    assert "The oldest source" not in select
    assert f"The {cap} newest sources." in body
