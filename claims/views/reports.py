"""Report pages: the readable, printable report and its machine-readable downloads."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from claims import reports
from claims.permissions import get_investigation_for_user


def _options(request):
    flag = request.GET.get
    return reports.ReportOptions(
        verified_only=flag("verified_only") == "1",
        include_excerpts=flag("excerpts", "1") == "1",
        redact_reviewers=flag("redact_reviewers") == "1",
        pseudonymize=flag("pseudonymize") == "1",
    )


@require_GET
def report_detail(request, slug):
    investigation, membership = get_investigation_for_user(request.user, slug)
    options = _options(request)
    report = reports.build_report(investigation, options)
    context = {
        "investigation": investigation,
        "membership": membership,
        "report": report,
        "options": options,
        "query": request.GET.urlencode(),
    }
    return render(request, "claims/report.html", context)


@require_GET
def report_json(request, slug):
    investigation, _ = get_investigation_for_user(request.user, slug)
    report = reports.build_report(investigation, _options(request))
    response = HttpResponse(
        reports.render_json(report), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{investigation.slug}-report.json"'
    return response
