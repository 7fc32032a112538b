"""The Jinja2 environment for the templates under templates/jinja2/: the claim page's body and
the small includes every page shares (a form field, a form's errors, a status badge, a
history).

The claim page is the page people use most, and Django's template language spent about 30 ms
of CPU drawing its body: some 360 variables and 40 includes a load. Jinja2 compiles templates
to Python and draws the same markup in a fraction of that. Pages keep one layout,
templates/base.html, in Django's language; the claim page renders its body here and hands it
to that layout (claims/views/claim_page.py).

What the templates find here is what Django's templates offered them: `url()`, `static()`,
`field()` (a form field with its label, help and errors), and Django's own filters where
the two languages differ (dates in the current time zone, truncation, plurals, file sizes).
`url()` and `date` give what Django's own would, with less work per call (factcheck/reversing.py,
factcheck/dates.py).
Jinja2 looks up every name a template uses when it starts, so a value to be computed only if
a template uses it is passed as a SimpleLazyObject, which computes it on first use, not as a
callable.
"""

import functools

from django.template import defaultfilters
from django.templatetags.static import static
from jinja2 import Environment, pass_environment
from markupsafe import Markup

from factcheck.dates import format_date
from factcheck.reversing import reverse_ids


@pass_environment
def field(env, form, name):
    """Field `name` of `form`, drawn by claims/includes/field.html (label, widget, help,
    errors).

    A blank form of a class that declares it draws the same markup whenever it is blank
    (`same_when_blank`: no instance, no initial values or choices computed per request) is
    drawn once per process: the claim page shows five such forms, and their sixteen widgets
    were a quarter of its body's rendering.

    A field a form class names in `drawn_by_value` (fixed choices, nothing set per request
    but the value shown) is drawn once per value: a select of priorities or ratings drawn
    afresh cost the claim page as much as a dozen text fields.
    """
    if not form.is_bound:
        if getattr(form, "same_when_blank", False):
            return _blank_field(env, type(form), form.prefix, name)
        if name in getattr(form, "drawn_by_value", ()):
            return _field_by_value(env, form, name)
    return _draw_field(env, form[name])


@functools.cache
def _blank_field(env, form_class, prefix, name):
    return _draw_field(env, form_class(prefix=prefix)[name])


# Fields drawn per (form class, prefix, name, value); emptied when full, never unbounded.
_BY_VALUE: dict = {}
_BY_VALUE_MAX = 512


def _field_by_value(env, form, name):
    bound_field = form[name]
    key = (env, type(form), form.prefix, name, bound_field.value())
    try:
        return _BY_VALUE[key]
    except KeyError:
        pass
    except TypeError:  # a value that cannot be a key (a list): drawn as it is
        return _draw_field(env, bound_field)
    if len(_BY_VALUE) >= _BY_VALUE_MAX:
        _BY_VALUE.clear()
    drawn = _BY_VALUE[key] = _draw_field(env, bound_field)
    return drawn


def _draw_field(env, bound_field):
    # Jinja2 escaped every value it wrote: the result is markup.
    return Markup(env.get_template("claims/includes/field.html").render(field=bound_field))  # noqa: S704


def environment(**options):
    # Django's backend turns escaping on already; it is what every template here relies on.
    env = Environment(**{**options, "autoescape": True})  # noqa: S701 (it is on)
    env.globals.update(url=reverse_ids, static=static, field=field)
    env.filters.update(
        date=format_date,
        truncatechars=defaultfilters.truncatechars,
        linebreaksbr=defaultfilters.linebreaksbr,
        pluralize=defaultfilters.pluralize,
        filesizeformat=defaultfilters.filesizeformat,
        stringformat=defaultfilters.stringformat,
    )
    return env
