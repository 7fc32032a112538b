"""Claim pages: the list of an investigation's claims and one claim with its review."""

import functools
from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from claims.access.permissions import (
    Action,
    allows,
    capabilities,
    get_citation_for_user,
    get_claim_for_user,
    get_investigation_for_user,
    get_quantity_for_user,
    get_verdict_for_user,
)
from claims.corroboration import comparison
from claims.evidence import citations
from claims.forms import (
    AssignForm,
    BulkForm,
    CaptureForm,
    CitationForm,
    ClaimEditForm,
    ClaimFilterForm,
    CommentForm,
    EvidenceForm,
    MeasureForm,
    PriorityForm,
    RetractForm,
    SendBackForm,
    SignOffForm,
    TagForm,
    TransitionForm,
    VerdictForm,
)
from claims.listing import page_cache, search
from claims.listing.counting import CappedPaginator
from claims.models import (
    Claim,
    ClaimStatus,
    Membership,
    Priority,
    Quantity,
    Source,
    Stance,
    Tag,
    Verdict,
    VerdictRating,
)
from claims.review import bulk, decisions, editing, mentions, reviews, workflow
from claims.review.history import describe_all
from claims.review.workflow import WorkflowError
from claims.sources import marking
from claims.sources.anchoring import context_segments
from claims.views.fragments import page_or_fragment
from claims.views.parameters import whole_number
from claims.views.sources import _source_context

CLAIMS_PER_PAGE = 50
# The list counts its claims up to here (or one page past the page asked for) and then says
# "More than 10,000": an exact count of a large filtered list reads every matching row.
CLAIM_COUNT_CAP = 10_000


# --- The claim list ----------------------------------------------------------------------


def _members(investigation):
    """(all members' users, users who may review) of an investigation, in one query."""
    memberships = Membership.objects.filter(investigation=investigation).select_related("user")
    memberships = sorted(memberships, key=lambda m: m.user.get_username().lower())
    reviewers = [m.user for m in memberships if allows(m, Action.TAKE_CLAIM)]
    return [m.user for m in memberships], reviewers


# The source filter lists at most this many sources, the newest: a dropdown of thousands
# helps nobody and costs more to render than the 50 rows. Any source can still be chosen
# from its own page ("Claims from this source"), which links here with ?source=<id>.
SOURCE_CHOICES_CAP = 100


def _source_choices(request, investigation):
    """([(pk, title)] sorted by title, whether older sources were left out)."""
    sources = Source.objects.filter(investigation=investigation).values_list("pk", "title")
    newest = list(sources.order_by("-created_at", "-pk")[: SOURCE_CHOICES_CAP + 1])
    more = len(newest) > SOURCE_CHOICES_CAP
    newest = newest[:SOURCE_CHOICES_CAP]
    chosen = whole_number(request.GET.get("source"))
    if more and chosen is not None and chosen not in {pk for pk, _ in newest}:
        # An older source chosen from its page stays selected in the form.
        newest += list(sources.filter(pk=chosen))
    return sorted(newest, key=lambda item: item[1].lower()), more


def _filter_form(request, investigation, reviewers):
    # Sources are read from their own table: only those with claims would need a DISTINCT
    # over every claim (a scan at 100,000 claims), and a source without claims narrows the
    # list to nothing, which is true.
    sources, more_sources = _source_choices(request, investigation)
    form = ClaimFilterForm(
        request.GET or None,
        members=reviewers,
        sources=sources,
        speakers=sorted(search.speakers(investigation), key=str.lower),
        tags=list(Tag.objects.filter(investigation=investigation)),
    )
    if more_sources:
        form.fields["source"].help_text = (
            f"The {SOURCE_CHOICES_CAP} newest sources. For an older one, use "
            "“Claims from this source” on its page."
        )
    return form


# The columns a row shows, read as plain tuples: building a Claim, a Source and a User per
# row (and a tag manager for each) cost more CPU than the rest of the query. Nothing else is
# read: the source's text can be megabytes.
ROW_COLUMNS = (
    "pk",
    "statement",
    "quote",
    "speaker",
    "status",
    "priority",
    "source__title",
    "assignee_id",
    "assignee__username",
    "evidence_count",
    "has_numbers",
    "verdict_rating",
    "verdict_status",
)


def _list_rows(claims):
    """`claims` (annotated by search.with_list_columns) as named tuples of ROW_COLUMNS."""
    return claims.values_list(*ROW_COLUMNS, named=True)


def _tag_names(claim_ids):
    """{claim id: [tag names, sorted]} for `claim_ids`, in one query."""
    names = defaultdict(list)
    links = Claim.tags.through.objects.filter(claim_id__in=claim_ids)
    for claim_id, name in links.order_by("tag__name").values_list("claim_id", "tag__name"):
        names[claim_id].append(name)
    return names


def _shorten(text, limit):
    """`text` cut to `limit` characters with an ellipsis, as the truncatechars filter does."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _url_maker(name):
    """A function pk -> URL of route `name`: reverse() once per page, not once per row."""
    # reverse() with a placeholder id, split around it: the route's other parts are fixed.
    placeholder = 987654321
    before, after = reverse(name, args=[placeholder]).split(str(placeholder))
    return lambda pk: f"{before}{pk}{after}"


@dataclass
class ListRow:
    """What one row of the claim list shows, worked out in Python for all rows at once.

    The template then only prints fields: per-row filters, includes, {% url %} and
    choice lookups cost more than the rest of the page together. Numbers are kept as text:
    the template engine passes every int it prints through number formatting, which cost
    more than the rest of a row's fields.
    """

    pk: str
    url: str
    assign_url: str
    label: str  # the statement as checked (or the quote), shortened for the link
    short_label: str  # shorter still, for the checkbox's and the button's accessible names
    source_title: str
    speaker: str
    status: str
    status_label: str
    verdict_label: str
    is_awaiting_sign_off: bool
    priority_label: str
    assignee_name: str
    can_be_taken: bool  # no assignee, and still being worked
    tag_names: list
    evidence_count: str
    has_numbers: bool


STATUS_LABELS = dict(ClaimStatus.choices)
PRIORITY_LABELS = dict(Priority.choices)
RATING_LABELS = dict(VerdictRating.choices)


def _list_row_values(rows):
    """ListRow for each of `rows` (tuples from _list_rows)."""
    rows = list(rows)
    tag_names = _tag_names([row.pk for row in rows]) if rows else {}
    claim_url = _url_maker("claims:claim-detail")
    assign_url = _url_maker("claims:claim-assign")
    shown = []
    for row in rows:
        label = row.statement or row.quote
        shown.append(
            ListRow(
                pk=str(row.pk),
                url=claim_url(row.pk),
                assign_url=assign_url(row.pk),
                label=_shorten(label, 120),
                short_label=_shorten(label, 60),
                source_title=_shorten(row.source__title, 32),
                speaker=row.speaker,
                status=row.status,
                status_label=STATUS_LABELS.get(row.status, row.status),
                verdict_label=RATING_LABELS.get(row.verdict_rating, ""),
                is_awaiting_sign_off=row.verdict_status == Verdict.Status.PROPOSED,
                priority_label=PRIORITY_LABELS.get(row.priority, ""),
                assignee_name=row.assignee__username or "",
                can_be_taken=row.assignee_id is None and row.status not in TAKEN_NO_MORE,
                tag_names=tag_names.get(row.pk, []),
                evidence_count=str(row.evidence_count),
                has_numbers=row.has_numbers,
            )
        )
    return shown


TAKEN_NO_MORE = (ClaimStatus.VERIFIED, ClaimStatus.DISMISSED)


def _list_context(request, investigation, membership):
    members, reviewers = _members(investigation)
    form = _filter_form(request, investigation, reviewers)
    filters = form.values()
    claims = search.filter_claims(
        Claim.objects.filter(investigation=investigation), user=request.user, filters=filters
    )
    # The count reads the filtered claims alone; only the page's 50 rows join in the source
    # and the assignee for their columns.
    paginator = CappedPaginator(claims, CLAIMS_PER_PAGE, cap=CLAIM_COUNT_CAP)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "investigation": investigation,
        "membership": membership,
        "can": capabilities(membership),
        "form": form,
        "filters": filters,
        "page": page,
        "rows": _list_row_values(_list_rows(page.object_list)),
        "query": query.urlencode(),
        "list_url": request.get_full_path(),
        "bulk_form": BulkForm(members=reviewers, claim_ids=[]),
        "is_filtered": any(key != "sort" for key in filters),
    }


@require_GET
@vary_on_headers("HX-Request")
def claim_list(request, slug):
    investigation, membership = get_investigation_for_user(request.user, slug)
    template = page_or_fragment(request, "claims/claim_list.html", "claim-table")
    return page_cache.render(
        request,
        template,
        lambda: _list_context(request, investigation, membership),
        vary_on=[membership.role],
    )


def _safe_next(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@require_POST
def claim_bulk(request, slug):
    """Confirm, then apply, one change to the selected claims of the list."""
    investigation, membership = get_investigation_for_user(request.user, slug, Action.BULK_CHANGE)
    list_url = reverse("claims:claim-list", args=[investigation.slug])
    next_url = _safe_next(request, list_url)
    members, reviewers = _members(investigation)
    ids = Claim.objects.filter(
        investigation=investigation,
        pk__in=[pk for pk in map(whole_number, request.POST.getlist("claims")) if pk is not None],
    ).values_list("pk", flat=True)
    form = BulkForm(request.POST, members=reviewers, claim_ids=list(ids))
    template = "claims/claim_bulk.html"
    if request.htmx:
        template += "#bulk-panel"
    context = {
        "investigation": investigation,
        "membership": membership,
        "form": form,
        "next": next_url,
    }
    if not form.is_valid():
        return render(request, template, context)
    data = form.cleaned_data
    assignee = request.user if data["assignee"] == "me" else data["assignee_user"]
    change = bulk.Change(
        action=data["action"],
        assignee=assignee,
        tag=data["tag"].strip(),
        transition=data["transition"],
        reason=data["reason"],
    )
    claims = list(
        Claim.objects.filter(pk__in=data["claims"])
        .select_related("assignee", "investigation")
        .prefetch_related("tags")
        .order_by("source_id", "start", "pk")
    )
    context["change"] = change
    context["description"] = change.describe(len(claims))
    if not data["confirmed"]:
        context["claims"] = claims
        context["blocked"] = _blocked(claims, change, membership)
        return render(request, template, context)
    outcome = bulk.apply(claims, change, actor=request.user, membership=membership)
    messages.success(request, outcome.summary(change))
    if not request.htmx:
        for claim, reason in outcome.unchanged:
            messages.warning(request, f"Not changed: “{claim.quote[:60]}” ({reason})")
        return redirect(next_url)
    context["outcome"] = outcome
    response = render(request, template, context)
    return trigger_client_event(response, "claimsChanged", {})


def _blocked(claims, change, membership):
    """Claims a move will refuse, with the reason, known before anything is written."""
    if change.action != "move":
        return []
    blocked = []
    for claim in claims:
        try:
            workflow.check_transition(claim, change.transition, membership)
        except WorkflowError as error:
            blocked.append((claim, str(error)))
    return blocked


# --- One claim ---------------------------------------------------------------------------


def _claim_context(user, claim, membership, **forms):
    """Everything the claim page shows; a fixed number of queries however long its lists.

    Each list is loaded on first use and then kept: templates call a callable they are given,
    so an htmx request for one panel (after a comment, a tag, a verdict) queries only what
    that panel shows, while the full page still loads each list exactly once.
    """
    once = functools.cache
    before, quote, after = context_segments(claim.source.text, claim.start, claim.end)
    members = once(lambda: _members(claim.investigation))
    usernames = once(lambda: [member.get_username() for member in members()[0]])
    citations = once(
        lambda: _citations(
            claim,
            forms.get("citation_forms", {}),
            forms.get("retract_forms", {}),
            membership,
            user,
        )
    )
    active = once(lambda: [citation for citation in citations() if citation.retracted_at is None])
    verdicts = once(
        lambda: list(
            claim.verdicts.select_related(
                "proposed_by",
                "signed_off_by",
                "voided_by",
                "resubmission_of__voided_by",
                "resubmission_of__signed_off_by",
            )
        )
    )
    current = once(
        lambda: next((v for v in verdicts() if v.status in Verdict.CURRENT_STATUSES), None)
    )
    # The content the current verdict rests on, from the citations the page shows: the digest
    # the sign-off form carries, and what changed since a voided sign-off.
    content_sha256 = once(
        lambda: reviews.current_sha256(claim, current(), citations()) if current() else ""
    )
    drift = once(
        lambda: (
            reviews.changes_since_sign_off(claim, current(), citations())
            if current() and claim.status == ClaimStatus.SIGN_OFF_VOID
            else []
        )
    )
    on_claim = Claim.tags.through.objects.filter(claim_id=claim.pk, tag_id=OuterRef("pk"))
    tags = once(
        lambda: list(
            Tag.objects.filter(investigation=claim.investigation).annotate(
                on_claim=Exists(on_claim)
            )
        )
    )
    history = claim.audit_events.select_related("actor").order_by("-created_at", "-pk")
    figures = once(lambda: comparison.claim_figures(claim))
    can = capabilities(membership)
    return {
        "investigation": claim.investigation,
        "membership": membership,
        "can": can,
        # What this member may do to this claim and its verdict (review/decisions.py).
        "decisions": once(lambda: decisions.ClaimDecisions.of(membership, user, claim)),
        "verdict_decisions": once(
            lambda: decisions.VerdictDecisions.of(membership, user, current())
        ),
        "claim": claim,
        "source": claim.source,
        "context_before": before,
        "context_quote": quote,
        "context_after": after,
        "quantities": once(lambda: figures()[0]),
        "figures_elsewhere": once(lambda: figures()[1]),
        "bound_choices": Quantity.Bound.choices,
        "measure_choices": Quantity.Measure.choices,
        "measure_error": forms.get("measure_error", ""),
        "evidence_groups": once(
            lambda: [
                (stance, [citation for citation in active() if citation.stance == stance])
                for stance in Stance
            ]
        ),
        "evidence_count": once(lambda: len(active())),
        "retracted_citations": once(
            lambda: [citation for citation in citations() if citation.retracted_at is not None]
        ),
        "evidence_error": forms.get("evidence_error", ""),
        "verdicts": verdicts,
        "current_verdict": current,
        "drift": drift,
        "sign_off_form": once(
            lambda: SignOffForm(verdict=current(), content_sha256=content_sha256())
        ),
        "comments": once(lambda: _comments(claim, usernames())),
        "usernames": usernames,
        "claim_tags": once(lambda: [tag for tag in tags() if tag.on_claim]),
        "other_tags": once(lambda: [tag for tag in tags() if not tag.on_claim]),
        "history": once(lambda: describe_all(history)),
        "transitions": workflow.available_transitions(claim, membership),
        "edit_form": forms.get("edit_form")
        or ClaimEditForm(
            initial={
                "statement": claim.statement,
                "speaker": claim.speaker,
                "attribution": claim.attribution,
                "version": claim.version,
            }
        ),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "capture_form": forms.get("capture_form") or CaptureForm(),
        "verdict_form": forms.get("verdict_form")
        or once(lambda: VerdictForm(initial={"replaces": current().pk if current() else 0})),
        "send_back_form": forms.get("send_back_form")
        or once(lambda: SendBackForm(initial={"version": current().version if current() else 0})),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "assign_form": once(
            lambda: AssignForm(
                initial={
                    "assignee": claim.assignee_id or "",
                    "seen": claim.assignee_id or "",
                },
                members=members()[1] if can["assign"] else [],
            )
        ),
        "priority_form": PriorityForm(initial={"priority": claim.priority, "seen": claim.priority}),
        "tag_form": forms.get("tag_form") or TagForm(),
        "conflict": forms.get("conflict"),
        "error": forms.get("error", ""),
        "verdict_error": forms.get("verdict_error", ""),
        "triage_error": forms.get("triage_error", ""),
    }


def _citations(claim, citation_forms, retract_forms, membership, user):
    loaded = citations.load_citations(claim)
    for citation in loaded:
        if citation.retracted_at is not None:
            continue  # kept as it was taken back: nothing more to edit
        citation.edit_form = citation_forms.get(citation.pk) or CitationForm(citation=citation)
        citation.can_retract = citations.can_retract(membership, citation, user)
        citation.retract_form = retract_forms.get(citation.pk) or RetractForm(citation=citation)
    return loaded


def _comments(claim, usernames):
    comments = list(claim.comments.select_related("author"))
    for comment in comments:
        comment.parts = mentions.split_mentions(comment.body, usernames)
    return comments


def _render_claim(request, claim, membership, partial=None, **forms):
    template = "claims/claim_detail.html"
    if partial and request.htmx:
        template += f"#{partial}"
    return render(request, template, _claim_context(request.user, claim, membership, **forms))


def _done(request, claim, membership, partial, message, changed=True, content_changed=False):
    """Success: redirect for plain POSTs, fresh partial for htmx (other panels are told).

    `content_changed`: the statement or the evidence changed, so the verdict panel (what a
    sign-off would approve, or a sign-off just voided) is told to refresh as well.
    """
    messages.success(request, message)
    if not request.htmx:
        return redirect(claim)
    if partial not in PANELS_WITHOUT_CLAIM_FIELDS:
        claim.reload()
    response = _render_claim(request, claim, membership, partial)
    if changed:
        trigger_client_event(response, "claimChanged", {"claim": claim.pk})
    if content_changed:
        trigger_client_event(response, "contentChanged", {"claim": claim.pk})
    return response


def _void_notice(claim, status_before, message):
    """`message`, saying also that the change voided the claim's sign-off if it did."""
    if status_before != ClaimStatus.VERIFIED:
        return message
    status = Claim.objects.values_list("status", flat=True).get(pk=claim.pk)
    if status != ClaimStatus.SIGN_OFF_VOID:
        return message
    return (
        f"{message} It changed what the verdict's sign-off approved, so the sign-off is void: "
        "the verdict needs a new sign-off from a second reviewer."
    )


@require_GET
@vary_on_headers("HX-Request")
def claim_detail(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id)
    template = "claims/claim_detail.html"
    # Panels refresh themselves after a change elsewhere on the page (claimChanged).
    panel = request.GET.get("panel", "")
    if request.htmx and panel in PANELS and not request.htmx.history_restore_request:
        template += f"#{panel}"
    return render(request, template, _claim_context(request.user, claim, membership))


PANELS = {"status-badge", "status-panel", "history-panel", "verdict-current"}
# Panels that show none of the claim row's own fields, so a change made through them needs
# no fresh copy of the claim to render.
PANELS_WITHOUT_CLAIM_FIELDS = {"evidence-panel", "comment-panel"}


@require_POST
def claim_edit(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.EDIT_CLAIM)
    form = ClaimEditForm(request.POST)
    if not form.is_valid():
        return _render_claim(request, claim, membership, "claim-summary", edit_form=form)
    data = form.cleaned_data
    status_before = claim.status
    try:
        editing.edit_claim(
            claim,
            actor=request.user,
            expected_version=data["version"],
            statement=data["statement"],
            speaker=data["speaker"],
            attribution=data["attribution"],
        )
    except editing.StaleEdit as conflict:
        # Keep what was typed; the next save starts from the version now shown.
        form.data = form.data.copy()
        form.data["version"] = conflict.current.version
        return _render_claim(
            request, claim, membership, "claim-summary", edit_form=form, conflict=conflict
        )
    message = _void_notice(claim, status_before, "Claim saved.")
    return _done(request, claim, membership, "claim-summary", message, content_changed=True)


@require_POST
def quantity_measure(request, quantity_id):
    quantity, membership = get_quantity_for_user(request.user, quantity_id, Action.SET_MEASURE)
    claim = quantity.claim
    form = MeasureForm(request.POST)
    if not form.is_valid():
        return _render_claim(
            request,
            claim,
            membership,
            "claim-summary",
            measure_error="Choose what the number counts from the list.",
        )
    marking.set_measure(
        quantity, form.cleaned_data["measure"], actor=request.user, membership=membership
    )
    message = f"“{quantity.text}” counts: {quantity.get_measure_display().lower()}."
    return _done(request, claim, membership, "claim-summary", message)


@require_POST
def claim_transition(request, claim_id):
    # Every move needs at least a reviewer; workflow.py checks the move's own role.
    claim, membership = get_claim_for_user(request.user, claim_id, Action.MOVE_CLAIM)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _render_claim(request, claim, membership, error="That action was not understood.")
    data = form.cleaned_data
    try:
        reviews.move_claim(
            claim,
            data["transition"],
            actor=request.user,
            membership=membership,
            reason=data["reason"],
            expected_status=data["from_status"],
        )
    except WorkflowError as error:
        claim.reload()
        if request.POST.get("next") == "source":
            messages.error(request, str(error))
            return redirect(claim.source)
        return _render_claim(request, claim, membership, "status-panel", error=str(error))
    claim.reload()
    message = f"Claim is now {claim.get_status_display().lower()}."
    if request.POST.get("next") == "source":
        # Accept/dismiss from the reader: stay in the reader.
        messages.success(request, message)
        if not request.htmx:
            return redirect(claim.source)
        context = _source_context(claim.source, membership)
        return render(request, "claims/source_detail.html#reader", context)
    return _done(request, claim, membership, "status-panel", message)


@require_POST
def claim_assign(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.TAKE_CLAIM)
    _, reviewers = _members(claim.investigation)
    form = AssignForm(request.POST, members=reviewers)
    from_list = request.POST.get("from") == "list"
    if not form.is_valid():
        return _triage_refused(request, claim, membership, "Choose who gets the claim.", from_list)
    data = form.cleaned_data
    assignee = request.user if data["assignee"] == "me" else data["assignee_user"]
    seen = data["seen_user"] if "seen" in request.POST else workflow.LOADED
    try:
        workflow.assign(
            claim,
            actor=request.user,
            membership=membership,
            assignee=assignee,
            expected_assignee=seen,
        )
    except WorkflowError as error:
        return _triage_refused(request, claim, membership, str(error), from_list)
    who = "you" if assignee == request.user else (assignee.get_username() if assignee else None)
    message = f"Claim assigned to {who}." if who else "Claim unassigned."
    if from_list:
        return _list_row_done(request, claim, membership, message)
    return _done(request, claim, membership, "triage-panel", message)


def _triage_refused(request, claim, membership, error, from_list=False):
    claim.reload()
    if from_list:
        messages.error(request, error)
        if not request.htmx:
            return redirect(_safe_next(request, claim.get_absolute_url()))
        return _list_row(request, claim, membership)
    return _render_claim(request, claim, membership, "triage-panel", triage_error=error)


def _list_row(request, claim, membership):
    rows = _list_rows(search.with_list_columns(Claim.objects.filter(pk=claim.pk)))
    context = {
        "row": _list_row_values(rows)[0],
        "can": capabilities(membership),
        "investigation": claim.investigation,
        "list_url": _safe_next(request, ""),
    }
    return render(request, "claims/claim_list.html#claim-row", context)


def _list_row_done(request, claim, membership, message):
    messages.success(request, message)
    if not request.htmx:
        return redirect(_safe_next(request, claim.get_absolute_url()))
    return _list_row(request, claim, membership)


@require_POST
def claim_priority(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.SET_PRIORITY)
    form = PriorityForm(request.POST)
    if not form.is_valid():
        return _triage_refused(request, claim, membership, "Choose a priority.")
    try:
        workflow.set_priority(
            claim,
            actor=request.user,
            membership=membership,
            priority=form.cleaned_data["priority"],
            expected_priority=form.cleaned_data["seen"],
        )
    except WorkflowError as error:
        return _triage_refused(request, claim, membership, str(error))
    message = f"Priority set to {claim.get_priority_display().lower()}."
    return _done(request, claim, membership, "triage-panel", message)


@require_POST
def claim_tag(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.TAG_CLAIM)
    form = TagForm(request.POST)
    if not form.is_valid():
        return _render_claim(request, claim, membership, "triage-panel", tag_form=form)
    added, removed = workflow.tag(
        claim,
        actor=request.user,
        membership=membership,
        add=[form.cleaned_data["add"]],
        remove=[form.cleaned_data["remove"]],
    )
    if added:
        message = f"Tagged “{added[0]}”."
    elif removed:
        message = f"Tag “{removed[0]}” removed."
    else:
        message = "The tags were already so."
    return _done(
        request, claim, membership, "triage-panel", message, changed=bool(added or removed)
    )


@require_POST
def evidence_add(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.ADD_EVIDENCE)
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        return _render_claim(request, claim, membership, "evidence-panel", evidence_form=form)
    status_before = claim.status
    try:
        citations.cite_evidence(claim, actor=request.user, **form.cleaned_data)
    except citations.AlreadyCited as error:
        form.add_error("url", str(error))
        return _render_claim(request, claim, membership, "evidence-panel", evidence_form=form)
    message = _void_notice(claim, status_before, "Evidence added.")
    return _done(request, claim, membership, "evidence-panel", message, content_changed=True)


@require_POST
def citation_edit(request, citation_id):
    citation, membership = get_citation_for_user(request.user, citation_id, Action.EDIT_CITATION)
    claim = citation.claim
    form = CitationForm(request.POST, citation=citation)
    if not form.is_valid():
        return _render_claim(
            request, claim, membership, "evidence-panel", citation_forms={citation.pk: form}
        )
    status_before = claim.status
    try:
        editing.edit_citation(
            citation,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            stance=form.cleaned_data["stance"],
            excerpt=form.cleaned_data["excerpt"],
            note=form.cleaned_data["note"],
        )
    except editing.StaleEdit as conflict:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = conflict.current.version
        form.conflict = conflict
        return _render_claim(
            request, claim, membership, "evidence-panel", citation_forms={citation.pk: form}
        )
    except WorkflowError as error:
        form.add_error(None, str(error))
        return _render_claim(
            request, claim, membership, "evidence-panel", citation_forms={citation.pk: form}
        )
    message = _void_notice(claim, status_before, "Citation saved.")
    return _done(request, claim, membership, "evidence-panel", message, content_changed=True)


@require_POST
def citation_retract(request, citation_id):
    citation, membership = get_citation_for_user(
        request.user, citation_id, Action.RETRACT_OWN_CITATION
    )
    if not citations.can_retract(membership, citation, request.user):
        raise PermissionDenied(
            "You can retract only your own citations; an editor can retract any."
        )
    claim = citation.claim
    form = RetractForm(request.POST, citation=citation)
    if not form.is_valid():
        return _render_claim(
            request, claim, membership, "evidence-panel", retract_forms={citation.pk: form}
        )
    status_before = claim.status
    try:
        citations.retract_citation(
            citation,
            actor=request.user,
            membership=membership,
            reason=form.cleaned_data["reason"],
        )
    except WorkflowError as error:
        return _render_claim(
            request,
            claim,
            membership,
            "evidence-panel",
            retract_forms={citation.pk: form},
            evidence_error=str(error),
        )
    message = _void_notice(claim, status_before, "Citation retracted.")
    return _done(request, claim, membership, "evidence-panel", message, content_changed=True)


@require_POST
def verdict_propose(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.PROPOSE_VERDICT)
    form = VerdictForm(request.POST)
    if not form.is_valid():
        return _render_claim(request, claim, membership, "verdict-panel", verdict_form=form)
    data = form.cleaned_data
    replaces = workflow.LOADED
    if data["replaces"] is not None:
        replaces = Verdict.objects.filter(pk=data["replaces"], claim=claim).first()
    try:
        reviews.propose_verdict(
            claim,
            proposer=request.user,
            membership=membership,
            rating=data["rating"],
            rationale=data["rationale"],
            replaces=replaces,
        )
    except reviews.VerdictChanged as conflict:
        form.data = form.data.copy()
        form.data["replaces"] = conflict.current.pk if conflict.current else 0
        form.add_error(None, str(conflict))
        claim.reload()
        return _render_claim(request, claim, membership, "verdict-panel", verdict_form=form)
    except WorkflowError as error:
        form.add_error(None, str(error))
        return _render_claim(request, claim, membership, "verdict-panel", verdict_form=form)
    return _done(
        request,
        claim,
        membership,
        "verdict-panel",
        "Verdict proposed. Another reviewer must sign it off.",
    )


@require_POST
def verdict_sign_off(request, verdict_id):
    verdict, membership = get_verdict_for_user(request.user, verdict_id, Action.SIGN_OFF_VERDICT)
    claim = verdict.claim
    form = SignOffForm(request.POST)
    if not form.is_valid():
        error = (
            "The sign-off did not say what it approves, so nothing was signed off. Reload "
            "the claim, read it, then sign off again."
        )
        return _render_claim(request, claim, membership, "verdict-panel", verdict_error=error)
    verdict.version = form.cleaned_data["version"]
    try:
        reviews.sign_off_verdict(
            verdict,
            reviewer=request.user,
            membership=membership,
            seen_sha256=form.cleaned_data["content_sha256"],
        )
    except WorkflowError as error:
        claim.reload()
        return _render_claim(request, claim, membership, "verdict-panel", verdict_error=str(error))
    return _done(request, claim, membership, "verdict-panel", "Verdict signed off.")


@require_POST
def verdict_send_back(request, verdict_id):
    verdict, membership = get_verdict_for_user(request.user, verdict_id, Action.SEND_BACK_VERDICT)
    claim = verdict.claim
    form = SendBackForm(request.POST)
    if not form.is_valid():
        return _render_claim(request, claim, membership, "verdict-panel", send_back_form=form)
    verdict.version = form.cleaned_data["version"]
    try:
        reviews.send_back_verdict(
            verdict,
            reviewer=request.user,
            membership=membership,
            comment=form.cleaned_data["comment"],
        )
    except WorkflowError as error:
        claim.reload()
        return _render_claim(
            request,
            claim,
            membership,
            "verdict-panel",
            send_back_form=form,
            verdict_error=str(error),
        )
    return _done(request, claim, membership, "verdict-panel", "Verdict sent back to review.")


@require_POST
def comment_add(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id, Action.COMMENT)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _render_claim(request, claim, membership, "comment-panel", comment_form=form)
    comment = mentions.add_comment(claim, author=request.user, body=form.cleaned_data["body"])
    names = ", ".join(user.get_username() for user in comment.mentions.all())
    message = f"Comment added; {names} will find it in their queue." if names else "Comment added."
    return _done(request, claim, membership, "comment-panel", message)
