"""Numbers read from the environment: a malformed value stops start-up with a readable line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from factcheck.settings import env_number

BASE_DIR = Path(__file__).resolve().parent.parent


def start_up(code="import factcheck.settings", **env):
    """`code` run in a fresh Python with these environment variables added."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_unset_or_empty_gives_the_default(monkeypatch):
    monkeypatch.delenv("FC_NUMBER", raising=False)
    assert env_number("FC_NUMBER", 60) == 60
    monkeypatch.setenv("FC_NUMBER", "")
    assert env_number("FC_NUMBER", 60) == 60


def test_a_valid_value_is_read(monkeypatch):
    monkeypatch.setenv("FC_NUMBER", " 0 ")
    assert env_number("FC_NUMBER", 60) == 0
    monkeypatch.setenv("FC_NUMBER", "2.5")
    assert env_number("FC_NUMBER", 5.0, kind=float) == 2.5


@pytest.mark.parametrize(
    ("value", "kind", "minimum", "message"),
    [
        ("sixty", int, 0, "FC_NUMBER must be a whole number of at least 0, not 'sixty'"),
        ("1.5", int, 0, "FC_NUMBER must be a whole number of at least 0, not '1.5'"),
        ("0", int, 1, "FC_NUMBER must be a whole number of at least 1, not '0'"),
        ("-3", int, 0, "FC_NUMBER must be a whole number of at least 0, not '-3'"),
        ("5s", float, 0, "FC_NUMBER must be a number of at least 0, not '5s'"),
        ("nan", float, 0, "FC_NUMBER must be a number of at least 0, not 'nan'"),
    ],
)
def test_a_bad_value_names_the_variable_and_the_value(monkeypatch, value, kind, minimum, message):
    monkeypatch.setenv("FC_NUMBER", value)
    with pytest.raises(ImproperlyConfigured) as raised:
        env_number("FC_NUMBER", 1, minimum=minimum, kind=kind)
    assert str(raised.value) == message


def test_a_bad_integer_setting_stops_start_up_with_one_line():
    result = start_up(PAGE_CACHE_SECONDS="a minute")
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == (
        "django.core.exceptions.ImproperlyConfigured: "
        "PAGE_CACHE_SECONDS must be a whole number of at least 0, not 'a minute'"
    )


@pytest.mark.parametrize("value", ["", "everyone", "staff"])
def test_investigation_creation_reads_everyone_or_staff(value):
    result = start_up(
        "import factcheck.settings as s; print(s.INVESTIGATION_CREATION)",
        INVESTIGATION_CREATION=value,
    )
    assert result.stdout.strip() == (value or "everyone")


def test_a_bad_investigation_creation_stops_start_up_with_one_line():
    result = start_up(INVESTIGATION_CREATION="admins")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: "
        "INVESTIGATION_CREATION must be 'everyone' or 'staff', not 'admins'"
    )
