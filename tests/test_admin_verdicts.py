"""The admin is no back door to a verdict: claim status and verdicts are read-only there, and
what a sign-off approved cannot change there without voiding it."""

from django.urls import reverse

from claims.evidence import citations
from claims.models import ClaimEvidence, ClaimStatus, Membership, Verdict
from claims.review import reviews
from tests.test_admin_audit import admin_form_data, change_url


def member(user):
    return Membership.objects.get(user=user)


def test_a_claims_status_cannot_be_set_in_the_admin(admin_client, claim):
    url = change_url(claim)
    page = admin_client.get(url)
    assert "status" not in page.context["adminform"].form.fields
    data = admin_form_data(page)
    data["status"] = ClaimStatus.VERIFIED
    assert admin_client.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.OPEN


def test_verdicts_cannot_be_added_changed_or_deleted_in_the_admin(admin_client, claim, bob):
    verdict = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="Seen."
    )
    assert admin_client.get(reverse("admin:claims_verdict_add")).status_code == 403
    page = admin_client.get(change_url(verdict))
    assert page.status_code == 200  # readable
    assert not page.context["adminform"].form.fields  # nothing to edit
    response = admin_client.post(change_url(verdict), {"status": "signed_off"})
    assert response.status_code == 403
    delete = reverse("admin:claims_verdict_delete", args=[verdict.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PROPOSED


def test_a_retraction_cannot_be_undone_in_the_admin(admin_client, claim, bob, erin):
    citation = citations.cite_evidence(claim, actor=bob, stance="supports", title="Leaflet")
    citations.retract_citation(citation, actor=erin, membership=member(erin), reason="Fake.")
    page = admin_client.get(change_url(citation))
    fields = page.context["adminform"].form.fields
    assert not {"retracted_at", "retracted_by", "retraction_reason", "claim"} & set(fields)
    delete = reverse("admin:claims_claimevidence_delete", args=[citation.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ClaimEvidence.objects.filter(pk=citation.pk, retracted_at__isnull=False).exists()


def test_a_citation_edited_in_the_admin_voids_the_sign_off(admin_client, claim, bob, rita):
    citation = citations.cite_evidence(claim, actor=bob, stance="supports", title="Leaflet")
    verdict = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="Seen."
    )
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita))
    url = change_url(citation)
    data = admin_form_data(admin_client.get(url))
    data["stance"] = "refutes"
    assert admin_client.post(url, data).status_code == 302
    verdict.refresh_from_db()
    claim.refresh_from_db()
    assert verdict.status == Verdict.Status.VOIDED
    assert "admin" in verdict.void_reason
    assert claim.status == ClaimStatus.SIGN_OFF_VOID
