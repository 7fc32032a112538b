"""The claim list's hand-written form markup says what Django's templates would have said."""

import pytest
from django import forms

from claims.forms import PlainLabels, PlainSelect

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"


class TemplateLabels(forms.Form):
    search = forms.CharField(label=f"Search {HOSTILE}")
    question = forms.CharField(label="Why?", required=False)
    no_id = forms.CharField(label="Hidden id", widget=forms.TextInput(attrs={"id": ""}))


class WrittenLabels(PlainLabels, TemplateLabels):
    pass


@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_labels_match_djangos_template_output(auto_id):
    by_template, written = TemplateLabels(auto_id=auto_id), WrittenLabels(auto_id=auto_id)
    for name in TemplateLabels.base_fields:
        assert str(written[name].label_tag()) == str(by_template[name].label_tag())
        assert str(written[name].legend_tag()) == str(by_template[name].legend_tag())
        assert str(written[name].label_tag(attrs={"class": "x"})) == str(
            by_template[name].label_tag(attrs={"class": "x"})
        )
    assert "<script>" not in str(written["search"].label_tag())


def test_plain_select_escapes_and_marks_the_choice():
    widget = PlainSelect(choices=[("", "Any"), ('a"b', HOSTILE), ("2", "Two")])
    markup = widget.render("field", "2", attrs={"id": "id_field"})
    assert markup.startswith("<select ") and markup.endswith("</select>")
    assert 'name="field"' in markup and 'id="id_field"' in markup
    assert '<option value="2" selected>Two</option>' in markup
    assert '<option value="a&quot;b">' in markup
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert markup.count(" selected") == 1
