"""A slow client reading a large export must not hold up anybody's writes.

The download is paused after its first chunk, as a slow client pauses it, and another
connection (another thread) writes meanwhile.
"""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from claims.models import Comment
from tests.factories import make_bulk_claims

pytestmark = pytest.mark.django_db(transaction=True)


def _in_another_connection(work):
    """Run `work()` in a thread, with its own database connection; return what it returned
    or the exception it raised."""
    outcome = {}

    def run():
        try:
            outcome["value"] = work()
        except Exception as error:  # reported to the test, which fails on it
            outcome["value"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return outcome["value"]


@pytest.fixture
def large_investigation(investigation, bob, rita):
    # Six pages of claims: the first chunk of output is sent long before the last is read.
    make_bulk_claims(investigation, 3000, evidence_per_claim=1, proposer=bob, signer=rita)
    return investigation


@pytest.mark.parametrize("format_name", ["csv", "json", "md"])
def test_a_comment_can_be_written_while_a_large_export_streams(
    client, victor, bob, large_investigation, format_name
):
    claim = large_investigation.claims.first()
    client.force_login(victor)
    response = client.get(
        reverse("claims:report-download", args=[large_investigation.slug, format_name])
    )
    chunks = iter(response.streaming_content)
    first = next(chunks)  # the client reads this much, then stalls
    assert first

    written = _in_another_connection(
        lambda: Comment.objects.create(claim=claim, author=bob, body="Written meanwhile").pk
    )
    assert isinstance(written, int), written

    rest = b"".join(chunks)
    response.close()
    assert b"block 2999" in rest  # the export went on to its last claim
    assert Comment.objects.filter(pk=written).exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write-ahead log")
def test_a_paused_export_holds_no_read_snapshot_on_sqlite(client, victor, bob, large_investigation):
    """Not even a read transaction: one would keep the write-ahead log from being copied
    back into the database for as long as the client dawdles, and the log would grow."""
    claim = large_investigation.claims.first()
    client.force_login(victor)
    response = client.get(reverse("claims:report-download", args=[large_investigation.slug, "csv"]))
    chunks = iter(response.streaming_content)
    next(chunks)

    def write_and_checkpoint():
        Comment.objects.create(claim=claim, author=bob, body="Written meanwhile")
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
            return cursor.fetchone()

    busy, frames, copied = _in_another_connection(write_and_checkpoint)
    assert (busy, copied) == (0, frames)
    assert frames > 0
    b"".join(chunks)
    response.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
def test_sqlite_runs_with_a_write_ahead_log():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 10_000
