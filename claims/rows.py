"""Model instances from hand-written SQL, with the values the ORM would have given.

The claim page is the busiest page of the app, and building its querysets (joins,
select_related, only(), subqueries) cost ten times the CPU that running them did: 5 ms to
compile the citations' query against 0.3 ms to execute it. Its reads are therefore written
as SQL by hand, with these helpers so that they still hand out model instances:

- `Columns` lists a model's columns under a table alias, from `_meta`, so a field added later
  is read without anyone remembering to add it;
- each value goes through the database backend's and the field's own converters (SQLite hands
  dates back as text, every backend hands JSON back as text), as the ORM does;
- rows become instances through `Model.from_db`, as the ORM builds them; columns left out
  are deferred, loaded on access like any `only()` query's;
- on PostgreSQL `fetch` prepares each statement once per connection, so the server plans it
  once rather than on every page.

The SQL is plain enough for SQLite and PostgreSQL alike; tests run every such read on both.
"""

from typing import Any

import psycopg
from django.conf import settings
from django.db import connection
from django.db.models.expressions import Col


def quote(name):
    return connection.ops.quote_name(name)


class Columns:
    """One model's columns in a hand-written SELECT, under a table alias.

    `names`: the fields to read (default: every concrete field). The primary key is always
    read: an outer join that found no row reads it as NULL, and `build` then gives None.
    """

    def __init__(self, model, alias, names=None):
        meta = model._meta
        wanted = None if names is None else {meta.get_field(name).name for name in names}
        # In the model's order, which Model.from_db expects of a partial row.
        fields = [
            field
            for field in meta.concrete_fields
            if wanted is None or field.primary_key or field.name in wanted
        ]
        self.model = model
        self.alias = alias
        self.table = quote(meta.db_table)
        self.fields = fields
        self.attnames = [field.attname for field in fields]
        self.width = len(fields)
        self.sql = ", ".join(f"{quote(alias)}.{quote(field.column)}" for field in fields)
        self._converters = {}

    def converters(self):
        """(position, functions, expression) for each column whose value needs converting."""
        vendor = connection.vendor
        if vendor not in self._converters:
            found = []
            for position, field in enumerate(self.fields):
                column = Col(self.alias, field)
                functions = connection.ops.get_db_converters(column) + field.get_db_converters(
                    connection
                )
                if functions:
                    found.append((position, functions, column))
            self._converters[vendor] = found
        return self._converters[vendor]

    def build(self, row, start=0):
        """The instance held in `row` from position `start`, or None for an empty outer join."""
        values = self._converted(row, start)
        if values is None:
            return None
        return self.model.from_db(connection.alias, self.attnames, values)

    def values(self, row, start=0):
        """{attname: value} held in `row` from `start`, converted as for `build`, without
        building an instance (None for an empty outer join): for rows only read, many a page."""
        values = self._converted(row, start)
        if values is None:
            return None
        return dict(zip(self.attnames, values, strict=True))

    def _converted(self, row, start):
        values = list(row[start : start + self.width])
        if values[0] is None:
            return None
        for position, functions, column in self.converters():
            value = values[position]
            for function in functions:
                value = function(value, column, connection)
            values[position] = value
        return values


def split(row, parts):
    """([the instance each of `parts` holds in `row`], the row's values after them), for a
    SELECT listing the parts' columns first, in order, and any other values last."""
    built, position = [], 0
    for part in parts:
        built.append(part.build(row, position))
        position += part.width
    return built, row[position:]


def convert(value, model, name):
    """A value of `model`'s field `name` read by a hand-written expression (a subquery's)."""
    field = model._meta.get_field(name)
    column = Col("", field)
    for function in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
        value = function(value, column, connection)
    return value


def fetch(sql, params):
    """Every row of `sql`, as tuples.

    On PostgreSQL each statement is prepared the first time it runs on a connection and only
    executed after that (settings.PREPARED_STATEMENTS): planning the claim page's reads cost
    the server 4 ms per page, four times what running them did. The text of these statements
    never changes, only their parameters, so a pooled connection plans each of them once.
    """
    with _cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _cursor():
    if connection.vendor != "postgresql" or not settings.PREPARED_STATEMENTS:
        return connection.cursor()
    # Django's cursor wrapper (its query log, its errors, its thread checks) around a psycopg
    # cursor that binds values on the server, which preparing needs; Django's own cursors
    # bind them on the client. The query log shows the SQL with its parameters beside it.
    # The steps are those of Django's own BaseDatabaseWrapper._cursor(), health check first
    # (a connection broken by a database restart is replaced, never used).
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        # The connection prepares what such a cursor runs (prepare_threshold 0, settings).
        # Any: django-stubs type make_cursor's argument as Django's wrapper, not the driver's.
        prepared: Any = psycopg.Cursor(connection.connection)
        if connection.queries_logged:
            return connection.make_debug_cursor(prepared)
        return connection.make_cursor(prepared)


def cache_related(instance, name, value):
    """Set what `instance.<name>` returns (a forward or reverse one-to-one relation, or a
    foreign key), as select_related would, so that reading it makes no query."""
    descriptor = type(instance).__dict__[name]
    field = getattr(descriptor, "field", None) or descriptor.related
    field.set_cached_value(instance, value)
