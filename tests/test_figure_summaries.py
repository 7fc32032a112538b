"""The numbers page's kept summaries: always the live answer, whoever wrote and however.

Each write path runs against a summary kept before it; the page must then answer what a live
computation answers (and, for a write that changes figures, something other than before), on
SQLite and on PostgreSQL alike: the database's triggers say the summary went stale.
"""

import random
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.urls import reverse

from claims.corroboration import comparison, generation, overview, plans, summaries
from claims.models import Claim, ClaimStatus, FigureSummary, Quantity, Source
from claims.sources import marking
from tests.factories import (
    make_claim,
    make_figure_sources,
    make_investigation,
    make_many_figures,
    make_source,
)


def answer(investigation, include_suggestions=False, per_measure=50, live=False):
    """What the numbers page shows of each measure, as plain values."""
    return [
        (
            item.kind,
            item.verdict,
            item.why,
            item.count,
            item.page,
            item.pages,
            [s.quantity_id for s in item.statements],
            [(s.text, s.date, s.status) for s in item.statements],
            item.standings,
        )
        for item in overview.overview(
            investigation,
            include_suggestions=include_suggestions,
            per_measure=per_measure,
            live=live,
        )
    ]


def kept_equals_live(investigation):
    for include_suggestions in (False, True):
        kept = answer(investigation, include_suggestions)
        assert kept == answer(investigation, include_suggestions, live=True)
    return answer(investigation)


@pytest.fixture
def desk(investigation, bob):
    """The ministry's and the wire's figures, a third dated source, and a suggested claim."""
    ministry, wire = make_figure_sources(investigation, actor=bob)
    later = make_source(
        investigation,
        text="Police said 12,000 people were detained. Officials said 300 people died.",
        title="Police",
        published_on=date(2022, 1, 15),
    )
    make_claim(later, "Police said 12,000 people were detained.", bob)
    suggested = make_claim(later, "Officials said 300 people died.", bob)
    Claim.objects.filter(pk=suggested.pk).update(status=ClaimStatus.SUGGESTED)
    return ministry, wire, later


def _detained(source):
    return Quantity.objects.get(claim__source=source, measure="detained")


def _save(desk):
    quantity = _detained(desk[0])
    quantity.value = 3000
    quantity.save()


def _bulk_create(desk):
    claim = _detained(desk[2]).claim
    Quantity.objects.bulk_create(
        [
            Quantity(
                claim=claim,
                investigation_id=claim.investigation_id,
                start=claim.start,
                end=claim.start + 6,
                text="Police",
                value=1,
                measure="detained",
            )
        ]
    )


def _dismiss_by_update(desk):
    Claim.objects.filter(pk=_detained(desk[1]).claim_id).update(status=ClaimStatus.DISMISSED)


def _suggest_by_update(desk):
    Claim.objects.filter(pk=_detained(desk[2]).claim_id).update(status=ClaimStatus.SUGGESTED)


def _accept_suggestion_by_update(desk):
    Claim.objects.filter(status=ClaimStatus.SUGGESTED).update(status=ClaimStatus.OPEN)


def _delete_claim(desk):
    _detained(desk[0]).claim.delete()


def _delete_quantity(desk):
    _detained(desk[2]).delete()


def _source_date(desk):
    ministry = desk[0]
    ministry.published_on = date(2022, 1, 1)
    ministry.save(update_fields=["published_on"])


def _source_date_by_update(desk):
    Source.objects.filter(pk=desk[2].pk).update(published_on=date(2021, 12, 1))


def _raw_sql(desk):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_quantity SET measure = 'other' WHERE id = %s", [_detained(desk[1]).pk]
        )


def _raw_sql_delete(desk):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM claims_quantity WHERE id = %s", [_detained(desk[2]).pk])


def _raw_sql_dismiss(desk):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_claim SET status = 'dismissed' WHERE id = %s",
            [_detained(desk[0]).claim_id],
        )


def _re_extract(desk):
    claim = _detained(desk[0]).claim
    Quantity.objects.filter(claim=claim).update(measure="crowd")
    marking.replace_quantities(claim)  # reads "detained" again


WRITES = [
    _save,
    _bulk_create,
    _dismiss_by_update,
    _suggest_by_update,
    _accept_suggestion_by_update,
    _delete_claim,
    _delete_quantity,
    _source_date,
    _source_date_by_update,
    _raw_sql,
    _raw_sql_delete,
    _raw_sql_dismiss,
    _re_extract,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.__name__.strip("_"))
def test_the_kept_summary_is_the_live_answer_after_every_write(investigation, desk, write):
    before = kept_equals_live(investigation)
    with_suggestions = answer(investigation, include_suggestions=True)
    moved_from = generation.current(investigation.pk)
    write(desk)
    assert generation.current(investigation.pk) > moved_from
    after = kept_equals_live(investigation)
    # Each write changes what one of the two pages shows: a stale summary would be caught.
    assert (after, answer(investigation, include_suggestions=True)) != (before, with_suggestions)


def test_a_review_move_keeps_the_summary(investigation, desk):
    # Open to verified changes no figure (the status is read live with each row), so the
    # summary stays valid: the page's commonest write does not throw it away.
    kept_equals_live(investigation)
    moved_from = generation.current(investigation.pk)
    claim = _detained(desk[0]).claim
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.VERIFIED)
    assert generation.current(investigation.pk) == moved_from
    [detained] = [row for row in kept_equals_live(investigation) if row[0] == "detained"]
    assert ("9,900", date(2022, 1, 12), ClaimStatus.VERIFIED) in detained[7]


def test_another_investigations_writes_leave_it_alone(investigation, desk, alice):
    other = make_investigation(slug="other")
    kept_equals_live(investigation)
    moved_from = generation.current(investigation.pk)
    make_many_figures(other, 3)
    assert generation.current(investigation.pk) == moved_from
    assert generation.current(other.pk) > 0


def test_the_triggers_are_in_place(db):
    tables = generation.triggered_tables()
    assert {"claims_quantity", "claims_claim", "claims_source", "claims_investigation"} <= set(
        tables
    )
    assert tables["claims_quantity"] >= 3  # insert, update, delete


def test_deleting_an_investigation_forgets_its_generation(investigation, desk):
    kept_equals_live(investigation)
    pk = investigation.pk
    investigation.delete()
    assert generation.current(pk) == 0
    assert not FigureSummary.objects.filter(investigation_id=pk).exists()


def test_a_write_during_the_computation_leaves_it_stale_not_wrong(investigation, desk, monkeypatch):
    live = plans.measure_plans
    written = []

    def computing(*args, **kwargs):
        found = live(*args, **kwargs)
        if not written:  # a writer commits after the generation was read, before it is kept
            written.append(True)
            _save(desk)
        return found

    monkeypatch.setattr(plans, "measure_plans", computing)
    answer(investigation)
    kept = FigureSummary.objects.get(investigation=investigation, with_suggestions=False)
    assert kept.generation < generation.current(investigation.pk)
    monkeypatch.setattr(plans, "measure_plans", live)
    assert answer(investigation) == answer(investigation, live=True)


def test_a_fresh_summary_costs_two_queries_at_any_size(
    investigation, bob, django_assert_num_queries
):
    for count in (3, 130):
        make_many_figures(investigation, count, title=f"{count} counts")
        answer(investigation)
        with django_assert_num_queries(2):
            answer(investigation)


def test_the_page_reads_the_same_queries_with_few_or_many_figures(
    client, alice, investigation, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0  # rendered on every load
    client.force_login(alice)
    url = reverse("claims:investigation-numbers", args=[investigation.slug])
    counts = []
    for count in (3, 130):
        make_many_figures(investigation, count, title=f"{count} counts")
        client.get(url)  # the first load after a write keeps the summary
        with django_assert_max_num_queries(12) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db(transaction=True)
def test_a_domain_write_asks_the_worker_once_and_the_worker_refreshes(
    investigation, bob, monkeypatch
):
    # Real commits: the ask runs on commit, and the tests' task backend runs it at once.
    make_figure_sources(investigation, actor=bob)
    source = make_source(
        investigation,
        text="Later 15,000 people were detained. Then 16,000 people were detained.",
        title="Later",
        published_on=date(2022, 2, 1),
    )
    kept_equals_live(investigation)  # both variants kept
    refreshed = []
    real = summaries.refresh
    monkeypatch.setattr(summaries, "refresh", lambda pk: refreshed.append(pk) or real(pk))
    with transaction.atomic():
        make_claim(source, "Later 15,000 people were detained.", bob)
        make_claim(source, "Then 16,000 people were detained.", bob)
    assert refreshed == [investigation.pk]
    current = generation.current(investigation.pk)
    kept = FigureSummary.objects.filter(investigation=investigation)
    assert sorted(kept.values_list("with_suggestions", "generation")) == [
        (False, current),
        (True, current),
    ]
    assert kept_equals_live(investigation)


def test_a_rolled_back_ask_is_asked_again(investigation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        try:
            with transaction.atomic():
                summaries.queue_refresh(investigation.pk)
                raise RuntimeError
        except RuntimeError:
            pass
        summaries.queue_refresh(investigation.pk)
        summaries.queue_refresh(investigation.pk)
    assert [c for c in callbacks if isinstance(c, summaries._Refresh)] == [
        summaries._Refresh(investigation.pk)
    ]


HEDGES = [
    ("{n:,}", "exact", None, None),
    ("about {n:,}", "approximate", None, None),
    ("nearly {n:,}", "approximate", None, None),
    ("at least {n:,}", "lower", "n", None),
    ("up to {n:,}", "upper", None, "n"),
    ("hundreds", "lower", 100, None),
]


@pytest.mark.parametrize("seed", range(12))
def test_summary_equals_compare_for_random_desks(investigation, bob, seed):
    """A table of random desks: values, hedges, dates (stated or the source's, or none),
    statuses and measures; the kept page equals compare() over every figure."""
    rng = random.Random(seed)
    text = "Figures. " * 5
    sources = [
        make_source(
            investigation,
            text=text,
            title=f"S{seed}-{n}",
            published_on=rng.choice([None, date(2022, 1, 1) + timedelta(days=rng.randrange(9))]),
        )
        for n in range(3)
    ]
    claims = []
    for source in sources:
        for number in range(2):
            start = number * 9
            claims.append(
                Claim.objects.create(
                    investigation=investigation,
                    source=source,
                    start=start,
                    end=start + 8,
                    quote="Figures.",
                    status=rng.choice(
                        [
                            ClaimStatus.OPEN,
                            ClaimStatus.VERIFIED,
                            ClaimStatus.SUGGESTED,
                            ClaimStatus.DISMISSED,
                        ]
                    ),
                )
            )
    rows = []
    for _ in range(rng.randrange(1, 14)):
        template, bound, low, high = rng.choice(HEDGES)
        n = rng.choice([90, 100, 110, 200, 1000, 1050])
        claim = rng.choice(claims)
        rows.append(
            Quantity(
                claim=claim,
                investigation_id=claim.investigation_id,
                start=0,
                end=1,
                text=template.format(n=n),
                value=n,
                low=n if low == "n" else low,
                high=n if high == "n" else high,
                bound=bound,
                measure=rng.choice(["detained", "killed", "other"]),
                stated_on=rng.choice([None, date(2022, 1, 1) + timedelta(days=rng.randrange(9))]),
            )
        )
    Quantity.objects.bulk_create(rows)
    for include_suggestions in (False, True):
        full = {
            c.kind: c
            for c in comparison.compare(investigation, include_suggestions=include_suggestions)
        }
        kept = overview.overview(
            investigation, include_suggestions=include_suggestions, per_measure=4
        )
        assert [item.kind for item in kept] == list(full)
        for item in kept:
            statements = full[item.kind].statements
            assert (item.verdict, item.count) == (full[item.kind].verdict, len(statements))
            assert item.why == comparison.explain(item.verdict, statements)
            assert [s.quantity_id for s in item.statements] == [
                s.quantity_id for s in statements[:4]
            ]
            assert item.standings == comparison.standings(statements)[:4]


def test_a_figure_deleted_between_the_two_reads_is_not_shown(investigation, desk, monkeypatch):
    answer(investigation)  # kept
    gone = _detained(desk[1])
    read_statements = overview._statements

    def after_a_delete(ids):
        if gone.pk in ids and Quantity.objects.filter(pk=gone.pk).exists():
            Quantity.objects.filter(pk=gone.pk).delete()  # a writer commits meanwhile
        return read_statements(ids)

    monkeypatch.setattr(overview, "_statements", after_a_delete)
    shown = answer(investigation)
    assert gone.pk not in {pk for row in shown for pk in row[6]}
    assert shown == answer(investigation, live=True)


@pytest.mark.django_db(transaction=True)
def test_a_change_that_moves_no_figure_queues_nothing(investigation, bob, monkeypatch):
    make_figure_sources(investigation, actor=bob)
    kept_equals_live(investigation)
    queued = []
    monkeypatch.setattr(summaries, "refresh_summaries", SimpleNamespace(enqueue=queued.append))
    # A new source (no claims yet) and an audited claim edit: kept summaries stay fresh.
    make_source(investigation, text="Nothing counted here.", title="Quiet")
    claim = Claim.objects.filter(investigation=investigation).first()
    summaries.queue_refresh(investigation.pk)  # as audit.record asks after a claim change
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.VERIFIED)
    summaries.queue_refresh(investigation.pk)
    assert queued == []
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.DISMISSED)
    summaries.queue_refresh(investigation.pk)
    assert queued == [investigation.pk]
