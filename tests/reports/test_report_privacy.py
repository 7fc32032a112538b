"""With redaction and pseudonymization on, no reviewer and no witness name leaves in any format."""

import io
import re
import zipfile

import pytest

from claims.models import Membership
from claims.reporting import reports
from claims.reporting.formats import FORMATS, export_report
from claims.review import mentions, workflow
from tests.reports.conftest import WITNESS_SPELLINGS, pdf_text

# With the audit appendix too: its actors, the names in its values and its texts are hidden.
PRIVATE = reports.ReportOptions(redact_reviewers=True, pseudonymize=True, audit_appendix=True)


def _texts(format_name, data, tmp_path):
    """Every text a person could read in this output: (where, text)."""
    if format_name == "pdf":
        return [("report.pdf", pdf_text(data, tmp_path))]
    if format_name != "bundle":
        return [(FORMATS[format_name].filename, data.decode("utf-8"))]
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        return [
            (name, pdf_text(body, tmp_path) if name.endswith(".pdf") else body.decode("utf-8"))
            for name, body in ((name, bundle.read(name)) for name in bundle.namelist())
        ]


def _forbidden(reviewers):
    words = list(WITNESS_SPELLINGS)
    for user in reviewers:
        words += [user.get_username(), user.first_name, user.last_name, user.get_full_name()]
    return words


@pytest.fixture
def history_with_names(report_world, named_reviewers, alice):
    """History whose values name people: an assignment, a comment mentioning a witness."""
    bob, rita = named_reviewers
    claim = report_world["claims"][3]
    membership = Membership.objects.get(user=alice)
    workflow.assign(claim, actor=alice, membership=membership, assignee=rita)
    mentions.add_comment(claim, author=bob, body="@rita: is Isabarow the right spelling?")


@pytest.mark.parametrize("format_name", list(FORMATS))
def test_no_private_name_in_any_format(
    report_world, named_reviewers, history_with_names, format_name, tmp_path
):
    data = b"".join(export_report(report_world["investigation"], format_name, PRIVATE))
    texts = _texts(format_name, data, tmp_path)
    assert texts
    for word in _forbidden(named_reviewers):
        pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
        for where, text in texts:
            assert not pattern.search(text), f"{word!r} appears in {where}"
    joined = " ".join(text for _, text in texts)
    assert "Witness A" in joined


def test_names_appear_without_the_options(report_world, named_reviewers, tmp_path):
    # The same search finds the names when nothing is hidden: the test above is not vacuous.
    data = b"".join(export_report(report_world["investigation"], "pdf"))
    text = pdf_text(data, tmp_path)
    assert "Isabarow" in text
    assert "Quenneville" in text


def test_pseudonymized_bundle_withholds_archived_pages(report_world):
    data = b"".join(export_report(report_world["investigation"], "bundle", PRIVATE))
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        assert not [name for name in bundle.namelist() if name.startswith("snapshots/")]
        assert '"withheld_snapshots": [\n    "' in bundle.read("manifest.json").decode()
