"""The report file page: a PDF or bundle prepared in the background, then downloaded."""

from django.contrib import messages
from django.http import FileResponse, Http404
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
from claims.reporting import report_files
from claims.reporting.formats import FORMATS
from claims.views.fragments import page_or_fragment, wants_fragment
from claims.views.reports import report_options, report_page_context, report_url

TEMPLATE = "claims/report_file.html"


def _report_file_context(report_file, membership):
    return {
        "investigation": report_file.investigation,
        "membership": membership,
        "report_file": report_file,
        "report_format": FORMATS[report_file.format_name],
        "report_url": report_url(report_file.investigation, report_file.query),
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
        context = report_page_context(request, investigation, membership, form)
        return render(request, "claims/report.html", context)
    try:
        report_file = report_files.request_report_file(
            investigation,
            format_name,
            report_options(form),
            query=request.GET.urlencode(),
            requested_by=request.user,
        )
    except report_files.TooManyReportFiles as error:
        return _refused(request, str(error), report_url(investigation, request.GET.urlencode()))
    if not wants_fragment(request):
        return redirect("claims:report-file-detail", report_file.pk)
    context = _report_file_context(report_file, membership)
    return render(request, page_or_fragment(request, TEMPLATE, "report-file"), context)


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
    if not wants_fragment(request):
        return redirect("claims:report-file-detail", report_file.pk)
    context = _report_file_context(report_file, membership)
    return render(request, page_or_fragment(request, TEMPLATE, "report-file"), context)


def _refused(request, message, url):
    """The answer to a build request over the per-person limit: the message where the
    report file would have appeared (htmx), or on the page the request came from."""
    if wants_fragment(request):
        template = page_or_fragment(request, TEMPLATE, "report-file-refused")
        return render(request, template, {"message": message})
    messages.error(request, message)
    return redirect(url)


@require_GET
@vary_on_headers("HX-Request")
def report_file_detail(request, report_file_id):
    """Where a prepared report stands; polled by htmx until it is ready or failed."""
    report_file, membership = get_report_file_for_user(request.user, report_file_id)
    template = page_or_fragment(request, TEMPLATE, "report-file")
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
