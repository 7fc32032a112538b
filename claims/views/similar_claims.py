"""The claim page's "Similar claims" section: loaded by itself after the page, decided here.

The section is its own small view (the claim page keeps its query budget): the claim's
links that the user may see, each with its score and reason, the buttons to confirm "same
claim" or "contradicts" or to reject, and, for a confirmed match of the same investigation,
a form to cite the other claim as evidence.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from claims.access.permissions import (
    Action,
    capabilities,
    get_claim_for_user,
    get_link_for_user,
)
from claims.corroboration import links
from claims.evidence.citations import AlreadyCited
from claims.forms import LinkDecisionForm, TestimonyForm
from claims.models import ClaimLink, Stance
from claims.review.workflow import WorkflowError
from claims.views.fragments import page_or_fragment, wants_fragment

TEMPLATE = "claims/similar_claims.html"


def similar_context(user, claim, membership, *, error="", conflict=None):
    """The section's context: the links `user` may see, best first; one query."""
    shown = links.visible_links(claim, user)
    return {
        "claim": claim,
        "investigation": claim.investigation,
        "source": claim.source,
        "membership": membership,
        "can": capabilities(membership),
        "similar": [item for item in shown if item.link.status != ClaimLink.Status.REJECTED],
        "rejected": [item for item in shown if item.link.status == ClaimLink.Status.REJECTED],
        "independent_count": links.independent_count(claim, shown),
        "stance_choices": Stance.choices,
        "error": error,
        "conflict": conflict,
    }


def _render(request, claim, membership, **extra):
    template = page_or_fragment(request, TEMPLATE, "similar-panel")
    return render(request, template, similar_context(request.user, claim, membership, **extra))


@require_GET
@vary_on_headers("HX-Request")
def claim_similar(request, claim_id):
    claim, membership = get_claim_for_user(request.user, claim_id)
    return _render(request, claim, membership)


def _page_claim(link, memberships, claim_id):
    """(claim, membership) of the claim whose page the request came from: one of the pair."""
    for claim in (link.claim_a, link.claim_b):
        if claim.pk == claim_id:
            return claim, memberships[claim.investigation_id]
    raise Http404("No such object.")


@require_POST
def link_decide(request, link_id):
    link, memberships = get_link_for_user(request.user, link_id, Action.DECIDE_LINK)
    form = LinkDecisionForm(request.POST)
    claim, membership = _page_claim(link, memberships, form.claim_or(link.claim_a_id))
    if not form.is_valid():
        return _render(request, claim, membership, error="That decision was not understood.")
    data = form.cleaned_data
    try:
        links.decide(
            link,
            actor=request.user,
            decision=data["decision"],
            expected_version=data["version"],
        )
    except links.LinkChanged as conflict:
        return _render(request, claim, membership, conflict=conflict)
    except WorkflowError as refused:
        return _render(request, claim, membership, error=str(refused))
    messages.success(request, f"Recorded: {link.get_status_display().lower()}.")
    if not wants_fragment(request):
        return redirect(claim)
    response = _render(request, claim, membership)
    return trigger_client_event(response, "claimChanged", {"claim": claim.pk})


@require_POST
def link_cite(request, link_id):
    link, memberships = get_link_for_user(request.user, link_id, Action.CITE_TESTIMONY)
    form = TestimonyForm(request.POST)
    claim, membership = _page_claim(link, memberships, form.claim_or(link.claim_a_id))
    if not form.is_valid():
        return _render(request, claim, membership, error="Choose how the testimony bears on it.")
    try:
        links.cite_testimony(link, claim, actor=request.user, stance=form.cleaned_data["stance"])
    except (WorkflowError, AlreadyCited) as error:
        return _render(request, claim, membership, error=str(error))
    messages.success(request, "Testimony cited as evidence.")
    if not wants_fragment(request):
        return redirect(claim)
    # The evidence panel, the verdict and the history all change: show the whole page.
    return HttpResponseClientRedirect(claim.get_absolute_url())
