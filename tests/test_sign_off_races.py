"""A sign-off and a change to what it approves, at the same moment (PostgreSQL, two real
connections): whichever comes second waits for the first and then sees it, so a claim is never
left verified with a sign-off that does not match its evidence."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from claims.evidence import citations
from claims.models import ClaimStatus, Membership, Verdict
from claims.review import editing, reviews

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]


def member(user):
    return Membership.objects.get(user=user)


def in_thread(work, errors):
    def run():
        try:
            work()
        except Exception as error:  # handed to the test, which fails with it
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def wait_until_someone_waits_for_a_lock():
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.02)
    pytest.fail("the second transaction never waited for the first")


@pytest.fixture
def proposed(claim, bob):
    citation = citations.cite_evidence(claim, actor=bob, stance="context", title="Gauge data")
    verdict = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="Seen."
    )
    return claim, citation, verdict


def test_an_edit_made_while_a_sign_off_commits_voids_it(proposed, rita, erin):
    claim, citation, verdict = proposed
    signed, release, errors = threading.Event(), threading.Event(), []

    def sign_off():
        with transaction.atomic():
            reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita))
            signed.set()
            release.wait(10)

    first = in_thread(sign_off, errors)
    assert signed.wait(10)
    second = in_thread(
        lambda: editing.edit_citation(
            citation, actor=erin, expected_version=1, stance="refutes", excerpt="", note=""
        ),
        errors,
    )
    wait_until_someone_waits_for_a_lock()
    release.set()
    first.join(10)
    second.join(10)
    assert not errors, errors
    verdict.refresh_from_db()
    claim.refresh_from_db()
    assert verdict.status == Verdict.Status.VOIDED
    assert claim.status == ClaimStatus.SIGN_OFF_VOID


def test_a_sign_off_made_while_an_edit_commits_sees_it(proposed, rita, erin):
    claim, citation, verdict = proposed
    seen = reviews.current_sha256(claim, verdict)
    edited, release, errors = threading.Event(), threading.Event(), []

    def edit():
        with transaction.atomic():
            editing.edit_citation(
                citation, actor=erin, expected_version=1, stance="refutes", excerpt="", note=""
            )
            edited.set()
            release.wait(10)

    first = in_thread(edit, errors)
    assert edited.wait(10)
    second = in_thread(
        lambda: reviews.sign_off_verdict(
            verdict, reviewer=rita, membership=member(rita), seen_sha256=seen
        ),
        errors,
    )
    wait_until_someone_waits_for_a_lock()
    release.set()
    first.join(10)
    second.join(10)
    assert [type(error) for error in errors] == [reviews.ContentChanged]
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PROPOSED
