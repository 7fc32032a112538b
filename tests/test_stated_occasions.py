"""Each number keeps the date and place its sentence states; comparisons date figures by it."""

from datetime import date

from claims.corroboration import comparison
from claims.corroboration.comparison import Verdict
from claims.models import Quantity
from claims.sources import marking
from tests.factories import make_claim, make_source

LATE_STATEMENT = "On 8 January police said 9,900 people had been detained in Almaty."
EARLY_REPORT = "Nearly 6,000 people had been detained, the wire said."


def test_a_marked_claim_stores_its_numbers_date_and_place(investigation, bob):
    source = make_source(investigation, text=LATE_STATEMENT, published_on=date(2022, 1, 15))
    claim = make_claim(source, LATE_STATEMENT, bob)
    quantity = claim.quantities.get()
    assert (quantity.stated_on, quantity.place) == (date(2022, 1, 8), "Almaty")


def test_a_number_without_a_stated_date_keeps_none(investigation, bob):
    source = make_source(investigation, text=EARLY_REPORT, published_on=date(2022, 1, 10))
    quantity = make_claim(source, EARLY_REPORT, bob).quantities.get()
    assert (quantity.stated_on, quantity.place) == (None, "")


def test_extraction_stores_them_on_suggested_claims(investigation, bob):
    text = "Yesterday police said 300 people had been detained at Republic Square."
    source = make_source(investigation, text=text, published_on=date(2022, 1, 6), extract=True)
    quantity = Quantity.objects.get(claim__source=source)
    assert (quantity.stated_on, quantity.place) == (date(2022, 1, 5), "Republic Square")


def test_re_extraction_reads_them_again(investigation, bob):
    source = make_source(investigation, text=LATE_STATEMENT, published_on=date(2022, 1, 15))
    claim = make_claim(source, LATE_STATEMENT, bob)
    Quantity.objects.filter(claim=claim).update(stated_on=None, place="")
    marking.replace_quantities(claim)
    quantity = claim.quantities.get()
    assert (quantity.stated_on, quantity.place) == (date(2022, 1, 8), "Almaty")


def _two_sources(investigation, bob):
    # The statement was published after the report, but says its figure is from before it.
    late = make_source(
        investigation, text=LATE_STATEMENT, title="Police", published_on=date(2022, 1, 15)
    )
    early = make_source(
        investigation, text=EARLY_REPORT, title="Wire", published_on=date(2022, 1, 10)
    )
    make_claim(late, LATE_STATEMENT, bob)
    make_claim(early, EARLY_REPORT, bob)


def test_compare_dates_a_figure_by_the_date_its_text_states(investigation, bob):
    _two_sources(investigation, bob)
    (detained,) = comparison.compare(investigation)
    # 9,900 on 8 January, then nearly 6,000 on 10 January: the count fell, so they differ.
    assert [(s.text, s.date, s.date_stated, s.place) for s in detained.statements] == [
        ("9,900", date(2022, 1, 8), True, "Almaty"),
        ("Nearly 6,000", date(2022, 1, 10), False, ""),
    ]
    assert detained.verdict == Verdict.DIFFER


def test_without_stated_dates_the_sources_dates_make_it_a_rise(investigation, bob):
    _two_sources(investigation, bob)
    Quantity.objects.update(stated_on=None)
    (detained,) = comparison.compare(investigation)
    assert [s.text for s in detained.statements] == ["Nearly 6,000", "9,900"]
    assert detained.verdict == Verdict.ROSE
    assert not any(s.date_stated for s in detained.statements)


def test_the_claim_page_figures_use_the_stated_date(investigation, bob):
    _two_sources(investigation, bob)
    early_claim = Quantity.objects.get(text="Nearly 6,000").claim
    own, figures = comparison.claim_figures(early_claim)
    assert [q.text for q in own] == ["Nearly 6,000"]
    ((statement, agrees),) = figures[0].others
    assert (statement.date, statement.date_stated, statement.place) == (
        date(2022, 1, 8),
        True,
        "Almaty",
    )
    assert not agrees
