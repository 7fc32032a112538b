"""The demo investigation shows figures that agree and figures that rose, out of the box."""

import io
import json

from django.core.management import call_command


def test_demo_figures_line_up(db, capsys):
    call_command("load_demo", stdout=io.StringIO())
    call_command("corroborate", "--investigation", "almaty-2022", "--format", "json")
    measures = {m["kind"]: m for m in json.loads(capsys.readouterr().out)["measures"]}
    assert measures["crowd"]["verdict"] == "agree"
    assert measures["detained"]["verdict"] == "rose"
    detained = [
        (s["text"], s["date"], s["date_stated"], s["place"])
        for s in measures["detained"]["statements"]
    ]
    # The ministry's statement of 15 January says its figure was given on 11 January; the
    # wire report's "by Sunday" is its own publication day.
    assert detained == [
        ("Nearly 6,000", "2022-01-09", True, "Kazakhstan"),
        ("9,900", "2022-01-11", True, ""),
        ("About 10,000", "2022-01-13", False, ""),
    ]
    assert measures["killed"]["verdict"] == "rose"
    assert measures["share"]["verdict"] == "single"
