"""A counter that every write to the workbench's tables moves, kept by the database itself.

Cached pages (page_cache.py) and counts (counting.py) are keyed on it. They used to be keyed
on the newest audit event, which is right only while every write records one: a worker's
update, a shell, a bulk import or SQL typed into the database would leave them stale with
nothing to say so. Here the database bumps the counter from triggers on every table a page
can show, whoever writes and however: save(), QuerySet.update(), bulk_create(), cascades,
raw SQL. There is no write path to forget.

- SQLite: a one-row table, bumped by a trigger per table and event (AFTER INSERT / UPDATE /
  DELETE, for each row; SQLite has no statement triggers). SQLite runs one writer at a time,
  so the extra row update costs no concurrency, and the bump commits (or rolls back) with
  the write it counts.
- PostgreSQL: a sequence, bumped by one statement trigger per table (TRUNCATE included).
  nextval() takes no row lock, so writers never queue on the counter, but it moves before
  the write commits. So the trigger first takes a shared advisory lock (WRITERS_LOCK), held
  by the writing transaction until it ends, and for_keeping() says whether a value may be
  kept. No other transaction on the server moves the version: the sequence and advisory
  locks belong to this database, and unrelated commits do not touch either.

Why a kept value cannot go stale on PostgreSQL, in order: (1) the counter is read, n;
(2) WRITERS_LOCK is tried exclusively, never waiting, and let go at once (both in one
statement, the counter first; not again for an n once found settled, as it stays so);
(3) the rows are read, each statement with a new snapshot (READ COMMITTED); (4) the value is
kept under n, only if (2) got the lock. A write counted in n took the lock before its bump,
so at (2) it has either ended, and (3) sees its commit (locks go only after the commit
shows), or it still holds the lock and nothing is kept. A write that bumps after (1) moves
the counter past n, and no later reader asks for n. Trying before (1) would miss a writer
bumping in between; trying after (3) one committing during it. A transaction that wrote
sees its own uncommitted rows and never conflicts with its own lock, so its version also
names it (transaction id, Django's open savepoints): what it keeps, only it finds, and
nobody after a rollback. The sequence must not cache values (CACHE 1, its default), or n
would not grow in the order of the bumps.

The triggers are (re)made after every `migrate` (post_migrate, see apps.py) for every table
of the apps in TRACKED_APPS, many-to-many tables included, so a model added later is
covered without anyone remembering to. Left out, by name: UNTRACKED. A database migrated
without them fails loudly on the first cached page (no counter to read).
"""

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections

COUNTER = "claims_data_version"
TRIGGER = "claims_data_version"
TRACKED_APPS = ("claims", "auth")
# Shown on no page: written on every log-in attempt, and the email outbox (written with the
# event it tells of, which moves the counter anyway, and again when a worker sends it). The
# numbers page's kept summaries and their generation counter change only with (or, when a
# page recomputes a summary, without changing) the figures the counter already tracks.
UNTRACKED = frozenset(
    {
        "claims.LoginThrottle",
        "claims.Notification",
        "claims.FigureSummary",
        "claims.FiguresGeneration",
    }
)
_EVENTS = ("INSERT", "UPDATE", "DELETE")
# PostgreSQL advisory lock key ("claims" in ASCII): held shared by each transaction that wrote
# to a tracked table, tried exclusively by for_keeping(). Advisory keys are per database.
WRITERS_LOCK = 0x636C61696D73


def tracked_tables():
    """The tables whose writes move the counter, sorted."""
    tables = set()
    for app_label in TRACKED_APPS:
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy and model._meta.label not in UNTRACKED:
                tables.add(model._meta.db_table)
    return sorted(tables)


def install(using=DEFAULT_DB_ALIAS, **kwargs):
    """Create the counter and (re)create its triggers on every tracked table that exists.

    A post_migrate receiver; safe to run any number of times.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        tables = [table for table in tracked_tables() if table in existing]
        statements = (
            _postgresql(connection, tables)
            if connection.vendor == "postgresql"
            else _sqlite(connection, tables)
        )
        for statement in statements:
            cursor.execute(statement)


def _sqlite(connection, tables):
    quote = connection.ops.quote_name
    yield (
        f"CREATE TABLE IF NOT EXISTS {COUNTER} "
        "(id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)"
    )
    yield "INSERT OR IGNORE INTO claims_data_version (id, n) VALUES (1, 0)"
    for table in tables:
        for event in _EVENTS:
            name = quote(f"{TRIGGER}_{table}_{event.lower()}")
            yield f"DROP TRIGGER IF EXISTS {name}"
            # Identifiers from the models, quoted; nothing here comes from a user.
            yield (
                f"CREATE TRIGGER {name} AFTER {event} ON {quote(table)} "  # noqa: S608
                "BEGIN UPDATE claims_data_version SET n = n + 1; END"
            )


def _postgresql(connection, tables):
    quote = connection.ops.quote_name
    yield f"CREATE SEQUENCE IF NOT EXISTS {COUNTER}"
    yield (
        f"CREATE OR REPLACE FUNCTION {TRIGGER}_bump() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN "
        # The lock first: whoever sees the bump can tell the writer has not ended yet.
        f"PERFORM pg_advisory_xact_lock_shared({WRITERS_LOCK}); "
        f"PERFORM nextval('{COUNTER}'); "
        "RETURN NULL; END $$"
    )
    for table in tables:
        yield (
            f"CREATE OR REPLACE TRIGGER {TRIGGER} "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quote(table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}_bump()"
        )


def current(using=DEFAULT_DB_ALIAS):
    """The counter as this connection sees it now, as text: one query.

    On PostgreSQL, within a transaction that has written, the transaction's id and Django's
    open savepoints too (see the module's docstring).
    """
    return _read(using, check=False)[0]


def for_keeping(using=DEFAULT_DB_ALIAS):
    """(current(), whether what is read from now on may be kept under it): one query.

    The second is False on PostgreSQL while another transaction that moved the counter up to
    this version has not ended: then what is read now may miss that write once it commits.
    """
    version, keep, _ = _read(using, check=True)
    return version, keep


# Per database: the highest counter value seen with no writer left in flight. Once no writer
# that bumped up to n is in flight, none ever is again, so n needs no second look.
_settled: dict[tuple[str, str], int] = {}


def for_keeping_with_session(session_key, now, using=DEFAULT_DB_ALIAS):
    """((version, keep) as for_keeping(), the session's encoded data or None): one query.

    The session store (claims/listing/sessions.py) reads both at once, before the user or
    anything a page shows: a kept page's version is then read without a query of its own. The
    session row is never shown on a page, so reading it beside the counter breaks no order.
    """
    joined = (
        "LEFT JOIN django_session ON session_key = %s AND expire_date > %s",
        [session_key, now],
    )
    version, keep, session_data = _read(using, check=True, joined=joined)
    return (version, keep), session_data


def _read(using, check, joined=None):
    """(version, whether it may be kept, the session_data column `joined` brings or None).

    `joined`: a LEFT JOIN clause onto the session table and its parameters."""
    connection = connections[using]
    join, join_params = joined or ("", [])
    session_data = ", session_data" if joined else ""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            # The join's text is one of the fixed clauses above.
            cursor.execute(
                f"SELECT n{session_data} FROM claims_data_version {join}",  # noqa: S608
                join_params,
            )
            row = cursor.fetchone()
            return str(row[0]), True, (row[1] if joined else None)
    if not check:
        try_lock = "NULL"
    elif connection.in_atomic_block:
        # A transaction-level lock would last until this transaction ends and keep writers
        # waiting; this session-level one is let go within the statement.
        try_lock = (
            f"CASE WHEN pg_try_advisory_lock({WRITERS_LOCK}) "
            f"THEN pg_advisory_unlock({WRITERS_LOCK}) ELSE false END"
        )
    else:
        # In autocommit the statement is its own transaction, which lets go of the lock at its
        # end, even a failed one.
        try_lock = f"pg_try_advisory_xact_lock({WRITERS_LOCK})"
    place = (using, connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        # A MATERIALIZED CTE is read, and its row stored, before the outer SELECT computes
        # anything: the counter is read before the lock is tried, as the order above needs.
        # The lock is tried only for a value not yet known settled, so most loads take none.
        # is_called tells "never bumped" (0) from "bumped once" (last_value is 1 for both).
        # The transaction id is NULL until the transaction writes (a savepoint's write too).
        # try_lock is one of the fixed texts above.
        sql = (
            "WITH counter AS MATERIALIZED ("  # noqa: S608
            " SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n,"
            " pg_current_xact_id_if_assigned()::text AS writer FROM claims_data_version) "
            f"SELECT n, writer, CASE WHEN n <= %s THEN true ELSE {try_lock} END{session_data} "
            f"FROM counter {join}"
        )
        cursor.execute(sql, [_settled.get(place, -1), *join_params])
        n, writer, settled, *extra = cursor.fetchone()
    version = str(n)
    if writer is None:
        # Only a transaction that holds no lock of its own can vouch for the others.
        if settled and n > _settled.get(place, -1):
            _settled[place] = n
    else:
        # Savepoint ids are never reused within a transaction: what was kept inside one that
        # rolled back is found by nobody afterwards.
        savepoints = ",".join(map(str, connection.savepoint_ids))
        version += f":{writer}:{savepoints}"
    return version, bool(settled), (extra[0] if joined else None)


def triggered_tables(using=DEFAULT_DB_ALIAS):
    """The tables that carry the counter's triggers now (all three events on SQLite)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name = %s",
                [TRIGGER],
            )
            return {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT tbl_name, COUNT(*) FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE %s GROUP BY tbl_name",
            [f"{TRIGGER}%"],
        )
        return {table for table, count in cursor.fetchall() if count == len(_EVENTS)}
