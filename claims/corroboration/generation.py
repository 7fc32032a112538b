"""The figures generation: a per-investigation counter that the database moves whenever a write
may change what the numbers page compares, so that a kept summary (summaries.py) can tell it is
stale. Kept by triggers, as listing/data_version.py keeps the data version, and for the same
reason: save(), bulk_create(), QuerySet.update(), cascades, a shell or raw SQL all pass here,
and no write path can forget to say so.

What moves it (a figure is a quantity of a known measure in a claim counted by the page):
- a quantity inserted, updated or deleted (any column: such updates are rare);
- a claim deleted, moved to another investigation or source, or its status moved across the
  lines the page draws: dismissed (never counted), suggested (counted only on request), the
  rest (always). A review move from "open" to "verified" changes no figure: only the
  statement's row shows the status, and rows are read live. Bumping on every status move would
  make the most common write of a desk throw the summary away;
- a source's date changed (it dates and orders its figures) or the source moved.
Both the old and the new investigation move when a row changes investigation.

The counter is a row per investigation (FiguresGeneration), upserted by the trigger in the
writing transaction, so it commits with the write or not at all. Why a kept summary cannot be
wrong (PostgreSQL, READ COMMITTED): a reader reads the counter, n, in one statement and the
figures in later ones, which see every commit the first saw; a write counted in n committed
before that first statement, so the figures include it, and a write that commits later has
moved the counter past n, so a summary kept under n is stale, never served, for it. SQLite
runs one writer at a time and its readers see a snapshot per statement the same way. Unlike
the data version, no advisory lock is needed: the counter and the write commit together.

Locks (PostgreSQL): the trigger locks the investigation's row (FOR NO KEY UPDATE) before the
counter's. audit.record() takes that same lock for every audited change, so writers to one
investigation already queue there; taking it first means the counter's row is only ever locked
by a holder of the investigation's, and adds no new order in which two writers could deadlock.
Statement triggers with transition tables: a bulk insert of thousands of quantities moves the
counter once.

The counter's table and the triggers are (re)made after every migrate (apps.py), like the
data version's, and not by a migration: migrating back must not drop a table that triggers
on older tables write to. On SQLite the triggers are dropped before a migrate (a table remade
there cannot be renamed into place while another table's trigger names it), and what was
kept is dropped after it: nothing written in between goes unnoticed.
"""

from django.db import DEFAULT_DB_ALIAS, connections

from claims.models import ClaimStatus, FiguresGeneration, FigureSummary

TABLE = FiguresGeneration._meta.db_table
SUMMARIES = FigureSummary._meta.db_table
PREFIX = "figures_generation"

# What the page counts of a claim, by status: 0 never, 1 with suggestions, 2 always.
_COUNTED = (
    f"(CASE WHEN {{row}}.status = '{ClaimStatus.DISMISSED}' THEN 0 "
    f"WHEN {{row}}.status = '{ClaimStatus.SUGGESTED}' THEN 1 ELSE 2 END)"
)
_CLAIM_MOVED = (
    f"{_COUNTED.format(row='o')} <> {_COUNTED.format(row='n')} "
    "OR o.investigation_id <> n.investigation_id OR o.source_id <> n.source_id"
)

# PostgreSQL: per (table, event), the investigations whose figures a statement changed, read
# from its transition tables (old_rows, new_rows).
_POSTGRESQL = {
    ("claims_quantity", "INSERT"): (
        "SELECT c.investigation_id FROM new_rows q JOIN claims_claim c ON c.id = q.claim_id"
    ),
    ("claims_quantity", "UPDATE"): (
        "SELECT c.investigation_id FROM claims_claim c WHERE c.id IN "
        "(SELECT claim_id FROM new_rows UNION SELECT claim_id FROM old_rows)"
    ),
    ("claims_quantity", "DELETE"): (
        "SELECT c.investigation_id FROM old_rows q JOIN claims_claim c ON c.id = q.claim_id"
    ),
    ("claims_claim", "UPDATE"): (
        "SELECT x.id FROM old_rows o JOIN new_rows n ON n.id = o.id, "  # noqa: S608
        "LATERAL (VALUES (o.investigation_id), (n.investigation_id)) AS x(id) "
        f"WHERE {_CLAIM_MOVED}"
    ),
    ("claims_claim", "DELETE"): "SELECT investigation_id FROM old_rows",
    ("claims_source", "UPDATE"): (
        "SELECT x.id FROM old_rows o JOIN new_rows n ON n.id = o.id, "
        "LATERAL (VALUES (o.investigation_id), (n.investigation_id)) AS x(id) "
        "WHERE o.published_on IS DISTINCT FROM n.published_on "
        "OR o.investigation_id <> n.investigation_id"
    ),
}

_UPSERT = (
    f"INSERT INTO {TABLE} (investigation_id, n) {{select}} "
    f"ON CONFLICT (investigation_id) DO UPDATE SET n = {TABLE}.n + 1"
)


def install(using=DEFAULT_DB_ALIAS, **kwargs):
    """Create the counter's table and (re)create its triggers; a post_migrate receiver, safe
    to run any number of times.

    Kept summaries are dropped too: a migration may have rewritten figures while SQLite had
    remade a table without its triggers, and a recompute is cheap beside a wrong page.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        if not {"claims_investigation", "claims_claim", "claims_quantity"} <= existing:
            return  # migrating to a state before the figures: nothing to keep yet
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} "
            "(investigation_id bigint NOT NULL PRIMARY KEY, n bigint NOT NULL)"
        )
        if SUMMARIES in existing:
            cursor.execute(f"DELETE FROM {SUMMARIES}")  # noqa: S608
        statements = _postgresql() if connection.vendor == "postgresql" else _sqlite()
        for statement in statements:
            cursor.execute(statement)


def uninstall(using=DEFAULT_DB_ALIAS, **kwargs):
    """Drop the triggers on SQLite before a migration runs; a pre_migrate receiver.

    SQLite remakes a table to alter it (a copy renamed over the old one), and a rename is
    refused while a trigger elsewhere names the table (the quantities' triggers read claims).
    install() makes them again after the migration, and drops what was kept meanwhile.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        return  # it alters tables in place, and checks trigger bodies only when they run
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [f"{PREFIX}%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP TRIGGER IF EXISTS {connection.ops.quote_name(name)}")


def _postgresql():
    yield (
        f"CREATE OR REPLACE FUNCTION {PREFIX}_bump(investigations bigint[]) RETURNS void "  # noqa: S608
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF cardinality(investigations) = 0 THEN RETURN; END IF; "
        # The investigation's lock first: see the module's docstring.
        "PERFORM 1 FROM claims_investigation WHERE id = ANY(investigations) "
        "ORDER BY id FOR NO KEY UPDATE; "
        + _UPSERT.format(
            select="SELECT DISTINCT id, 1 FROM unnest(investigations) AS id WHERE id IS NOT NULL"
        )
        + "; END $$"
    )
    for (table, event), investigations in _POSTGRESQL.items():
        name = f"{PREFIX}_{table}_{event.lower()}"
        transitions = {
            "INSERT": "NEW TABLE AS new_rows",
            "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "DELETE": "OLD TABLE AS old_rows",
        }[event]
        yield (
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"PERFORM {PREFIX}_bump(ARRAY({investigations})); RETURN NULL; END $$"
        )
        # A trigger with transition tables takes one event: one trigger per event.
        yield (
            f"CREATE OR REPLACE TRIGGER {name} AFTER {event} ON {table} "
            f"REFERENCING {transitions} FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )
    # TRUNCATE names no rows: every investigation's generation moves.
    yield (
        f"CREATE OR REPLACE FUNCTION {PREFIX}_truncate() RETURNS trigger LANGUAGE plpgsql AS "  # noqa: S608
        f"$$ BEGIN PERFORM {PREFIX}_bump(ARRAY(SELECT id FROM claims_investigation)); "
        "RETURN NULL; END $$"
    )
    for table in ("claims_quantity", "claims_claim", "claims_source"):
        yield (
            f"CREATE OR REPLACE TRIGGER {PREFIX}_{table}_truncate AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PREFIX}_truncate()"
        )
    yield (
        f"CREATE OR REPLACE FUNCTION {PREFIX}_forget() RETURNS trigger LANGUAGE plpgsql AS $$ "  # noqa: S608
        f"BEGIN DELETE FROM {TABLE} WHERE investigation_id IN (SELECT id FROM old_rows); "
        "RETURN NULL; END $$"
    )
    yield (
        f"CREATE OR REPLACE TRIGGER {PREFIX}_claims_investigation_delete AFTER DELETE ON "
        "claims_investigation REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
        f"EXECUTE FUNCTION {PREFIX}_forget()"
    )


def _sqlite_bump(expression, condition="true"):
    # The WHERE also keeps SQLite from reading ON CONFLICT as part of the SELECT (its
    # documented ambiguity of an upsert from a SELECT). A claim already gone has no
    # investigation to move: its own delete moved it.
    where = f"({expression}) IS NOT NULL AND {condition}"
    return _UPSERT.format(select=f"SELECT {expression}, 1 WHERE {where}") + ";"


def _sqlite():
    claim_of = "(SELECT investigation_id FROM claims_claim WHERE id = {row}.claim_id)"
    counted = {row: _COUNTED.format(row=row) for row in ("OLD", "NEW")}
    triggers = {
        ("claims_quantity", "INSERT", ""): _sqlite_bump(claim_of.format(row="NEW")),
        ("claims_quantity", "UPDATE", ""): (
            _sqlite_bump(claim_of.format(row="NEW"))
            + _sqlite_bump(claim_of.format(row="OLD"), "OLD.claim_id <> NEW.claim_id")
        ),
        ("claims_quantity", "DELETE", ""): _sqlite_bump(claim_of.format(row="OLD")),
        (
            "claims_claim",
            "UPDATE",
            f"WHEN {counted['OLD']} <> {counted['NEW']} "
            "OR OLD.investigation_id <> NEW.investigation_id OR OLD.source_id <> NEW.source_id",
        ): (
            _sqlite_bump("NEW.investigation_id")
            + _sqlite_bump("OLD.investigation_id", "OLD.investigation_id <> NEW.investigation_id")
        ),
        ("claims_claim", "DELETE", ""): _sqlite_bump("OLD.investigation_id"),
        (
            "claims_source",
            "UPDATE",
            "WHEN OLD.published_on IS NOT NEW.published_on "
            "OR OLD.investigation_id <> NEW.investigation_id",
        ): (
            _sqlite_bump("NEW.investigation_id")
            + _sqlite_bump("OLD.investigation_id", "OLD.investigation_id <> NEW.investigation_id")
        ),
        ("claims_investigation", "DELETE", ""): (
            f"DELETE FROM {TABLE} WHERE investigation_id = OLD.id;"  # noqa: S608
        ),
    }
    for (table, event, when), body in triggers.items():
        name = f"{PREFIX}_{table}_{event.lower()}"
        yield f"DROP TRIGGER IF EXISTS {name}"
        yield f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW {when} BEGIN {body} END"


def current(investigation_id, using=DEFAULT_DB_ALIAS):
    """The investigation's figures generation now (0 before its first figure write): one query."""
    found = (
        FiguresGeneration.objects.using(using)
        .filter(investigation_id=investigation_id)
        .values_list("n", flat=True)
        .first()
    )
    return found or 0


def triggered_tables(using=DEFAULT_DB_ALIAS):
    """{table: number of this module's triggers on it}, for checks and tests."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT event_object_table, COUNT(DISTINCT trigger_name) "
                "FROM information_schema.triggers WHERE trigger_name LIKE %s "
                "GROUP BY event_object_table",
                [f"{PREFIX}%"],
            )
        else:
            cursor.execute(
                "SELECT tbl_name, COUNT(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE %s GROUP BY tbl_name",
                [f"{PREFIX}%"],
            )
        return dict(cursor.fetchall())
