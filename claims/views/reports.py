"""Report pages: options and preview, and a download per format."""

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from claims import reports
from claims.forms import ReportOptionsForm
from claims.permissions import get_investigation_for_user
from claims.report_formats import FORMATS, export_report

# The preview renders the report in the page; past this many claims it shows the first ones
# and says so, since the browser would otherwise lay out tens of thousands of quotes.
PREVIEW_CLAIMS = 200


def _report_context(request, investigation, membership, form):
    options = _options(request, investigation, form)
    report = reports.build_report(investigation, options, claim_limit=PREVIEW_CLAIMS)
    return {
        "investigation": investigation,
        "membership": membership,
        "form": form,
        "report": report,
        "report_sha256": report.sha256,
        "total_claims": reports.count_claims(investigation, options),
        "formats": FORMATS.values(),
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
    template = "claims/report.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#report-workspace"
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
    chunks = export_report(investigation, format_name, _options(request, investigation, form))
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
