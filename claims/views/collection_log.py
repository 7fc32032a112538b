"""The collection log of a cited page: what was fetched and kept, and when."""

from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from claims.access.permissions import get_citation_for_user
from claims.evidence import citations
from claims.views.fragments import page_or_fragment


@require_GET
@vary_on_headers("HX-Request")
def citation_log(request, citation_id):
    """The collection log of a cited page: loaded into the claim page when its box is opened,
    or as a page of its own by the plain link inside that box (no JavaScript)."""
    citation, _ = get_citation_for_user(request.user, citation_id)
    template = page_or_fragment(request, "claims/collection_log.html", "collection-log")
    claim = citation.claim
    context = {
        "citation": citation,
        "claim": claim,
        "evidence": citation.evidence,
        "investigation": claim.investigation,
        "source": claim.source,
        "entries": citations.load_collection_log(citation.evidence),
    }
    return render(request, template, context)
