"""URL map of the workbench's pages and their htmx actions."""

from django.urls import path

from claims.views import (
    activity,
    api_tokens,
    claim_list,
    claim_page,
    collection_log,
    evidence,
    evidence_files,
    imports,
    investigation_list,
    investigation_page,
    investigation_settings,
    invites,
    members,
    numbers,
    progress_charts,
    publishers,
    queue,
    report_file,
    reports,
    similar_claims,
    source_form,
    source_page,
    suggestions,
    translations,
)

app_name = "claims"

urlpatterns = [
    path("", investigation_list.investigation_list, name="investigation-list"),
    path("queue/", queue.queue, name="queue"),
    path(
        "investigations/new/",
        investigation_settings.investigation_create,
        name="investigation-create",
    ),
    path("invites/<str:token>/", invites.invite_accept, name="invite-accept"),
    path("invites/<int:invite_id>/revoke/", members.invite_revoke, name="invite-revoke"),
    path("queue/mentions/read/", queue.mentions_read, name="mentions-read"),
    path("account/tokens/", api_tokens.api_tokens, name="api-tokens"),
    path("account/tokens/revoke/", api_tokens.api_token_revoke, name="api-token-revoke"),
    path("i/<slug:slug>/", investigation_page.investigation_detail, name="investigation-detail"),
    path("i/<slug:slug>/members/", members.member_list, name="member-list"),
    path("i/<slug:slug>/invites/", members.invite_create, name="invite-create"),
    path("i/<slug:slug>/leave/", members.member_leave, name="member-leave"),
    path(
        "i/<slug:slug>/settings/",
        investigation_settings.investigation_settings,
        name="investigation-settings",
    ),
    path(
        "i/<slug:slug>/archive/",
        investigation_settings.investigation_archive,
        name="investigation-archive",
    ),
    path(
        "i/<slug:slug>/second-factor/",
        investigation_settings.investigation_second_factor,
        name="investigation-second-factor",
    ),
    path(
        "i/<slug:slug>/delete/",
        investigation_settings.investigation_delete,
        name="investigation-delete",
    ),
    path("i/<slug:slug>/sources/new/", source_form.source_create, name="source-create"),
    path("i/<slug:slug>/sources/import/", imports.source_import, name="source-import"),
    path("i/<slug:slug>/publishers/", publishers.publisher_list, name="publisher-list"),
    path("i/<slug:slug>/activity/", activity.activity, name="activity"),
    path("i/<slug:slug>/numbers/", numbers.investigation_numbers, name="investigation-numbers"),
    path("i/<slug:slug>/charts/", progress_charts.progress_charts, name="investigation-charts"),
    path("i/<slug:slug>/claims/", claim_list.claim_list, name="claim-list"),
    path("i/<slug:slug>/claims/bulk/", claim_list.claim_bulk, name="claim-bulk"),
    path("i/<slug:slug>/report/", reports.report_detail, name="report"),
    path("i/<slug:slug>/report.json", reports.report_json, name="report-json"),
    path(
        "i/<slug:slug>/report/download/<slug:format_name>/",
        reports.report_download,
        name="report-download",
    ),
    path(
        "i/<slug:slug>/report/files/<slug:format_name>/",
        report_file.report_file_create,
        name="report-file-create",
    ),
    path(
        "report-files/<int:report_file_id>/",
        report_file.report_file_detail,
        name="report-file-detail",
    ),
    path(
        "report-files/<int:report_file_id>/retry/",
        report_file.report_file_retry,
        name="report-file-retry",
    ),
    path(
        "report-files/<int:report_file_id>/download/",
        report_file.report_file_download,
        name="report-file-download",
    ),
    path("sources/<int:source_id>/", source_page.source_detail, name="source-detail"),
    path("sources/<int:source_id>/original/", source_page.source_original, name="source-original"),
    path("sources/<int:source_id>/claims/", source_page.claim_mark, name="claim-mark"),
    path(
        "sources/<int:source_id>/side-by-side/",
        translations.source_side_by_side,
        name="source-side-by-side",
    ),
    path(
        "sources/<int:source_id>/translation-of/",
        translations.source_translation_of,
        name="source-translation-of",
    ),
    path("sources/<int:source_id>/extract/", suggestions.source_extract, name="source-extract"),
    path(
        "sources/<int:source_id>/language/",
        source_page.source_language,
        name="source-language",
    ),
    path(
        "sources/<int:source_id>/extraction/",
        suggestions.source_extraction_status,
        name="source-extraction-status",
    ),
    path("claims/<int:claim_id>/", claim_page.claim_detail, name="claim-detail"),
    path("claims/<int:claim_id>/span/", suggestions.claim_respan, name="claim-respan"),
    path(
        "claims/<int:claim_id>/translation/",
        translations.claim_translation,
        name="claim-translation",
    ),
    path(
        "claims/<int:claim_id>/translation/link/",
        translations.claim_translation_link,
        name="claim-translation-link",
    ),
    path("quantities/<int:quantity_id>/", suggestions.quantity_edit, name="quantity-edit"),
    path(
        "quantities/<int:quantity_id>/measure/",
        claim_page.quantity_measure,
        name="quantity-measure",
    ),
    path("claims/<int:claim_id>/edit/", claim_page.claim_edit, name="claim-edit"),
    path("claims/<int:claim_id>/similar/", similar_claims.claim_similar, name="claim-similar"),
    path("links/<int:link_id>/decide/", similar_claims.link_decide, name="link-decide"),
    path("links/<int:link_id>/cite/", similar_claims.link_cite, name="link-cite"),
    path("claims/<int:claim_id>/move/", claim_page.claim_transition, name="claim-transition"),
    path("claims/<int:claim_id>/assign/", claim_page.claim_assign, name="claim-assign"),
    path("claims/<int:claim_id>/priority/", claim_page.claim_priority, name="claim-priority"),
    path("claims/<int:claim_id>/tags/", claim_page.claim_tag, name="claim-tag"),
    path("claims/<int:claim_id>/evidence/", claim_page.evidence_add, name="evidence-add"),
    path("claims/<int:claim_id>/capture/", evidence.evidence_capture, name="evidence-capture"),
    path("claims/<int:claim_id>/upload/", evidence_files.evidence_upload, name="evidence-upload"),
    path(
        "citations/<int:citation_id>/same-picture/",
        evidence_files.citation_same_picture,
        name="citation-same-picture",
    ),
    path(
        "evidence-files/<int:file_id>/download/",
        evidence_files.evidence_file_download,
        name="evidence-file-download",
    ),
    path(
        "evidence-files/<int:file_id>/thumbnail/",
        evidence_files.evidence_file_thumbnail,
        name="evidence-file-thumbnail",
    ),
    path(
        "evidence-files/<int:file_id>/picture/",
        evidence_files.evidence_file_picture,
        name="evidence-file-picture",
    ),
    path("citations/<int:citation_id>/", evidence.citation_detail, name="citation-detail"),
    path("citations/<int:citation_id>/log/", collection_log.citation_log, name="citation-log"),
    path(
        "citations/<int:citation_id>/archive/", evidence.evidence_archive, name="evidence-archive"
    ),
    path(
        "snapshots/<int:snapshot_id>/download/",
        evidence.snapshot_download,
        name="snapshot-download",
    ),
    path("claims/<int:claim_id>/verdicts/", claim_page.verdict_propose, name="verdict-propose"),
    path("claims/<int:claim_id>/comments/", claim_page.comment_add, name="comment-add"),
    path("citations/<int:citation_id>/edit/", claim_page.citation_edit, name="citation-edit"),
    path(
        "citations/<int:citation_id>/retract/", claim_page.citation_retract, name="citation-retract"
    ),
    path(
        "verdicts/<int:verdict_id>/sign-off/", claim_page.verdict_sign_off, name="verdict-sign-off"
    ),
    path(
        "verdicts/<int:verdict_id>/send-back/",
        claim_page.verdict_send_back,
        name="verdict-send-back",
    ),
]
