"""Claim search reads the speaker too: its GIN index takes the speaker into its expression.

The expression must match search.SimpleVector("quote", "statement", "speaker") to the letter,
or PostgreSQL cannot use the index. SQLite has no such index and searches by regular
expression (search.matching_rows).
"""

from django.db import migrations

NAME = "claims_claim_search"
OLD = "to_tsvector('simple'::regconfig, quote || ' ' || statement)"
NEW = "to_tsvector('simple'::regconfig, quote || ' ' || statement || ' ' || speaker)"


def _index(expression):
    def build(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")
        schema_editor.execute(f"CREATE INDEX {NAME} ON claims_claim USING gin ({expression})")

    return build


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0020_quantity_stated_date_and_place"),
    ]

    operations = [
        migrations.RunPython(_index(NEW), _index(OLD)),
    ]
