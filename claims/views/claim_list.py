"""The claim list page: an investigation's claims, filtered and paged, with bulk changes."""

# Also here: the single row that a change made from the list (Take) answers with.

from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from claims.access.memberships import members_and_reviewers
from claims.access.permissions import Action, capabilities, get_investigation_for_user
from claims.forms import BulkForm, ClaimFilterForm, ClaimListQueryForm, NextForm
from claims.listing import page_cache, search
from claims.listing.counting import CappedPaginator
from claims.models import Claim, ClaimStatus, Priority, Source, Tag, Verdict, VerdictRating
from claims.review import bulk
from claims.views.fragments import page_or_fragment, wants_fragment

CLAIMS_PER_PAGE = 50
# The list counts its claims up to here (or one page past the page asked for) and then says
# "More than 10,000": an exact count of a large filtered list reads every matching row.
CLAIM_COUNT_CAP = 10_000


# The source filter lists at most this many sources, the newest: a dropdown of thousands
# helps nobody and costs more to render than the 50 rows. Any source can still be chosen
# from its own page ("Claims from this source"), which links here with ?source=<id>.
SOURCE_CHOICES_CAP = 100


def _source_choices(investigation, chosen):
    """([(pk, title)] sorted by title, whether older sources were left out); the source
    `chosen` (an id or None) is among them whatever its age."""
    sources = Source.objects.filter(investigation=investigation).values_list("pk", "title")
    newest = list(sources.order_by("-created_at", "-pk")[: SOURCE_CHOICES_CAP + 1])
    more = len(newest) > SOURCE_CHOICES_CAP
    newest = newest[:SOURCE_CHOICES_CAP]
    if more and chosen is not None and chosen not in {pk for pk, _ in newest}:
        # An older source chosen from its page stays selected in the form.
        newest += list(sources.filter(pk=chosen))
    return sorted(newest, key=lambda item: item[1].lower()), more


def claim_filter_form(request, investigation, chosen_source, reviewers=None):
    """The claim list's filter form, bound to the request's query (the page and the API)."""
    if reviewers is None:
        _members, reviewers = members_and_reviewers(investigation)
    # Sources are read from their own table: only those with claims would need a DISTINCT
    # over every claim (a scan at 100,000 claims), and a source without claims narrows the
    # list to nothing, which is true.
    sources, more_sources = _source_choices(investigation, chosen_source)
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
    "independent_count",
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
    independent_count: str  # independent sources confirming it ("" for none)


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
                independent_count=str(row.independent_count or ""),
            )
        )
    return shown


TAKEN_NO_MORE = (ClaimStatus.VERIFIED, ClaimStatus.DISMISSED)


def claim_list_context(request, investigation, membership):
    """Everything the claim list page shows, for the filters and page in the query."""
    _members, reviewers = members_and_reviewers(investigation)
    query_form = ClaimListQueryForm(request.GET)
    form = claim_filter_form(request, investigation, query_form.source_id, reviewers)
    filters = form.values()
    claims = search.filter_claims(
        Claim.objects.filter(investigation=investigation), user=request.user, filters=filters
    )
    # The count reads the filtered claims alone; only the page's 50 rows join in the source
    # and the assignee for their columns.
    paginator = CappedPaginator(claims, CLAIMS_PER_PAGE, cap=CLAIM_COUNT_CAP)
    page = paginator.get_page(query_form.number)
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
        "bulk_form": BulkForm(members=reviewers),
        "is_filtered": any(key != "sort" for key in filters),
        # Filters a phone folds away (all but the search and the status) that are set now.
        "more_filters_set": sum(key not in ("q", "status") for key in filters),
    }


@require_GET
@vary_on_headers("HX-Request")
def claim_list(request, slug):
    taken = page_cache.ticket(request)  # before the investigation is read: see ticket()
    investigation, membership = get_investigation_for_user(request.user, slug)
    template = page_or_fragment(request, "claims/claim_list.html", "claim-table")
    return page_cache.render(
        request,
        taken,
        template,
        lambda: claim_list_context(request, investigation, membership),
        vary_on=[membership.role],
    )


@require_POST
def claim_bulk(request, slug):
    """Confirm, then apply, one change to the selected claims of the list."""
    investigation, membership = get_investigation_for_user(request.user, slug, Action.BULK_CHANGE)
    list_url = reverse("claims:claim-list", args=[investigation.slug])
    next_url = NextForm(request.POST, request=request).next_or(list_url)
    _members, reviewers = members_and_reviewers(investigation)
    form = BulkForm(
        request.POST, members=reviewers, claims=Claim.objects.filter(investigation=investigation)
    )
    template = page_or_fragment(request, "claims/claim_bulk.html", "bulk-panel")
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
        context["blocked"] = bulk.refusals(claims, change, membership)
        # Nothing would change: say so, and offer no confirmation that could only fail.
        context["is_all_blocked"] = len(context["blocked"]) == len(claims)
        return render(request, template, context)
    outcome = bulk.apply(claims, change, actor=request.user, membership=membership)
    messages.success(request, outcome.summary(change))
    if not wants_fragment(request):
        for claim, reason in outcome.unchanged:
            messages.warning(request, f"Not changed: “{claim.quote[:60]}” ({reason})")
        return redirect(next_url)
    context["outcome"] = outcome
    response = render(request, template, context)
    return trigger_client_event(response, "claimsChanged", {})


def list_row_answer(request, claim, membership, back):
    """The answer to a change made from a row of the list: that row again for htmx, else
    back to the list. `back` is the request's NextForm (where the list was)."""
    if not wants_fragment(request):
        return redirect(back.next_or(claim.get_absolute_url()))
    rows = _list_rows(search.with_list_columns(Claim.objects.filter(pk=claim.pk)))
    context = {
        "row": _list_row_values(rows)[0],
        "can": capabilities(membership),
        "investigation": claim.investigation,
        "list_url": back.next_or(""),
    }
    return render(
        request, page_or_fragment(request, "claims/claim_list.html", "claim-row"), context
    )
