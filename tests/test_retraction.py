"""Taking a citation back: with a reason, never deleted, out of what a verdict rests on."""

import pytest

from claims.evidence import capture, citations
from claims.models import AuditEvent, ClaimEvidence, ClaimStatus, Membership, Verdict
from claims.reporting import reports
from claims.review import editing, reviews
from claims.review.workflow import TransitionRefused


def member(user):
    return Membership.objects.get(user=user)


@pytest.fixture
def cited(claim, bob):
    return citations.cite_evidence(
        claim, actor=bob, stance="supports", url="https://example.org/gauge", title="Gauge data"
    )


def test_a_retracted_citation_stays_with_who_when_and_why(cited, erin):
    citations.retract_citation(cited, actor=erin, membership=member(erin), reason="Wrong river.")
    cited.refresh_from_db()
    assert cited.retracted_by == erin
    assert cited.retracted_at is not None
    assert cited.retraction_reason == "Wrong river."
    assert ClaimEvidence.objects.filter(pk=cited.pk).exists()
    event = AuditEvent.objects.get(action="citation.retract")
    assert event.after == {"reason": "Wrong river.", "title": "Gauge data"}


def test_a_reason_is_required(cited, erin):
    with pytest.raises(TransitionRefused, match="reason"):
        citations.retract_citation(cited, actor=erin, membership=member(erin), reason="  ")
    cited.refresh_from_db()
    assert cited.retracted_at is None


def test_reviewers_retract_only_their_own_citations(cited, bob, rita, victor):
    with pytest.raises(citations.RetractionRefused, match="your own"):
        citations.retract_citation(cited, actor=rita, membership=member(rita), reason="No.")
    with pytest.raises(citations.RetractionRefused):
        citations.retract_citation(cited, actor=victor, membership=member(victor), reason="No.")
    cited.refresh_from_db()
    assert cited.retracted_at is None
    citations.retract_citation(cited, actor=bob, membership=member(bob), reason="Misread it.")
    cited.refresh_from_db()
    assert cited.retracted_by == bob


def test_retracting_twice_at_once_records_it_once(cited, erin, alice):
    # Both requests loaded the citation before either wrote.
    first = ClaimEvidence.objects.get(pk=cited.pk)
    second = ClaimEvidence.objects.get(pk=cited.pk)
    citations.retract_citation(first, actor=erin, membership=member(erin), reason="Wrong river.")
    with pytest.raises(citations.AlreadyRetracted, match="erin"):
        citations.retract_citation(second, actor=alice, membership=member(alice), reason="Dup.")
    cited.refresh_from_db()
    assert (cited.retracted_by, cited.retraction_reason) == (erin, "Wrong river.")
    assert AuditEvent.objects.filter(action="citation.retract").count() == 1


def test_a_retracted_citation_is_not_what_a_verdict_rests_on(claim, cited, bob, erin):
    other = citations.cite_evidence(claim, actor=bob, stance="refutes", title="Insurer tally")
    citations.retract_citation(cited, actor=erin, membership=member(erin), reason="Wrong river.")
    verdict = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="false", rationale="Tally."
    )
    content = reviews.current_content(claim, verdict)
    assert [c["title"] for c in content["citations"]] == [other.evidence.title]


def test_a_retracted_citation_cannot_be_edited(cited, erin):
    citations.retract_citation(cited, actor=erin, membership=member(erin), reason="Wrong river.")
    with pytest.raises(TransitionRefused, match="retracted"):
        editing.edit_citation(
            cited, actor=erin, expected_version=cited.version, stance="refutes", excerpt="", note=""
        )


def test_retracting_on_a_verified_claim_voids_the_sign_off(claim, cited, bob, rita, erin):
    verdict = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="Gauge agrees."
    )
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita))
    citations.retract_citation(cited, actor=erin, membership=member(erin), reason="Wrong river.")
    verdict.refresh_from_db()
    claim.refresh_from_db()
    assert verdict.status == Verdict.Status.VOIDED
    assert "Wrong river." in verdict.void_reason
    assert claim.status == ClaimStatus.SIGN_OFF_VOID
    again = reviews.current_verdict(claim)
    [row] = reviews.changes_since_sign_off(claim, again)
    assert row[2] == "(no longer cited)"


def test_a_link_whose_capture_was_refused_can_be_retracted(
    claim, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        citation = capture.cite_and_capture(
            claim, actor=bob, url="http://10.0.0.1/intranet", stance="supports"
        )
    citation.evidence.refresh_from_db()
    assert citation.evidence.latest_snapshot.has_failed
    citations.retract_citation(citation, actor=bob, membership=member(bob), reason="Not public.")
    citation.refresh_from_db()
    assert citation.retracted_at is not None


def test_reports_leave_retracted_citations_out(claim, cited, bob, rita, erin):
    kept = citations.cite_evidence(claim, actor=bob, stance="refutes", title="Insurer tally")
    citations.retract_citation(cited, actor=erin, membership=member(erin), reason="Wrong river.")
    report = reports.build_report(claim.investigation)
    [reported] = [c for source in report.sources for c in source.claims]
    assert [item.title for item in reported.evidence] == [kept.evidence.title]


def test_a_retracted_page_can_be_cited_again_as_a_new_citation(claim, cited, bob, erin):
    citations.retract_citation(cited, actor=erin, membership=member(erin), reason="Wrong gauge.")
    again = citations.cite_evidence(
        claim, actor=bob, stance="refutes", url="https://example.org/gauge", title="Gauge data"
    )
    assert again.pk != cited.pk
    assert again.evidence_id == cited.evidence_id
    cited.refresh_from_db()
    assert cited.retracted_at is not None
    assert cited.stance == "supports"
    assert list(claim.citations.filter(retracted_at__isnull=True)) == [again]
    with pytest.raises(citations.AlreadyCited):
        citations.cite_evidence(
            claim, actor=bob, stance="supports", url="https://example.org/gauge", title="Gauge"
        )


def test_the_database_keeps_one_live_citation_per_page_and_claim(claim, cited, erin):
    from django.db import IntegrityError, transaction

    duplicate = dict(claim=claim, evidence=cited.evidence, stance="refutes")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimEvidence.objects.create(**duplicate)
    citations.retract_citation(cited, actor=erin, membership=member(erin), reason="Superseded.")
    ClaimEvidence.objects.create(**duplicate)
