"""capture_url and recheck_evidence: the same guarded pipeline from the command line."""

import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command

from claims.evidence import capture
from claims.models import CollectionLogEntry
from tests.pages import ARTICLE_HTML, Page


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_capture_url_prints_the_snapshot_metadata_as_json(pages):
    pages.routes["/old"] = Page(status=301, headers={"Location": "/article"})
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())
    record = json.loads(run("capture_url", pages.url("/old")))
    assert record["final_url"] == pages.url("/article")
    assert record["http_status"] == 200
    assert record["sha256"] == hashlib.sha256(ARTICLE_HTML.encode()).hexdigest()
    assert record["metadata"]["title"] == "Water levels on the Vessa"
    assert record["metadata"]["publisher"] == "River Courier"
    assert record["redirects"][0]["status"] == 301
    assert "text" not in record


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://0x7f000001/", "loopback"),
        ("file:///etc/passwd", "only http and https"),
        ("https://nowhere.invalid/", "could not be found"),
    ],
)
def test_capture_url_fails_with_one_readable_line(url, message):
    with pytest.raises(CommandError, match=message) as failure:
        run("capture_url", url)
    assert "\n" not in str(failure.value)


def test_capture_url_exits_non_zero_from_the_shell(pages):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "capture_url", "http://10.0.0.1/"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("CommandError: Refused: 10.0.0.1")


def test_capture_url_refuses_a_redirect_to_a_malformed_link_in_one_line(pages):
    pages.routes["/jump"] = Page(status=302, headers={"Location": "http:\\\\evil.example"})
    with pytest.raises(CommandError, match="redirected to a link that is not a valid URL"):
        run("capture_url", pages.url("/jump"))


def test_capture_url_reports_an_http_error(pages):
    with pytest.raises(CommandError, match="HTTP 404"):
        run("capture_url", pages.url("/nothing"))


@pytest.mark.django_db
def test_recheck_evidence_logs_each_outcome(claim, bob, pages, investigation):
    for path in ("/same", "/edited", "/removed"):
        pages.routes[path] = Page(ARTICLE_HTML.encode())
        capture.cite_and_capture(claim, actor=bob, url=pages.url(path), stance="supports")
    for evidence in claim.citations.all():
        capture.run_capture(evidence.evidence.snapshots.get())
    pages.routes["/edited"] = Page(ARTICLE_HTML.replace("3.2", "4.1").encode())
    pages.routes["/removed"] = Page(b"", status=404)

    output = run("recheck_evidence", "--investigation", investigation.slug)

    rechecks = CollectionLogEntry.objects.filter(action="recheck")
    outcomes = {entry.url.rsplit("/", 1)[-1]: entry.outcome for entry in rechecks}
    assert outcomes == {"same": "unchanged", "edited": "changed", "removed": "gone"}
    assert "Re-checked 3 item(s): 1 changed, 1 gone, 1 unchanged." in output
    assert all(entry.operator_name.endswith("(manage.py recheck_evidence)") for entry in rechecks)


@pytest.mark.django_db
def test_a_recheck_meeting_a_malformed_redirect_logs_it_unreachable(claim, bob, pages):
    pages.routes["/moved"] = Page(ARTICLE_HTML.encode())
    citation = capture.cite_and_capture(
        claim, actor=bob, url=pages.url("/moved"), stance="supports"
    )
    capture.run_capture(citation.evidence.snapshots.get())
    pages.routes["/moved"] = Page(status=301, headers={"Location": "http://xn--/"})
    entry = capture.recheck(citation.evidence, operator=bob)
    assert entry.outcome == "unreachable"
    assert "not a valid URL" in entry.detail


@pytest.mark.django_db
def test_recheck_evidence_names_an_unknown_investigation():
    with pytest.raises(CommandError, match="No investigation"):
        run("recheck_evidence", "--investigation", "nope")
