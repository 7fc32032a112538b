"""The report page: options and preview, and a download per format."""

# The PDF and bundle of large investigations are prepared in the background: report_file.py.

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from claims.access.permissions import get_investigation_for_user
from claims.forms import ReportOptionsForm
from claims.reporting import report_files, reports
from claims.reporting.formats import FORMATS, export_report
from claims.views.fragments import page_or_fragment

# The preview renders the report in the page; past this many claims it shows the first ones
# and says so, since the browser would otherwise lay out tens of thousands of quotes.
PREVIEW_CLAIMS = 200


def report_page_context(request, investigation, membership, form):
    """Everything the report page shows for the options in `form` (a ReportOptionsForm)."""
    options = report_options(form)
    report = reports.build_report(investigation, options, claim_limit=PREVIEW_CLAIMS)
    size = report_files.report_size(investigation, options)
    return {
        "investigation": investigation,
        "membership": membership,
        "form": form,
        "report": report,
        "report_sha256": report.sha256,
        "total_claims": size.claims,
        "unverified_claims": size.unverified,
        "formats": FORMATS.values(),
        # Formats this report is too large to build inside a request: the page offers to
        # prepare them instead of a download link.
        "prepared_formats": [
            name for name in FORMATS if report_files.is_built_in_background(name, size)
        ],
        "query": request.GET.urlencode() if form.is_valid() else "",
    }


def report_options(form):
    """The options asked for. The publication address is only ever the one given: this
    page's own address is private to the workbench and must not reach what is published."""
    if not form.is_valid():
        return reports.ReportOptions()
    return form.report_options()


@require_GET
@vary_on_headers("HX-Request")
def report_detail(request, slug):
    investigation, membership = get_investigation_for_user(request.user, slug)
    form = ReportOptionsForm(request.GET)
    template = page_or_fragment(request, "claims/report.html", "report-workspace")
    return render(request, template, report_page_context(request, investigation, membership, form))


@require_GET
def report_download(request, slug, format_name):
    investigation, membership = get_investigation_for_user(request.user, slug)
    report_format = FORMATS.get(format_name)
    if report_format is None:
        raise Http404("No such report format.")
    form = ReportOptionsForm(request.GET)
    if not form.is_valid():
        context = report_page_context(request, investigation, membership, form)
        return render(request, "claims/report.html", context)
    options = report_options(form)
    # Measured only for the formats it can concern: CSV and JSON never need the queries.
    if format_name in report_files.BACKGROUND_FORMATS and report_files.is_built_in_background(
        format_name, report_files.report_size(investigation, options)
    ):
        # An old link to a PDF or bundle of what has become a large investigation.
        messages.info(
            request, f"This report is large: prepare the {report_format.label} here first."
        )
        return redirect(report_url(investigation, request.GET.urlencode()))
    chunks = export_report(investigation, format_name, options)
    if report_format.is_streamed:
        response = StreamingHttpResponse(chunks, content_type=report_format.content_type)
    else:
        response = HttpResponse(b"".join(chunks), content_type=report_format.content_type)
    filename = f"{investigation.slug}-{report_format.filename}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def report_json(request, slug):
    """The JSON download under its original address, kept for existing links."""
    return report_download(request, slug, "json")


def report_url(investigation, query):
    """The report page's address with the options in `query`."""
    url = reverse("claims:report", args=[investigation.slug])
    return f"{url}?{query}" if query else url
