"""Audit events read as sentences with before and after."""

from claims.models import Membership
from claims.review import audit, history, mentions, reviews, workflow


def member(user):
    return Membership.objects.get(user=user)


def test_events_read_as_who_did_what_with_labels(claim, bob, erin, rita):
    workflow.transition(claim, "start_review", actor=erin, membership=member(erin))
    workflow.assign(claim, actor=erin, membership=member(erin), assignee=rita)
    reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="mostly_false", rationale="Counts."
    )
    mentions.add_comment(claim, author=bob, body="@rita ok?")
    entries = history.describe_all(claim.audit_events.select_related("actor"))
    by_action = {entry.event.action: entry for entry in entries}
    move = by_action["claim.start_review"]
    assert (move.actor, move.verb) == ("erin", "moved the claim (start review)")
    assert [(c.field, c.before, c.after) for c in move.changes] == [("Status", "Open", "In review")]
    assign = by_action["claim.assign"]
    assert [(c.before, c.after) for c in assign.changes] == [("—", "rita")]
    proposal = by_action["verdict.propose"].changes
    assert ("Rating", "Mostly false") in [(c.field, c.after) for c in proposal]
    assert [c.after for c in by_action["comment.add"].changes] == ["@rita ok?", "rita"]
    # Newest first, as the page shows them.
    assert entries[0].event.action == "comment.add"


def test_unknown_actions_are_shown_by_their_name(claim):
    event = audit.record(None, "snapshot.capture", claim, investigation=claim.investigation)
    entry = history.describe(event)
    assert (entry.actor, entry.verb) == ("system", "snapshot capture")


def test_a_voided_sign_off_reads_as_why(claim, bob, rita, erin):
    from claims.evidence import citations
    from claims.review import editing

    citation = citations.cite_evidence(claim, actor=bob, stance="supports", title="Leaflet")
    verdict = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="Seen."
    )
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita))
    editing.edit_citation(
        citation, actor=erin, expected_version=1, stance="refutes", excerpt="", note=""
    )
    citations.retract_citation(citation, actor=erin, membership=member(erin), reason="Fake.")
    entries = {
        entry.event.action: entry
        for entry in history.describe_all(claim.audit_events.select_related("actor"))
    }
    void = entries["verdict.void"]
    assert void.actor == "erin"
    assert void.verb == "voided the sign-off: what it approved changed"
    changes = {change.field: change for change in void.changes}
    assert changes["Status"].before == "Signed off"
    assert changes["Status"].after == "Sign-off voided"
    assert "Leaflet" in changes["Reason"].after
    assert entries["verdict.resubmit"].verb == "put the verdict up for sign-off again"
    assert entries["claim.void_sign_off"].verb == "marked the claim changed since sign-off"
    assert entries["citation.retract"].verb == "retracted a citation"
