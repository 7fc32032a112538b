"""What the log says about refused requests: one line each, not a traceback that reads as a
crash."""

import logging
import os
import subprocess
import sys

import pytest
from django.urls import reverse


def test_a_403_is_logged_as_one_line(client, victor, investigation, caplog):
    client.force_login(victor)  # a viewer may not add sources
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("claims:source-create", args=[investigation.slug]))
    assert response.status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    line = logging.Formatter().format(record)
    assert line == (
        f"Forbidden (Permission denied): /i/{investigation.slug}/sources/new/ "
        "(Your role does not allow this (add_source).)"
    )
    assert "Traceback" not in caplog.text


def test_a_500_keeps_its_traceback(caplog):
    from factcheck.logfilters import OneLineForbidden

    try:
        raise RuntimeError("broken")
    except RuntimeError as error:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: /x", (), None
        )
        record.exc_info = (type(error), error, error.__traceback__)
        record.status_code = 500
    assert OneLineForbidden().filter(record)
    assert record.exc_info is not None


def _log_lines(debug):
    """What the settings' logging prints for one django.request warning, one per line."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "factcheck.settings", "DEBUG": debug}
    env.setdefault("SECRET_KEY", "x" * 50)
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.request').warning('Forbidden (Permission denied): /x')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return result.stderr.splitlines()


@pytest.mark.parametrize("debug", ["1", ""])
def test_each_warning_is_printed_once(debug):
    # Django's own console handler on the "django" logger used to print it a second time in
    # development, beside the root handler every logger reaches.
    assert _log_lines(debug) == ["Forbidden (Permission denied): /x"]
