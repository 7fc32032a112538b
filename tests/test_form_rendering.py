"""Widgets drawn from Jinja2's copies of Django's widget templates say what Django's say.

factcheck/form_rendering.py renders every widget through Jinja2 where Django ships a Jinja2
template and through Django's templates otherwise. The two sets escape with different but
equivalent entities (&#39; against &#x27;) and space lines differently; read as HTML, the
markup must be the same, hostile text included.
"""

import html
import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer

from claims import forms as claim_forms
from factcheck.form_rendering import WidgetRenderer

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"


class Everything(forms.Form):
    """One field of each widget the workbench's forms use, with hostile text everywhere."""

    text = forms.CharField(initial=HOSTILE, help_text=HOSTILE)
    area = forms.CharField(widget=forms.Textarea, initial=HOSTILE)
    number = forms.IntegerField(initial=7)
    hidden = forms.CharField(widget=forms.HiddenInput, initial=HOSTILE)
    url = forms.URLField(initial="https://example.org/?a=1&b=2")
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    choice = forms.ChoiceField(choices=[("a", HOSTILE), ("b", "Plain")], initial="a")
    many = forms.MultipleChoiceField(choices=[("x", HOSTILE), ("y", "Why")], initial=["y"])
    ticks = forms.MultipleChoiceField(
        choices=[("x", HOSTILE), ("y", "Why")], widget=forms.CheckboxSelectMultiple
    )
    flag = forms.BooleanField(required=False, initial=True)
    upload = forms.FileField(required=False)


def as_read(markup):
    """Markup as a browser reads it: entities decoded, runs of blank space made one, and
    none between tags."""
    spaced = re.sub(r"\s+", " ", html.unescape(str(markup)).strip())
    return re.sub(r"> <", "><", spaced)


def drawn_by(form, renderer):
    form.renderer = renderer
    return {name: str(form[name]) for name in form.fields}


def test_the_default_renderer_is_the_widget_renderer():
    assert isinstance(get_default_renderer(), WidgetRenderer)


@pytest.mark.parametrize("data", [None, {"text": HOSTILE, "choice": "zzz", "number": "x"}])
def test_every_widget_reads_the_same_from_either_template_set(data):
    fast = drawn_by(Everything(data), WidgetRenderer())
    django = drawn_by(Everything(data), DjangoTemplates())
    assert fast.keys() == django.keys()
    for name in fast:
        assert as_read(fast[name]) == as_read(django[name]), name
        assert "<script>" not in fast[name]


def test_the_workbench_forms_read_the_same(db):
    """Each form of claims/forms.py that builds without arguments, drawn both ways."""
    checked = 0
    for name in dir(claim_forms):
        form_class = getattr(claim_forms, name)
        if not (isinstance(form_class, type) and issubclass(form_class, forms.BaseForm)):
            continue
        try:
            fast, django = form_class(), form_class()
        except TypeError:
            continue  # needs arguments (a verdict, a citation): drawn in the page tests
        fast.renderer, django.renderer = WidgetRenderer(), DjangoTemplates()
        assert as_read(fast.as_div()) == as_read(django.as_div()), name
        checked += 1
    assert checked >= 10


def test_widgets_without_a_jinja2_template_fall_back_to_django():
    # The admin's widgets exist only as Django templates.
    template = WidgetRenderer().get_template("admin/widgets/related_widget_wrapper.html")
    assert template.render({"widget": {}}) is not None
