"""A report describes one moment, even when an edit is committed while it is being read."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from claims.models import Quantity
from claims.reporting.formats import export_report
from tests.factories import make_investigation, make_many_claims

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="READ COMMITTED, which gives each query its own snapshot, is PostgreSQL's",
    ),
]


def commit_from_another_connection(change):
    """Run `change` in a thread of its own: its own connection, committed when it returns."""

    def run():
        try:
            change()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


@pytest.mark.parametrize("format_name", ["json", "csv", "html"])
def test_an_edit_committed_mid_export_is_not_in_that_export(format_name):
    investigation = make_investigation()
    first = make_many_claims(investigation, 3)[0]
    assert first.quantities.exists(), "each claim holds a number"
    before = b"".join(export_report(investigation, format_name, now=NOW))

    def rename_units():
        Quantity.objects.filter(claim=first).update(unit="ships")

    committed = []

    def edit_before_the_quantities_are_read(execute, sql, params, many, context):
        # The report has read its sources and claims by now; the edit lands in between.
        if not committed and 'FROM "claims_quantity"' in sql:
            commit_from_another_connection(rename_units)
            committed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(edit_before_the_quantities_are_read):
        during = b"".join(export_report(investigation, format_name, now=NOW))

    assert committed, "the edit ran while the report was being read"
    assert during == before
    # The edit did commit: the next report shows it.
    after = b"".join(export_report(investigation, format_name, now=NOW))
    assert b"ships" in after
    assert b"ships" not in before
