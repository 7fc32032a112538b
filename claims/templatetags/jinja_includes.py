"""{% jinja_include "name" key=value ... %}: a Jinja2 template (templates/jinja2/) drawn inside
a Django template, for the small includes both kinds of page share (a form field, a form's
errors, a status badge, a history), so that each exists once."""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja_include(context, template_name, **values):
    rendered = (
        engines["jinja2"].get_template(template_name).render(values, request=context.get("request"))
    )
    # Jinja2 escaped every value it wrote (autoescape is on): the result is markup.
    return mark_safe(rendered)  # noqa: S308
