"""Migration 0020 adds each number's stated date and place: empty for the rows before it."""

from datetime import date

import pytest
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import connection

from claims.models import Quantity
from tests.factories import make_claim, make_source
from tests.migrating import migrate, migrate_to_latest

BEFORE = [("claims", "0019_claim_links")]
TEXT = "On 8 January police said 9,900 people had been detained in Almaty."


@pytest.mark.django_db(transaction=True)
def test_numbers_from_before_the_migration_state_no_date_or_place(investigation, bob):
    source = make_source(investigation, text=TEXT, published_on=date(2022, 1, 15))
    make_claim(source, TEXT, bob)
    assert Quantity.objects.get().place == "Almaty"

    # As `migrate` would: receivers make the tables ready to be remade (SQLite's triggers).
    emit_pre_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    old_apps = migrate(BEFORE)
    old_quantity = old_apps.get_model("claims", "Quantity")
    assert {field.name for field in old_quantity._meta.fields} >= {"measure", "text"}
    assert "place" not in {field.name for field in old_quantity._meta.fields}
    assert old_quantity.objects.get().text == "9,900"

    migrate_to_latest()
    # As `migrate` would: tables remade on the way give their data-version triggers back.
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)

    quantity = Quantity.objects.get()
    assert (quantity.text, quantity.stated_on, quantity.place) == ("9,900", None, "")
    # A writer that names only the older columns (the synthetic data) gets the defaults.
    table = connection.ops.quote_name(Quantity._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (claim_id, investigation_id, start, "  # noqa: S608
            f"{connection.ops.quote_name('end')}, text, value, unit, approximate, bound, kind) "
            "VALUES (%s, %s, %s, %s, %s, %s, '', false, 'exact', 'count')",
            [
                quantity.claim_id,
                quantity.investigation_id,
                quantity.start,
                quantity.end,
                quantity.text,
                9900,
            ],
        )
    copy = Quantity.objects.order_by("pk").last()
    assert (copy.pk != quantity.pk, copy.stated_on, copy.place) == (True, None, "")
