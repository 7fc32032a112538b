"""corroboration: figures per measure as intervals, and whether sources agree, rose or differ."""

import json
import math
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from claims.corroboration import comparison, overview
from claims.corroboration.comparison import Statement, Verdict, interval, verdict
from claims.models import ClaimStatus, Quantity
from claims.sources import marking
from tests.factories import make_claim, make_source


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "bound", "expected"),
    [
        ("9,900", 9900, None, None, "exact", (9900, 9900)),
        ("at least 238", 238, 238, None, "lower", (238, math.inf)),
        ("more than 40", 40, 40, None, "lower", (40, math.inf)),
        ("around 20,000", 20000, 20000, None, "lower", (20000, math.inf)),  # "if not more"
        ("hundreds", 100, 100, None, "lower", (100, 1000)),
        ("Tens of thousands", 10000, 10000, None, "lower", (10000, 100000)),
        ("up to 300", 300, None, 300, "upper", (0, 300)),
        ("nearly 6,000", 6000, None, None, "approximate", (5400, 6000)),
        ("almost 50", 50, None, None, "approximate", (45, 50)),
        ("just over 200", 200, None, None, "approximate", (200, 220)),
        ("About 10,000", 10000, None, None, "approximate", (9000, 11000)),
        ("100", 100, 100, 300, "exact", (100, 300)),
    ],
)
def test_interval_reads_the_hedge(text, value, low, high, bound, expected):
    assert interval(text, value, low, high, bound) == pytest.approx(expected)


def statement(low, high, day=None, pk=0):
    return Statement(
        quantity_id=pk,
        claim_id=pk,
        source="s",
        source_id=pk,
        date=date(2022, 1, day) if day else None,
        attribution="",
        speaker="",
        quote="",
        text="",
        value=low,
        low=low,
        high=high,
        approximate=False,
        bound="exact",
        status="open",
        is_verified=False,
        is_suggested=False,
    )


def test_one_statement_is_single():
    assert verdict([statement(5, 5)]) == Verdict.SINGLE


def test_overlapping_figures_agree():
    assert verdict([statement(9000, 11000, 13), statement(9900, 9900, 12)]) == Verdict.AGREE


def test_an_open_ended_figure_agrees_with_anything_above_it():
    assert verdict([statement(238, None, 15), statement(240, 240, 9)]) == Verdict.AGREE


def test_figures_that_grow_with_the_date_rose():
    rising = [statement(9900, 9900, 12, 2), statement(5400, 6000, 9, 1)]
    rising.append(statement(9000, 11000, 13, 3))
    assert verdict(rising) == Verdict.ROSE


def test_figures_that_fall_later_differ():
    assert verdict([statement(9900, 9900, 9), statement(5400, 6000, 12)]) == Verdict.DIFFER


def test_undated_figures_that_disagree_differ():
    assert verdict([statement(10, 10), statement(500, 500, 9)]) == Verdict.DIFFER


MINISTRY = "The interior ministry said 9,900 people had been detained. At least 238 died."
WIRE = "Nearly 6,000 people had been detained by Sunday. Tens of thousands marched."


@pytest.fixture
def figures(investigation, bob):
    ministry = make_source(
        investigation, text=MINISTRY, title="Ministry", published_on=date(2022, 1, 12)
    )
    wire = make_source(investigation, text=WIRE, title="Wire", published_on=date(2022, 1, 9))
    make_claim(ministry, "The interior ministry said 9,900 people had been detained.", bob)
    make_claim(ministry, "At least 238 died.", bob, attribution="government")
    make_claim(wire, "Nearly 6,000 people had been detained by Sunday.", bob)
    return ministry, wire


def by_kind(comparisons):
    return {c.kind: c for c in comparisons}


def test_compare_groups_figures_by_measure(investigation, figures):
    comparisons = by_kind(comparison.compare(investigation))
    assert set(comparisons) == {"detained", "killed"}
    detained = comparisons["detained"]
    assert detained.verdict == Verdict.ROSE
    assert [s.text for s in detained.statements] == ["Nearly 6,000", "9,900"]
    assert [s.source for s in detained.statements] == ["Wire", "Ministry"]
    killed = comparisons["killed"]
    assert (killed.verdict, killed.statements[0].high) == (Verdict.SINGLE, None)
    assert killed.statements[0].attribution == "Official account"


def test_a_disagreeing_figure_is_listed_not_hidden(investigation, figures, bob):
    ministry, _ = figures
    claim = make_claim(ministry, "9,900", bob)
    marking.set_measure(
        claim.quantities.get(), "injured", actor=bob, membership=bob.memberships.get()
    )
    make_claim(ministry, "At least 238", bob)
    Quantity.objects.filter(text="At least 238", claim__quote="At least 238").update(
        measure="injured"
    )
    injured = by_kind(comparison.compare(investigation))["injured"]
    assert injured.verdict == Verdict.AGREE  # 9,900 is at least 238
    Quantity.objects.filter(text="At least 238", claim__quote="At least 238").update(
        bound="upper", low=None, high=238
    )
    injured = by_kind(comparison.compare(investigation))["injured"]
    assert injured.verdict == Verdict.DIFFER
    assert sorted(s.text for s in injured.statements) == ["9,900", "At least 238"]


def test_suggestions_only_when_asked(investigation, figures):
    _, wire = figures
    claim = make_claim(wire, "Tens of thousands marched.")
    claim.status = ClaimStatus.SUGGESTED
    claim.save()
    assert "crowd" not in by_kind(comparison.compare(investigation))
    comparisons = by_kind(comparison.compare(investigation, include_suggestions=True))
    assert comparisons["crowd"].statements[0].is_suggested


def test_dismissed_claims_and_other_numbers_are_left_out(investigation, figures):
    Quantity.objects.filter(text="9,900").update(measure="other")
    for claim in Quantity.objects.get(text="Nearly 6,000").claim.source.claims.all():
        claim.status = ClaimStatus.DISMISSED
        claim.save()
    assert "detained" not in by_kind(comparison.compare(investigation))


def test_command_prints_json(investigation, figures, capsys):
    call_command("corroborate", "--investigation", investigation.slug, "--format", "json")
    printed = json.loads(capsys.readouterr().out)
    assert printed["similar"] == []
    detained = next(m for m in printed["measures"] if m["kind"] == "detained")
    assert detained["verdict"] == "rose"
    first = detained["statements"][0]
    assert (first["source"], first["text"], first["date"]) == ("Wire", "Nearly 6,000", "2022-01-09")
    assert (first["low"], first["high"], first["approximate"]) == (5400, 6000, True)
    assert first["quote"] == "Nearly 6,000 people had been detained by Sunday."


def test_command_prints_a_table(investigation, figures, capsys):
    call_command("corroborate", "--investigation", investigation.slug, "--format", "table")
    out = capsys.readouterr().out
    assert "Detained (detained): rose" in out
    assert "“At least 238” read as [238, ∞]" in out


def test_command_refuses_an_unknown_slug(db):
    with pytest.raises(CommandError, match="No investigation with the slug 'nope'"):
        call_command("corroborate", "--investigation", "nope")


def cited(low, high, day, text, source):
    figure = statement(low, high, day)
    figure.text, figure.source = text, source
    return figure


def test_explain_says_why_in_words():
    wire = cited(5400, 6000, 9, "nearly 6,000", "Wire")
    ministry = cited(9900, 9900, 12, "9,900", "Ministry")
    witness = cited(9000, 11000, 13, "about 10,000", "Witness")
    assert comparison.explain(Verdict.AGREE, [ministry, witness]) == (
        "Every figure overlaps 9,900."
    )
    assert comparison.explain(Verdict.AGREE, [witness, cited(238, None, 1, "a", "b")]) == (
        "Every figure overlaps 9,000–11,000."
    )
    assert comparison.explain(Verdict.ROSE, [wire, ministry]) == (
        "Rose over time: from nearly 6,000 (Wire, 9 Jan 2022) to 9,900 (Ministry, 12 Jan 2022)."
    )
    falling = [cited(9900, 9900, 9, "9,900", "Ministry"), cited(5400, 6000, 12, "6,000", "Wire")]
    assert comparison.explain(Verdict.DIFFER, falling) == (
        "6,000 (Wire, 12 Jan 2022) is below 9,900 (Ministry, 9 Jan 2022)."
    )
    assert comparison.explain(Verdict.SINGLE, [wire]).startswith("One figure only")


def test_standings_name_the_figures_that_miss_another():
    wire, ministry = statement(5400, 6000, 9), statement(9900, 9900, 12)
    witness = statement(9000, 11000, 13)
    assert comparison.standings([wire]) == ["single"]
    assert comparison.standings([ministry, witness]) == ["agrees", "agrees"]
    assert comparison.standings([wire, ministry, witness]) == ["differs", "differs", "differs"]
    assert comparison.value_range(statement(238, None)) == "238 or more"
    assert comparison.value_range(statement(5400, 6000)) == "5,400–6,000"


def test_overview_agrees_with_compare_and_pages_each_measure(investigation, figures, bob):
    for day in range(7):
        quote = f"On day {day} police held {100 + day} people, the ministry said."
        source = make_source(investigation, text=quote, title=f"Day {day}")
        make_claim(source, quote, bob)
        Quantity.objects.filter(claim__source=source).update(measure="detained")
    full = by_kind(comparison.compare(investigation))
    pages = by_kind(overview.overview(investigation, per_measure=4))
    assert set(pages) == set(full)
    detained = pages["detained"]
    count = len(full["detained"].statements)
    assert count > 8
    pages_needed = -(-count // 4)
    assert (detained.verdict, detained.count, detained.pages) == (
        full["detained"].verdict,
        count,
        pages_needed,
    )
    assert detained.why == comparison.explain(detained.verdict, full["detained"].statements)
    assert len(detained.statements) == 4
    assert detained.standings == comparison.standings(full["detained"].statements)[:4]
    last = by_kind(overview.overview(investigation, per_measure=4, measure="detained", page=99))
    assert set(last) == {"detained"}
    assert (last["detained"].page, len(last["detained"].statements)) == (
        pages_needed,
        count - 4 * (pages_needed - 1),
    )
    shown = [
        s.quantity_id
        for page in range(1, pages_needed + 1)
        for s in overview.overview(investigation, per_measure=4, measure="detained", page=page)[
            0
        ].statements
    ]
    # Every figure once over the pages: none hidden, none twice; dated ones first.
    assert sorted(shown) == sorted(s.quantity_id for s in full["detained"].statements)
    assert len(set(shown)) == len(shown)
    assert detained.statements[0].date == date(2022, 1, 9)


def test_overview_reads_the_same_number_of_queries_at_any_size(
    investigation, figures, django_assert_num_queries
):
    overview.overview(investigation, per_measure=1)  # computes and keeps page 1
    with django_assert_num_queries(2):  # the kept summary with the generation, the statements
        overview.overview(investigation, per_measure=1)
    with django_assert_num_queries(2):  # every figure's few columns, the statements
        overview.overview(investigation, per_measure=1, live=True)


def test_standings_are_judged_among_all_figures():
    shown = [statement(10, 20)]
    everyone = [*shown, statement(15, 15), statement(500, 500)]
    assert comparison.standings(shown, everyone) == ["differs"]
    assert comparison.standings(shown, everyone[:2]) == ["agrees"]


def test_the_claim_page_lines_up_at_most_a_fixed_number_of_the_newest_figures(
    investigation, client, bob
):
    from django.urls import reverse

    from tests.factories import make_many_figures

    first, *_rest = few = make_many_figures(investigation, 3, title="Few")
    _own, [row] = comparison.claim_figures(first)
    assert (len(row.others), row.more) == (2, False)

    many = make_many_figures(investigation, comparison.FIGURES_SHOWN + 5)
    _own, [row] = comparison.claim_figures(first)
    assert len(row.others) == comparison.FIGURES_SHOWN
    assert row.more
    shown = {statement.claim_id for statement, _agrees in row.others}
    assert shown == {claim.pk for claim in many[-comparison.FIGURES_SHOWN :]}  # the newest
    assert not shown & {claim.pk for claim in few}
    client.force_login(bob)
    page = client.get(reverse("claims:claim-detail", args=[first.pk])).content.decode()
    assert "older figures, on the numbers page" in page
