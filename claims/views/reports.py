"""Report pages: options and preview, a download per format, and the PDF and bundle of
large investigations prepared in the background."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from claims.access.permissions import (
    Action,
    get_investigation_for_user,
    get_report_file_for_user,
)
from claims.forms import ReportOptionsForm
from claims.models import ReportFile
from claims.reporting import report_files, reports
from claims.reporting.formats import FORMATS, export_report
from claims.views.fragments import page_or_fragment

# The preview renders the report in the page; past this many claims it shows the first ones
# and says so, since the browser would otherwise lay out tens of thousands of quotes.
PREVIEW_CLAIMS = 200


def _report_context(request, investigation, membership, form):
    options = _options(request, investigation, form)
    report = reports.build_report(investigation, options, claim_limit=PREVIEW_CLAIMS)
    size = report_files.report_size(investigation, options)
    return {
        "investigation": investigation,
        "membership": membership,
        "form": form,
        "report": report,
        "report_sha256": report.sha256,
        "total_claims": size.claims,
        "formats": FORMATS.values(),
        # Formats this report is too large to build inside a request: the page offers to
        # prepare them instead of a download link.
        "prepared_formats": [
            name for name in FORMATS if report_files.is_built_in_background(name, size)
        ],
        "query": request.GET.urlencode() if form.is_valid() else "",
    }


def _options(request, investigation, form):
    """The options asked for; ClaimReview links default to this report page's address."""
    here = request.build_absolute_uri(reverse("claims:report", args=[investigation.slug]))
    if not form.is_valid():
        return reports.ReportOptions(publication_url=here)
    return form.report_options(default_publication_url=here)


@require_GET
@vary_on_headers("HX-Request")
def report_detail(request, slug):
    investigation, membership = get_investigation_for_user(request.user, slug)
    form = ReportOptionsForm(request.GET)
    template = page_or_fragment(request, "claims/report.html", "report-workspace")
    return render(request, template, _report_context(request, investigation, membership, form))


@require_GET
def report_download(request, slug, format_name):
    investigation, membership = get_investigation_for_user(request.user, slug)
    report_format = FORMATS.get(format_name)
    if report_format is None:
        raise Http404("No such report format.")
    form = ReportOptionsForm(request.GET)
    if not form.is_valid():
        context = _report_context(request, investigation, membership, form)
        return render(request, "claims/report.html", context)
    options = _options(request, investigation, form)
    # Measured only for the formats it can concern: CSV and JSON never need the queries.
    if format_name in report_files.BACKGROUND_FORMATS and report_files.is_built_in_background(
        format_name, report_files.report_size(investigation, options)
    ):
        # An old link to a PDF or bundle of what has become a large investigation.
        messages.info(
            request, f"This report is large: prepare the {report_format.label} here first."
        )
        return redirect(_report_url(investigation, request.GET.urlencode()))
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


def _report_url(investigation, query):
    url = reverse("claims:report", args=[investigation.slug])
    return f"{url}?{query}" if query else url


def _report_file_context(report_file, membership):
    return {
        "investigation": report_file.investigation,
        "membership": membership,
        "report_file": report_file,
        "report_format": FORMATS[report_file.format_name],
        "report_url": _report_url(report_file.investigation, report_file.query),
    }


@require_POST
def report_file_create(request, slug, format_name):
    """Queue the PDF or bundle of a report, with the options in the query string."""
    investigation, membership = get_investigation_for_user(
        request.user, slug, Action.REQUEST_REPORT
    )
    if format_name not in report_files.BACKGROUND_FORMATS:
        raise Http404("This format is downloaded directly.")
    form = ReportOptionsForm(request.GET)
    if not form.is_valid():
        context = _report_context(request, investigation, membership, form)
        return render(request, "claims/report.html", context)
    try:
        report_file = report_files.request_report_file(
            investigation,
            format_name,
            _options(request, investigation, form),
            query=request.GET.urlencode(),
            requested_by=request.user,
        )
    except report_files.TooManyReportFiles as error:
        return _refused(request, str(error), _report_url(investigation, request.GET.urlencode()))
    if not request.htmx:
        return redirect("claims:report-file-detail", report_file.pk)
    context = _report_file_context(report_file, membership)
    return render(request, "claims/report_file.html#report-file", context)


@require_POST
def report_file_retry(request, report_file_id):
    """Queue again a report file that failed or whose worker stopped."""
    report_file, membership = get_report_file_for_user(
        request.user, report_file_id, Action.REQUEST_REPORT
    )
    try:
        report_file = report_files.retry_report_file(report_file, requested_by=request.user)
    except report_files.TooManyReportFiles as error:
        return _refused(
            request, str(error), reverse("claims:report-file-detail", args=[report_file.pk])
        )
    if not request.htmx:
        return redirect("claims:report-file-detail", report_file.pk)
    context = _report_file_context(report_file, membership)
    return render(request, "claims/report_file.html#report-file", context)


def _refused(request, message, url):
    """The answer to a build request over the per-person limit: the message where the
    report file would have appeared (htmx), or on the page the request came from."""
    if request.htmx:
        return render(request, "claims/report_file.html#report-file-refused", {"message": message})
    messages.error(request, message)
    return redirect(url)


@require_GET
@vary_on_headers("HX-Request")
def report_file_detail(request, report_file_id):
    """Where a prepared report stands; polled by htmx until it is ready or failed."""
    report_file, membership = get_report_file_for_user(request.user, report_file_id)
    template = page_or_fragment(request, "claims/report_file.html", "report-file")
    return render(request, template, _report_file_context(report_file, membership))


@require_GET
def report_file_download(request, report_file_id):
    report_file, _ = get_report_file_for_user(request.user, report_file_id)
    if report_file.status != ReportFile.Status.DONE or not report_file.file:
        raise Http404("This report is not ready.")
    report_format = FORMATS[report_file.format_name]
    return FileResponse(
        report_file.file.open("rb"),
        as_attachment=True,
        filename=f"{report_file.investigation.slug}-{report_format.filename}",
        content_type=report_format.content_type,
    )
