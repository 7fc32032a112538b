"""Form widgets rendered by Jinja2, Django's own widget templates otherwise unchanged.

Django ships every built-in widget template twice, for its template language and for
Jinja2, and keeps the two in step; the Jinja2 copies render the same markup in about a third
of the time. The claim page draws some thirty widgets (its forms and their select options),
and they were a fifth of its rendering. Widgets that exist only as Django templates (the
admin's, a library's) are rendered the usual way.
"""

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class WidgetRenderer(BaseRenderer):
    """FORM_RENDERER: Jinja2 for the templates it has, Django's templates for the rest."""

    def __init__(self):
        self.fast = Jinja2()
        self.fallback = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return self.fast.get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
