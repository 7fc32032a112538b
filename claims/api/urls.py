"""URL map of the REST API (mounted at /api/v1/ by factcheck/urls.py)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from claims.api import docs, views

app_name = "api"

# Tokens, not the log-in page, admit API requests: the site's LoginRequiredMiddleware must
# let them through to DRF, which answers 401 itself.
_open = login_not_required

urlpatterns = [
    path("schema/", _open(SpectacularJSONAPIView.as_view()), name="schema"),
    path("docs/", _open(docs.api_docs), name="docs"),
    path("investigations/", _open(views.investigation_list), name="investigation-list"),
    path(
        "investigations/<slug:slug>/",
        _open(views.investigation_detail),
        name="investigation-detail",
    ),
    path("investigations/<slug:slug>/members/", _open(views.member_list), name="member-list"),
    path("investigations/<slug:slug>/sources/", _open(views.source_list), name="source-list"),
    path(
        "investigations/<slug:slug>/sources/<int:source_id>/",
        _open(views.source_detail),
        name="source-detail",
    ),
    path("investigations/<slug:slug>/claims/", _open(views.claim_list), name="claim-list"),
    path(
        "investigations/<slug:slug>/claims/<int:claim_id>/",
        _open(views.claim_detail),
        name="claim-detail",
    ),
    path(
        "investigations/<slug:slug>/claims/<int:claim_id>/quantities/",
        _open(views.quantity_list),
        name="quantity-list",
    ),
    path(
        "investigations/<slug:slug>/claims/<int:claim_id>/citations/",
        _open(views.citation_list),
        name="citation-list",
    ),
    path(
        "investigations/<slug:slug>/claims/<int:claim_id>/verdicts/",
        _open(views.verdict_list),
        name="verdict-list",
    ),
    path(
        "investigations/<slug:slug>/claims/<int:claim_id>/comments/",
        _open(views.comment_list),
        name="comment-list",
    ),
    path("investigations/<slug:slug>/evidence/", _open(views.evidence_list), name="evidence-list"),
    path(
        "investigations/<slug:slug>/verdicts/<int:verdict_id>/",
        _open(views.verdict_detail),
        name="verdict-detail",
    ),
    path(
        "investigations/<slug:slug>/verdicts/<int:verdict_id>/sign-off/",
        _open(views.verdict_sign_off),
        name="verdict-sign-off",
    ),
    path(
        "investigations/<slug:slug>/verdicts/<int:verdict_id>/send-back/",
        _open(views.verdict_send_back),
        name="verdict-send-back",
    ),
    path(
        "investigations/<slug:slug>/reports/<slug:format_name>/",
        _open(views.report_download),
        name="report-download",
    ),
]
