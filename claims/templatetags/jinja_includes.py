"""{% jinja_include "name" key=value ... %}: a Jinja2 template (templates/jinja2/) drawn inside
a Django template, for the small includes both kinds of page share (a form field, a form's
errors, a status badge, a history), so that each exists once."""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def jinja_include(template_name, **values):
    # Without the request, so that no CSRF token can be written into a page the page cache
    # keeps: these includes draw only what they are given.
    rendered = engines["jinja2"].get_template(template_name).render(values)
    # Jinja2 escaped every value it wrote (autoescape is on): the result is markup.
    return mark_safe(rendered)  # noqa: S308
