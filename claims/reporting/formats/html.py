"""The report as a standalone HTML document, and as PDF printed from it by WeasyPrint."""

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

DOCUMENT_TEMPLATE = "claims/report_document.html"
STYLESHEET = "css/report.css"


def _stylesheet():
    path = finders.find(STYLESHEET)
    if not isinstance(path, str):
        raise ImproperlyConfigured(f"The report stylesheet static/{STYLESHEET} is missing")
    with open(path, encoding="utf-8") as css:
        # Our own file, not user input. Inside <style>, HTML escaping would not be undone by
        # the browser, so escaping it would break selectors with quotes.
        return mark_safe(css.read())  # noqa: S308


def document_context(report):
    return {"report": report, "report_sha256": report.sha256}


def render_html(report):
    """One self-contained HTML file: the stylesheet is embedded, nothing is fetched."""
    context = document_context(report) | {"stylesheet": _stylesheet()}
    return render_to_string(DOCUMENT_TEMPLATE, context)


def render_pdf(report):
    """PDF bytes: the HTML document laid out on A4 pages with running header and numbers."""
    # Imported here: WeasyPrint loads Pango through cffi, which takes a moment and is only
    # needed when someone asks for a PDF.
    import weasyprint

    return weasyprint.HTML(string=render_html(report)).write_pdf()
