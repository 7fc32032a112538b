"""The Jinja2 templates' `url()` and `date` give exactly what Django's reverse() and `date`
filter give (factcheck/reversing.py, factcheck/dates.py), over every URL name and the
formats, zones, languages and values the pages meet."""

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import defaultfilters
from django.urls import NoReverseMatch, get_resolver, reverse, set_script_prefix
from django.utils import timezone, translation

from factcheck import dates, reversing
from factcheck.dates import format_date
from factcheck.reversing import reverse_ids


def _names_and_arities():
    """Every named URL of the project with the number of arguments it takes."""
    resolver = get_resolver()
    found = set()
    for name, possibilities in resolver.reverse_dict.lists():
        if isinstance(name, str):
            for possibility in possibilities:
                found.add((name, len(possibility[0][0][1])))
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        for name, possibilities in sub.reverse_dict.lists():
            if isinstance(name, str):
                for possibility in possibilities:
                    found.add((f"{namespace}:{name}", len(possibility[0][0][1])))
    return sorted(found)


NAMES = _names_and_arities()


def test_the_project_has_urls_with_ids_to_check():
    assert ("claims:claim-detail", 1) in NAMES
    assert len([name for name, arity in NAMES if arity]) > 40


@pytest.mark.parametrize("ids", [(0,), (1,), (42,), (7_310_000_007_919,), (10**15,)])
def test_every_url_name_reverses_as_django_reverses_it(ids):
    for name, arity in NAMES:
        args = (ids * arity)[:arity]
        try:
            expected = reverse(name, args=args)
        except NoReverseMatch:
            with pytest.raises(NoReverseMatch):
                reverse_ids(name, *args)
        else:
            assert reverse_ids(name, *args) == expected, name


def test_ids_of_several_arguments_land_in_their_own_places():
    several = [(name, arity) for name, arity in NAMES if arity >= 2]
    for name, arity in several:
        args = tuple(range(11, 11 + arity))
        try:
            expected = reverse(name, args=args)
        except NoReverseMatch:
            continue
        assert reverse_ids(name, *args) == expected


@pytest.mark.parametrize(
    "args",
    [("not-a-number",), (-1,), (True,), ("12",), (1.0,), ()],
)
def test_other_arguments_get_reverses_own_answer_or_error(args):
    try:
        expected = reverse("claims:claim-detail", args=args)
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            reverse_ids("claims:claim-detail", *args)
    else:
        assert reverse_ids("claims:claim-detail", *args) == expected


def test_a_name_that_does_not_exist_is_djangos_error():
    with pytest.raises(NoReverseMatch):
        reverse_ids("claims:no-such-page", 1)


def test_the_script_prefix_of_the_request_is_kept():
    reversing._pieces.cache_clear()
    try:
        set_script_prefix("/workbench/")
        assert reverse_ids("claims:claim-detail", 5) == "/workbench/claims/5/"
        assert reverse_ids("claims:claim-detail", 5) == reverse("claims:claim-detail", args=[5])
    finally:
        set_script_prefix("/")
    assert reverse_ids("claims:claim-detail", 5) == "/claims/5/"


FORMATS = ["j M Y", "j M Y, H:i", "j M, H:i", "Y-m-d", "c", "d.m.Y H:i", None]
# Formats this module leaves to Django: other letters, escapes, the setting's name.
OTHER_FORMATS = ["D j F Y", r"j \o\f F", "DATE_FORMAT", "N j, Y, P", "U", "e O T"]
ZONES = ["UTC", "Asia/Almaty", "Europe/Moscow", "America/New_York", "Australia/Lord_Howe"]


def _moments(count=150):
    rng = random.Random(20261205)
    start = datetime(1901, 1, 1, tzinfo=UTC)
    moments = [
        # Around summer-time changes: New York's and Lord Howe's half hour.
        datetime(2022, 3, 13, 6, 59, tzinfo=UTC),
        datetime(2022, 11, 6, 5, 30, tzinfo=UTC),
        datetime(2022, 4, 2, 14, 45, tzinfo=UTC),
        datetime(2022, 1, 5, 22, 30, 15, 123456, tzinfo=UTC),
        datetime(9999, 12, 31, 12, 0, tzinfo=UTC),
        datetime(5, 1, 2, 3, 4, tzinfo=UTC),
    ]
    for _ in range(count):
        moments.append(start + timedelta(seconds=rng.randrange(0, 200 * 365 * 86400)))
    return moments


@pytest.mark.parametrize("language", ["en-gb", "ru", "kk"])
@pytest.mark.parametrize("zone", ZONES)
def test_dates_are_written_as_djangos_filter_writes_them(language, zone):
    with translation.override(language), timezone.override(zone):
        for moment in _moments():
            local = timezone.template_localtime(moment)
            naive = moment.replace(tzinfo=None)
            for format_string in FORMATS + OTHER_FORMATS:
                assert format_date(moment, format_string) == defaultfilters.date(
                    local, format_string
                ), (moment, format_string)
                assert format_date(naive, format_string) == defaultfilters.date(
                    naive, format_string
                ), (naive, format_string)
            day = moment.date()
            for format_string in ["j M Y", "Y-m-d", "c", "d.m.Y", None, "D j F Y"]:
                assert format_date(day, format_string) == defaultfilters.date(day, format_string)


def test_the_month_follows_the_active_language():
    moment = datetime(2022, 1, 5, 12, 0, tzinfo=UTC)
    with translation.override("ru"):
        russian = format_date(moment, "j M Y")
        assert russian == defaultfilters.date(moment, "j M Y")
    with translation.override("en-gb"):
        english = format_date(moment, "j M Y")
    assert english == "5 Jan 2022"
    assert russian != english


def test_a_time_of_day_format_for_a_plain_date_is_djangos_error():
    with pytest.raises(TypeError):
        defaultfilters.date(date(2022, 1, 5), "j M Y, H:i")
    with pytest.raises(TypeError):
        format_date(date(2022, 1, 5), "j M Y, H:i")


@pytest.mark.parametrize("value", [None, "", "2022-01-05", 17, time(12, 30), [1]])
def test_values_that_are_no_dates_get_what_djangos_filter_gives(value):
    assert format_date(value, "j M Y") == defaultfilters.date(value, "j M Y")


def test_only_the_compiled_formats_skip_djangos_filter(monkeypatch):
    calls = []
    original = defaultfilters.date
    monkeypatch.setattr(
        dates.defaultfilters, "date", lambda *args: calls.append(args) or original(*args)
    )
    moment = datetime(2022, 1, 5, 22, 30, tzinfo=ZoneInfo("Asia/Almaty"))
    for format_string in FORMATS[:-1]:
        format_date(moment, format_string)
    assert calls == []
    for format_string in [*OTHER_FORMATS, None]:
        format_date(moment, format_string)
    assert len(calls) == len(OTHER_FORMATS) + 1
