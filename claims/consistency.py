"""Reading many tables as they stood at one moment (reports, exports, audit checks)."""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def consistent_reads():
    """Answer every query inside from one state of the database.

    A report reads sources, claims, quantities, verdicts and citations in separate queries;
    an edit committed between two of them would pair a claim with rows from another moment
    (a verdict without the status it set, a quantity its quote no longer has). One read
    transaction sees one snapshot: on PostgreSQL at REPEATABLE READ (its default, READ
    COMMITTED, takes a new snapshot per query), on SQLite as any transaction does. Inside an
    enclosing transaction nothing is opened: what the queries see is that transaction's choice.
    """
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield
