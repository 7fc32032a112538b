"""The API's endpoints: one function each, in the order every page view keeps.

Door (claims/access/permissions.py, outsiders 404, a role too low 403), input through the
page's own form, the domain call, the answer. Nothing here decides a rule: a refusal from
the domain becomes 409 with its message, invalid input 400 with each field's messages.
"""

from django.http import Http404, HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from claims import limits
from claims.access.permissions import (
    Action,
    get_claim_for_user,
    get_investigation_for_user,
    get_source_for_user,
    get_verdict_for_user,
)
from claims.api import serializers as s
from claims.api.pagination import page
from claims.evidence import citations
from claims.forms import (
    ClaimListQueryForm,
    CommentForm,
    EvidenceForm,
    MarkClaimForm,
    ReportOptionsForm,
    SendBackForm,
    SignOffForm,
    SourceForm,
    SourceImportForm,
    VerdictForm,
)
from claims.listing import search
from claims.models import Claim, ClaimStatus, Evidence, Investigation, Membership, Verdict
from claims.reporting import report_files
from claims.reporting.formats import FORMATS, export_report
from claims.review import mentions, reviews, workflow
from claims.sources import importing, marking
from claims.sources.anchoring import AnchorError
from claims.views.claim_list import claim_filter_form
from claims.views.reports import report_options

# --- Answers shared by every endpoint -------------------------------------------------------

_ERROR = OpenApiResponse(s.ErrorOut)
_REFUSALS = {401: _ERROR, 403: _ERROR, 404: _ERROR, 429: _ERROR}


def _responses(ok, *extra):
    """The documented answers: `ok` for the first status, the usual refusals, and any of
    400 (invalid input) and 409 (the domain refused) named in `extra`."""
    answers = dict(ok) if isinstance(ok, dict) else {200: ok}
    answers.update(_REFUSALS)
    answers.update({code: _ERROR for code in extra})
    return answers


def _invalid(form):
    errors = {
        field: [str(message) for message in messages] for field, messages in form.errors.items()
    }
    return Response({"detail": "The request is not valid.", "errors": errors}, status=400)


def _refused(message, code=status.HTTP_409_CONFLICT):
    return Response({"detail": str(message)}, status=code)


def _body(request):
    """The request body as the mapping a form reads; a JSON list or scalar is a 400."""
    data = request.data
    if not hasattr(data, "get"):
        raise ParseError("Send a JSON object.")
    return data


def _in_investigation(obj_investigation, slug):
    """Objects are addressed below their investigation: one of another is not found here."""
    if obj_investigation.slug != slug:
        raise Http404("No such object.")


def _claim(request, slug, claim_id, action=Action.VIEW):
    claim, membership = get_claim_for_user(request.user, claim_id, action)
    _in_investigation(claim.investigation, slug)
    return claim, membership


def _member_roles(user):
    return dict(Membership.objects.filter(user=user).values_list("investigation_id", "role"))


# --- Investigations and members -------------------------------------------------------------


@extend_schema(
    responses=_responses(s.paginated(s.InvestigationOut)), operation_id="investigations_list"
)
@api_view(["GET"])
def investigation_list(request):
    """The investigations you are a member of."""
    investigations = Investigation.objects.for_user(request.user)
    roles = _member_roles(request.user)
    return page(request, investigations, s.InvestigationOut, context={"roles": roles})


@extend_schema(responses=_responses(s.InvestigationOut))
@api_view(["GET"])
def investigation_detail(request, slug):
    investigation, membership = get_investigation_for_user(request.user, slug)
    context = {"roles": {investigation.pk: membership.role}}
    return Response(s.InvestigationOut(investigation, context=context).data)


@extend_schema(responses=_responses(s.paginated(s.MemberOut)))
@api_view(["GET"])
def member_list(request, slug):
    """Members and their roles; owners only, as the members page."""
    investigation, _ = get_investigation_for_user(request.user, slug, Action.MANAGE_MEMBERS)
    members = Membership.objects.filter(investigation=investigation).select_related("user")
    return page(request, members, s.MemberOut)


# --- Sources --------------------------------------------------------------------------------


@extend_schema(
    methods=["GET"], responses=_responses(s.paginated(s.SourceOut)), operation_id="sources_list"
)
@extend_schema(
    methods=["POST"],
    request={"application/json": s.SourceTextIn, "multipart/form-data": s.SourceFileIn},
    responses=_responses({201: s.SourceDetailOut}, 400),
    description="Add a source from its text (JSON) or import a file (multipart). Claim "
    "extraction starts unless run_extraction is false.",
)
@api_view(["GET", "POST"])
@parser_classes([JSONParser, MultiPartParser])
def source_list(request, slug):
    if request.method == "POST":
        return _source_create(request, slug)
    investigation, _ = get_investigation_for_user(request.user, slug)
    sources = investigation.sources.defer("text").select_related("added_by")
    return page(request, sources, s.SourceOut)


def _with_initials(form_class, data):
    """`data` with each field it leaves out set to the field's initial value, as the page's
    form arrives pre-filled (a kind chosen, extraction ticked)."""
    data = data.copy() if hasattr(data, "copy") else dict(data)
    for name, field in form_class.base_fields.items():
        if name not in data and field.initial is not None and not callable(field.initial):
            data[name] = field.initial
    return data


def _is_on(value):
    return str(value).lower() not in ("false", "0", "", "none")


def _source_create(request, slug):
    if request.FILES:
        return _source_import(request, slug)
    investigation, _ = get_investigation_for_user(request.user, slug, Action.ADD_SOURCE)
    data = _body(request)
    form = SourceForm(_with_initials(SourceForm, data))
    if not form.is_valid():
        return _invalid(form)
    fields = {name: value for name, value in form.cleaned_data.items() if name != "text"}
    source = marking.add_source(
        investigation,
        actor=request.user,
        text=form.cleaned_data["text"],
        run_extraction=_is_on(data.get("run_extraction", True)),
        **fields,
    )
    source.refresh_from_db()
    return Response(s.SourceDetailOut(source).data, status=201)


def _source_import(request, slug):
    investigation, _ = get_investigation_for_user(request.user, slug, Action.IMPORT_SOURCE)
    data = _with_initials(SourceImportForm, _body(request))
    data.pop("url", None)  # the API takes files and texts; links are fetched from the page
    form = SourceImportForm(data, request.FILES)
    if not form.is_valid():
        return _invalid(form)
    cleaned = form.cleaned_data
    try:
        source = importing.import_file(
            investigation,
            actor=request.user,
            filename=cleaned["file"].name,
            data=cleaned["file"].read(),
            title=cleaned["title"],
            run_extraction=cleaned["run_extraction"],
            kind=cleaned["kind"],
            # Empty: detected from the text (for a scan, from the recognised text).
            language=cleaned["language"],
        )
    except importing.SourceImportError as error:
        form.add_error("file", str(error))
        return _invalid(form)
    source.refresh_from_db()
    return Response(s.SourceDetailOut(source).data, status=201)


@extend_schema(responses=_responses(s.SourceDetailOut))
@api_view(["GET"])
def source_detail(request, slug, source_id):
    source, _ = get_source_for_user(request.user, source_id)
    _in_investigation(source.investigation, slug)
    return Response(s.SourceDetailOut(source).data)


# --- Claims ---------------------------------------------------------------------------------

_CLAIM_FILTERS = [
    OpenApiParameter("q", str, description="Search words (quote, statement, speaker, ...)."),
    OpenApiParameter(
        "status",
        str,
        enum=["", "all", *ClaimStatus.values],
        description="Empty: claims being worked; `all`; or one status.",
    ),
    OpenApiParameter("verdict", str, description="A rating, `none` or `awaiting`."),
    OpenApiParameter("assignee", str, description="A user id, `me` or `none`."),
    OpenApiParameter("speaker", str),
    OpenApiParameter("source", str, description="A source id."),
    OpenApiParameter("tag", str, description="A tag id."),
    OpenApiParameter("has_evidence", str, enum=["", "yes", "no"]),
    OpenApiParameter("has_numbers", str, enum=["", "yes", "no"]),
    OpenApiParameter("corroborated", str, enum=["", "yes", "no"]),
    OpenApiParameter("sort", str, enum=["", *[key for key in search.SORTS if key != "position"]]),
]


@extend_schema(
    methods=["GET"],
    parameters=_CLAIM_FILTERS,
    responses=_responses(s.paginated(s.ClaimOut), 400),
    operation_id="claims_list",
    description="The claim list's filters and sort orders, as on the claim list page.",
)
@extend_schema(
    methods=["POST"],
    request=s.ClaimIn,
    responses=_responses({201: s.ClaimOut}, 400, 409),
    description="Mark a claim by its exact words (`quote`, `occurrence`) or by offsets "
    "(`start`, `end`), as the reader does.",
)
@api_view(["GET", "POST"])
def claim_list(request, slug):
    if request.method == "POST":
        return _claim_create(request, slug)
    investigation, _ = get_investigation_for_user(request.user, slug)
    form = claim_filter_form(request, investigation, ClaimListQueryForm(request.GET).source_id)
    if form.is_bound and not form.is_valid():
        return _invalid(form)
    filters = form.values()
    claims = search.filter_claims(
        Claim.objects.filter(investigation=investigation).select_related("assignee"),
        user=request.user,
        filters=filters,
    )
    ordering = search.SORTS.get(filters.get("sort") or "position", search.SORTS["position"])[1]
    return page(request, claims, s.ClaimOut, ordering=ordering)


def _claim_create(request, slug):
    # The investigation's door first: an outsider or a viewer learns nothing from the body.
    get_investigation_for_user(request.user, slug, Action.ADD_CLAIM)
    data = _body(request)
    try:
        source_id = int(data.get("source"))
    except (TypeError, ValueError):
        return Response(
            {"detail": "The request is not valid.", "errors": {"source": ["Give a source id."]}},
            status=400,
        )
    source, _ = get_source_for_user(request.user, source_id, Action.ADD_CLAIM)
    _in_investigation(source.investigation, slug)
    form = MarkClaimForm(data, source=source)
    if not form.is_valid():
        return _invalid(form)
    anchor = form.cleaned_data["anchor"]
    try:
        claim = marking.mark_claim(
            source,
            actor=request.user,
            start=anchor.start,
            end=anchor.end,
            statement=form.cleaned_data["statement"],
            speaker=form.cleaned_data["speaker"],
            attribution=form.cleaned_data["attribution"],
        )
    except marking.DuplicateClaim as error:
        return _refused(error)
    except (AnchorError, limits.TextTooLong) as error:
        form.add_error("quote", str(error))
        return _invalid(form)
    return Response(s.ClaimOut(claim).data, status=201)


@extend_schema(responses=_responses(s.ClaimOut))
@api_view(["GET"])
def claim_detail(request, slug, claim_id):
    claim, _ = _claim(request, slug, claim_id)
    return Response(s.ClaimOut(claim).data)


@extend_schema(responses=_responses(s.paginated(s.QuantityOut)))
@api_view(["GET"])
def quantity_list(request, slug, claim_id):
    """The numbers the claim states, each with what it counts."""
    claim, _ = _claim(request, slug, claim_id)
    return page(request, claim.quantities.all(), s.QuantityOut)


# --- Evidence and citations -----------------------------------------------------------------


@extend_schema(responses=_responses(s.paginated(s.EvidenceOut)))
@api_view(["GET"])
def evidence_list(request, slug):
    """The pages and documents cited anywhere in the investigation."""
    investigation, _ = get_investigation_for_user(request.user, slug)
    return page(request, Evidence.objects.filter(investigation=investigation), s.EvidenceOut)


@extend_schema(methods=["GET"], responses=_responses(s.paginated(s.CitationOut)))
@extend_schema(
    methods=["POST"],
    request=s.CitationIn,
    responses=_responses({201: s.CitationOut}, 400, 409),
    description="Cite a page as evidence; the page is archived by the task worker.",
)
@api_view(["GET", "POST"])
def citation_list(request, slug, claim_id):
    if request.method == "POST":
        return _citation_create(request, slug, claim_id)
    claim, _ = _claim(request, slug, claim_id)
    rows = claim.citations.select_related("evidence", "added_by")
    return page(request, rows, s.CitationOut)


def _citation_create(request, slug, claim_id):
    claim, _ = _claim(request, slug, claim_id, Action.ADD_EVIDENCE)
    form = EvidenceForm(_body(request))
    if not form.is_valid():
        return _invalid(form)
    try:
        citation = citations.cite_evidence(claim, actor=request.user, **form.cleaned_data)
    except citations.AlreadyCited as error:
        return _refused(error)
    return Response(s.CitationOut(citation).data, status=201)


# --- Verdicts -------------------------------------------------------------------------------


def _verdict_context(verdicts):
    """content_sha256 for each verdict awaiting sign-off: what the signer approves."""
    digests = {}
    for verdict in verdicts:
        if verdict.status == Verdict.Status.PROPOSED:
            digests[verdict.pk] = reviews.current_sha256(verdict.claim, verdict)
    return {"content_sha256": digests}


@extend_schema(methods=["GET"], responses=_responses(s.paginated(s.VerdictOut)))
@extend_schema(
    methods=["POST"],
    request=s.VerdictIn,
    responses=_responses({201: s.VerdictOut}, 400, 409),
    description="Propose a verdict; another reviewer must sign it off.",
)
@api_view(["GET", "POST"])
def verdict_list(request, slug, claim_id):
    """The claim's verdicts, newest first: the current one and its history."""
    if request.method == "POST":
        return _verdict_propose(request, slug, claim_id)
    claim, _ = _claim(request, slug, claim_id)
    verdicts = claim.verdicts.select_related("proposed_by", "signed_off_by")
    # At most one verdict awaits sign-off: its digest is the one worth computing.
    waiting = list(verdicts.filter(status=Verdict.Status.PROPOSED))
    for verdict in waiting:
        verdict.claim = claim
    context = _verdict_context(waiting)
    return page(request, verdicts, s.VerdictOut, ordering=("-proposed_at", "-pk"), context=context)


def _verdict_propose(request, slug, claim_id):
    claim, membership = _claim(request, slug, claim_id, Action.PROPOSE_VERDICT)
    form = VerdictForm(_body(request))
    if not form.is_valid():
        return _invalid(form)
    data = form.cleaned_data
    replaces = workflow.LOADED
    if data["replaces"] is not None:
        replaces = Verdict.objects.filter(pk=data["replaces"], claim=claim).first()
    try:
        verdict = reviews.propose_verdict(
            claim,
            proposer=request.user,
            membership=membership,
            rating=data["rating"],
            rationale=data["rationale"],
            replaces=replaces,
        )
    except (workflow.WorkflowError, limits.TextTooLong) as error:
        return _refused(error)
    return _verdict_answer(verdict, status=201)


def _verdict_answer(verdict, status=200):
    verdict.refresh_from_db()
    return Response(s.VerdictOut(verdict, context=_verdict_context([verdict])).data, status=status)


def _verdict(request, slug, verdict_id, action=Action.VIEW):
    verdict, membership = get_verdict_for_user(request.user, verdict_id, action)
    _in_investigation(verdict.claim.investigation, slug)
    return verdict, membership


@extend_schema(responses=_responses(s.VerdictOut))
@api_view(["GET"])
def verdict_detail(request, slug, verdict_id):
    verdict, _ = _verdict(request, slug, verdict_id)
    return _verdict_answer(verdict)


@extend_schema(
    request=s.SignOffIn,
    responses=_responses(s.VerdictOut, 400, 409),
    description="Sign off a verdict someone else proposed. Send the verdict's `version` and "
    "`content_sha256` as read: a change since is refused (409).",
)
@api_view(["POST"])
def verdict_sign_off(request, slug, verdict_id):
    verdict, membership = _verdict(request, slug, verdict_id, Action.SIGN_OFF_VERDICT)
    form = SignOffForm(_body(request))
    if not form.is_valid():
        return _invalid(form)
    verdict.version = form.cleaned_data["version"]
    try:
        reviews.sign_off_verdict(
            verdict,
            reviewer=request.user,
            membership=membership,
            seen_sha256=form.cleaned_data["content_sha256"],
        )
    except workflow.WorkflowError as error:
        return _refused(error)
    return _verdict_answer(verdict)


@extend_schema(request=s.SendBackIn, responses=_responses(s.VerdictOut, 400, 409))
@api_view(["POST"])
def verdict_send_back(request, slug, verdict_id):
    """Send a proposed verdict back to review, saying what must change."""
    verdict, membership = _verdict(request, slug, verdict_id, Action.SEND_BACK_VERDICT)
    form = SendBackForm(_body(request))
    if not form.is_valid():
        return _invalid(form)
    verdict.version = form.cleaned_data["version"]
    try:
        reviews.send_back_verdict(
            verdict,
            reviewer=request.user,
            membership=membership,
            comment=form.cleaned_data["comment"],
        )
    except workflow.WorkflowError as error:
        return _refused(error)
    return _verdict_answer(verdict)


# --- Comments -------------------------------------------------------------------------------


@extend_schema(methods=["GET"], responses=_responses(s.paginated(s.CommentOut)))
@extend_schema(
    methods=["POST"],
    request=s.CommentIn,
    responses=_responses({201: s.CommentOut}, 400),
    description="Comment on the claim; `@username` mentions a member.",
)
@api_view(["GET", "POST"])
def comment_list(request, slug, claim_id):
    if request.method == "POST":
        claim, _ = _claim(request, slug, claim_id, Action.COMMENT)
        form = CommentForm(_body(request))
        if not form.is_valid():
            return _invalid(form)
        comment = mentions.add_comment(claim, author=request.user, body=form.cleaned_data["body"])
        return Response(s.CommentOut(comment).data, status=201)
    claim, _ = _claim(request, slug, claim_id)
    return page(request, claim.comments.select_related("author"), s.CommentOut)


# --- Reports --------------------------------------------------------------------------------

_REPORT_OPTIONS = [
    OpenApiParameter(name, bool)
    for name in ("verified_only", "without_excerpts", "redact_reviewers", "pseudonymize")
] + [
    OpenApiParameter("audit_appendix", bool),
    OpenApiParameter("include_file_metadata", bool),
    OpenApiParameter("title", str),
    OpenApiParameter("introduction", str),
    OpenApiParameter("publisher", str),
    OpenApiParameter("publication_url", str),
]


@extend_schema(
    parameters=[
        OpenApiParameter(
            "format_name", str, OpenApiParameter.PATH, enum=list(FORMATS), description="Format."
        ),
        *_REPORT_OPTIONS,
    ],
    responses=_responses(
        {
            # Any body: a file whose type the format gives (HTML, PDF, CSV, JSON, zip...).
            (200, "*/*"): OpenApiResponse(OpenApiTypes.ANY, description="The report file."),
        },
        400,
        409,
    ),
    description="The investigation's report in one format, with the report page's options. "
    "A PDF or bundle too large to build in a request answers 409: prepare it on the report "
    "page.",
)
@api_view(["GET"])
def report_download(request, slug, format_name):
    investigation, _ = get_investigation_for_user(request.user, slug)
    report_format = FORMATS.get(format_name)
    if report_format is None:
        raise Http404("No such report format.")
    form = ReportOptionsForm(request.GET)
    if not form.is_valid():
        return _invalid(form)
    options = report_options(form)
    if format_name in report_files.BACKGROUND_FORMATS and report_files.is_built_in_background(
        format_name, report_files.report_size(investigation, options)
    ):
        return _refused(
            f"This report is too large to build in a request: prepare the "
            f"{report_format.label} on the report page."
        )
    chunks = export_report(investigation, format_name, options)
    if report_format.is_streamed:
        response = StreamingHttpResponse(chunks, content_type=report_format.content_type)
    else:
        response = HttpResponse(b"".join(chunks), content_type=report_format.content_type)
    filename = f"{investigation.slug}-{report_format.filename}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
