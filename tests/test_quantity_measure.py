"""Quantity.measure: filled when numbers are read, set by reviewers, kept on re-extraction."""

import pytest

from claims.models import AuditEvent, Membership, Quantity
from claims.review.workflow import TransitionRefused
from claims.sources import marking
from tests.factories import make_claim


def membership_of(user, investigation):
    return Membership.objects.get(user=user, investigation=investigation)


def test_marking_a_claim_says_what_its_numbers_count(source):
    claim = make_claim(source, quote="The regional governor said at least 14 people had died.")
    (quantity,) = claim.quantities.all()
    assert quantity.measure == Quantity.Measure.KILLED
    assert '"died"' in quantity.measure_reason
    assert quantity.measure_set_by_reviewer is False


def test_a_number_nobody_can_place_is_other(claim):
    # "about 1,200 homes were flooded": homes are not people in any measure.
    (quantity,) = claim.quantities.all()
    assert quantity.measure == Quantity.Measure.OTHER


def test_a_reviewer_sets_the_measure_and_it_is_recorded(claim, bob, investigation):
    quantity = claim.quantities.get()
    marking.set_measure(quantity, "crowd", actor=bob, membership=membership_of(bob, investigation))
    quantity.refresh_from_db()
    assert quantity.measure == "crowd"
    assert quantity.measure_set_by_reviewer is True
    event = AuditEvent.objects.get(action="quantity.set_measure")
    assert event.claim == claim
    assert event.before["measure"] == "other"
    assert event.after["measure"] == "crowd"


def test_a_viewer_cannot_set_the_measure(claim, victor, investigation):
    quantity = claim.quantities.get()
    with pytest.raises(TransitionRefused):
        marking.set_measure(
            quantity, "crowd", actor=victor, membership=membership_of(victor, investigation)
        )
    quantity.refresh_from_db()
    assert quantity.measure == "other"
    assert not AuditEvent.objects.filter(action="quantity.set_measure").exists()


def test_an_unknown_measure_is_refused(claim, bob, investigation):
    with pytest.raises(ValueError, match="Unknown measure"):
        marking.set_measure(
            claim.quantities.get(),
            "votes",
            actor=bob,
            membership=membership_of(bob, investigation),
        )


def test_re_extraction_keeps_a_reviewers_measure_for_the_same_number(claim, bob, investigation):
    marking.set_measure(
        claim.quantities.get(), "injured", actor=bob, membership=membership_of(bob, investigation)
    )
    marking.replace_quantities(claim)
    quantity = claim.quantities.get()
    assert (quantity.measure, quantity.measure_set_by_reviewer) == ("injured", True)


def test_re_extraction_refreshes_measures_nobody_chose(claim):
    claim.quantities.update(measure="money", measure_reason="stale")
    marking.replace_quantities(claim)
    assert claim.quantities.get().measure == "other"
