import pytest

from claims.listing.counting import CappedPaginator
from claims.models import Claim


@pytest.fixture
def claims(investigation):
    from claims.devdata import synthetic

    synthetic.generate(investigation, claims=60, seed=5)
    return Claim.objects.filter(investigation=investigation).order_by("pk")


def test_short_lists_are_counted_exactly(claims):
    paginator = CappedPaginator(claims, 10, cap=100)
    page = paginator.get_page(2)
    assert paginator.count == 60
    assert not paginator.is_capped
    assert paginator.count_label == "60"
    assert paginator.num_pages_label == "6"
    assert list(page.object_list) == list(claims[10:20])


def test_long_lists_stop_counting_at_the_cap(claims):
    paginator = CappedPaginator(claims, 10, cap=25)
    page = paginator.get_page(1)
    assert paginator.is_capped
    assert paginator.count_label == "More than 25"
    assert paginator.num_pages_label == "3+"
    assert page.has_next()


def test_a_far_page_is_reached_by_counting_further(claims):
    paginator = CappedPaginator(claims, 10, cap=25)
    page = paginator.get_page(5)
    assert page.number == 5
    assert list(page.object_list) == list(claims[40:50])
    assert paginator.get_page(6)  # the last page exists and the count reached it


def test_a_bad_page_number_gives_the_first_page(claims):
    assert CappedPaginator(claims, 10, cap=25).get_page("x").number == 1


def test_status_counts_follow_the_audit_trail(investigation, claim, bob):
    from claims.listing.counting import status_counts_since
    from claims.models import AuditEvent, Membership
    from claims.review import workflow

    def latest():
        return AuditEvent.objects.filter(investigation=investigation).order_by("-pk").first()

    assert status_counts_since(investigation, latest()) == {"open": 1}
    workflow.transition(
        claim, "start_review", actor=bob, membership=Membership.objects.get(user=bob)
    )
    assert status_counts_since(investigation, latest()) == {"in_review": 1}
