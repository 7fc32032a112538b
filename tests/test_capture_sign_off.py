"""The archive under a sign-off: a page archived late, or found changed by a re-check, voids
the sign-offs that rest on it (the worker is the one who changed it: voided_by is None)."""

import pytest
from django.core.management import call_command

from claims.evidence import capture, citations
from claims.models import ClaimStatus, Membership, Verdict
from claims.review import reviews
from tests.factories import make_claim
from tests.pages import ARTICLE_HTML, Page

pytestmark = pytest.mark.django_db


def member(user):
    return Membership.objects.get(user=user)


def sign_off(claim, proposer, reviewer):
    verdict = reviews.propose_verdict(
        claim, proposer=proposer, membership=member(proposer), rating="true", rationale="Seen."
    )
    return reviews.sign_off_verdict(verdict, reviewer=reviewer, membership=member(reviewer))


@pytest.fixture
def archived(claim, source, bob, rita, pages, django_capture_on_commit_callbacks):
    """Two verified claims citing one archived page, and a third that only cited it once."""
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())
    other = make_claim(source, "at least 14 people had died", actor=bob)
    taken_back = make_claim(source, "The river rose by 3.2 metres overnight", actor=bob)
    with django_capture_on_commit_callbacks(execute=True):
        cited = [
            capture.cite_and_capture(on, actor=bob, url=pages.url("/article"), stance="supports")
            for on in (claim, other, taken_back)
        ]
    citations.retract_citation(
        cited[2], actor=bob, membership=member(bob), reason="Not about this."
    )
    verdicts = [sign_off(on, bob, rita) for on in (claim, other, taken_back)]
    return cited[0].evidence, verdicts


def test_a_recheck_that_finds_the_text_changed_voids_every_sign_off_on_it(archived, pages):
    page, verdicts = archived
    pages.routes["/article"] = Page(ARTICLE_HTML.replace("1,200", "2,400").encode())
    entry = capture.recheck(page, operator_name="tester")
    assert entry.outcome == "changed"
    for verdict in verdicts[:2]:
        verdict.refresh_from_db()
        assert verdict.status == Verdict.Status.VOIDED
        assert verdict.voided_by is None
        assert "re-check" in verdict.void_reason
        assert "main text differs" in verdict.void_reason
        assert verdict.claim.status == ClaimStatus.SIGN_OFF_VOID
        assert reviews.current_verdict(verdict.claim).resubmission_of == verdict
    untouched = verdicts[2]  # its citation of the page was retracted before sign-off
    untouched.refresh_from_db()
    assert untouched.status == Verdict.Status.SIGNED_OFF


def test_a_recheck_that_finds_the_page_the_same_voids_nothing(archived):
    page, _verdicts = archived
    assert capture.recheck(page, operator_name="tester").outcome == "unchanged"
    assert {v.status for v in Verdict.objects.all()} == {Verdict.Status.SIGNED_OFF}


def test_the_recheck_command_says_how_many_sign_offs_it_voided(archived, pages, investigation):
    pages.routes["/article"] = Page(ARTICLE_HTML.replace("1,200", "2,400").encode())
    from io import StringIO

    out = StringIO()
    call_command("recheck_evidence", "--investigation", investigation.slug, stdout=out)
    assert "2 sign-offs voided" in out.getvalue()


def test_a_page_archived_after_sign_off_voids_it(claim, bob, rita, pages):
    pages.routes["/late"] = Page(ARTICLE_HTML.encode())
    # The capture is queued but has not run when the verdict is signed off.
    citation = capture.cite_and_capture(claim, actor=bob, url=pages.url("/late"), stance="refutes")
    verdict = sign_off(claim, bob, rita)
    assert verdict.signed_content["citations"][0]["snapshot_sha256"] == ""
    capture.run_capture(citation.evidence.latest_snapshot)
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.VOIDED
    assert "archived after" in verdict.void_reason
    again = reviews.current_verdict(claim)
    [*rows] = reviews.changes_since_sign_off(claim, again)
    assert any("archive" in after for _, _, after in rows)
