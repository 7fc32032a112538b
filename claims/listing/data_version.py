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
  nextval() takes no row lock, so writers never queue on the counter; but it moves before
  the write commits, so the version also carries the transaction snapshot, which moves when
  any write transaction ends (a page rendered before a commit is never reused after it).

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
# Written on every log-in attempt and shown on no page.
UNTRACKED = frozenset({"claims.LoginThrottle"})
_EVENTS = ("INSERT", "UPDATE", "DELETE")


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
        f"$$ BEGIN PERFORM nextval('{COUNTER}'); RETURN NULL; END $$"
    )
    for table in tables:
        yield (
            f"CREATE OR REPLACE TRIGGER {TRIGGER} "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quote(table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}_bump()"
        )


def current(using=DEFAULT_DB_ALIAS):
    """The counter as this connection sees it now, as text: one query."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        # is_called tells "never bumped" from "bumped once" (last_value is 1 for both).
        sql = "SELECT last_value, is_called, pg_current_snapshot()::text FROM claims_data_version"
    else:
        sql = "SELECT n FROM claims_data_version"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return ":".join(str(value) for value in cursor.fetchone())


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
