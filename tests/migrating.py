"""For tests of a data migration: move the test database to given migrations and get the
models as they were there."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to `targets` ([(app, migration name)]); the historical apps at that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    """Migrate forward to every app's newest migration."""
    return migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
