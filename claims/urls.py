"""URL map of the workbench's pages and their htmx actions."""

from django.urls import path

from claims.views import claims, evidence, imports, investigations, reports, sources, suggestions

app_name = "claims"

urlpatterns = [
    path("", investigations.investigation_list, name="investigation-list"),
    path("queue/", investigations.queue, name="queue"),
    path("queue/mentions/read/", investigations.mentions_read, name="mentions-read"),
    path("i/<slug:slug>/", investigations.investigation_detail, name="investigation-detail"),
    path("i/<slug:slug>/members/", investigations.member_list, name="member-list"),
    path("i/<slug:slug>/sources/new/", sources.source_create, name="source-create"),
    path("i/<slug:slug>/sources/import/", imports.source_import, name="source-import"),
    path("i/<slug:slug>/publishers/", evidence.publisher_list, name="publisher-list"),
    path("i/<slug:slug>/activity/", investigations.activity, name="activity"),
    path("i/<slug:slug>/claims/", claims.claim_list, name="claim-list"),
    path("i/<slug:slug>/claims/bulk/", claims.claim_bulk, name="claim-bulk"),
    path("i/<slug:slug>/report/", reports.report_detail, name="report"),
    path("i/<slug:slug>/report.json", reports.report_json, name="report-json"),
    path(
        "i/<slug:slug>/report/download/<slug:format_name>/",
        reports.report_download,
        name="report-download",
    ),
    path(
        "i/<slug:slug>/report/files/<slug:format_name>/",
        reports.report_file_create,
        name="report-file-create",
    ),
    path(
        "report-files/<int:report_file_id>/",
        reports.report_file_detail,
        name="report-file-detail",
    ),
    path(
        "report-files/<int:report_file_id>/retry/",
        reports.report_file_retry,
        name="report-file-retry",
    ),
    path(
        "report-files/<int:report_file_id>/download/",
        reports.report_file_download,
        name="report-file-download",
    ),
    path("sources/<int:source_id>/", sources.source_detail, name="source-detail"),
    path("sources/<int:source_id>/original/", sources.source_original, name="source-original"),
    path("sources/<int:source_id>/claims/", sources.claim_mark, name="claim-mark"),
    path("sources/<int:source_id>/extract/", suggestions.source_extract, name="source-extract"),
    path(
        "sources/<int:source_id>/extraction/",
        suggestions.source_extraction_status,
        name="source-extraction-status",
    ),
    path("claims/<int:claim_id>/", claims.claim_detail, name="claim-detail"),
    path("claims/<int:claim_id>/span/", suggestions.claim_respan, name="claim-respan"),
    path("quantities/<int:quantity_id>/", suggestions.quantity_edit, name="quantity-edit"),
    path(
        "quantities/<int:quantity_id>/measure/",
        claims.quantity_measure,
        name="quantity-measure",
    ),
    path("claims/<int:claim_id>/edit/", claims.claim_edit, name="claim-edit"),
    path("claims/<int:claim_id>/move/", claims.claim_transition, name="claim-transition"),
    path("claims/<int:claim_id>/assign/", claims.claim_assign, name="claim-assign"),
    path("claims/<int:claim_id>/priority/", claims.claim_priority, name="claim-priority"),
    path("claims/<int:claim_id>/tags/", claims.claim_tag, name="claim-tag"),
    path("claims/<int:claim_id>/evidence/", claims.evidence_add, name="evidence-add"),
    path("claims/<int:claim_id>/capture/", evidence.evidence_capture, name="evidence-capture"),
    path("citations/<int:citation_id>/", evidence.citation_detail, name="citation-detail"),
    path("citations/<int:citation_id>/log/", evidence.citation_log, name="citation-log"),
    path(
        "citations/<int:citation_id>/archive/", evidence.evidence_archive, name="evidence-archive"
    ),
    path(
        "snapshots/<int:snapshot_id>/download/",
        evidence.snapshot_download,
        name="snapshot-download",
    ),
    path("claims/<int:claim_id>/verdicts/", claims.verdict_propose, name="verdict-propose"),
    path("claims/<int:claim_id>/comments/", claims.comment_add, name="comment-add"),
    path("citations/<int:citation_id>/edit/", claims.citation_edit, name="citation-edit"),
    path("citations/<int:citation_id>/retract/", claims.citation_retract, name="citation-retract"),
    path("verdicts/<int:verdict_id>/sign-off/", claims.verdict_sign_off, name="verdict-sign-off"),
    path(
        "verdicts/<int:verdict_id>/send-back/", claims.verdict_send_back, name="verdict-send-back"
    ),
]
