"""Migration 0012 chains the events written before it, in the order they happened."""

import importlib
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import connection

from claims.models import AuditEvent, Investigation
from claims.review import audit
from tests.migrating import migrate, migrate_to_latest

BEFORE = [("claims", "0013_job_interrupted")]
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
def test_existing_events_are_chained_per_investigation_in_time_order(monkeypatch):
    # Pages of two rows: the page boundary falls between two events of the same time.
    backfill = importlib.import_module("claims.migrations.0015_audit_chain_backfill")
    monkeypatch.setattr(backfill, "BATCH", 2)
    # As `migrate` would: receivers make the tables ready to be remade (SQLite's triggers).
    emit_pre_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    apps = migrate(BEFORE)
    old_investigation = apps.get_model("claims", "Investigation")
    old_event = apps.get_model("claims", "AuditEvent")
    user = apps.get_model("auth", "User").objects.create(username="bob")
    first = old_investigation.objects.create(slug="first", title="First")
    second = old_investigation.objects.create(slug="second", title="Second")
    # Ids out of time order, as an import or a clock can leave them; two at the same time.
    times = {"c": T0 + timedelta(seconds=2), "a": T0, "b": T0, "d": T0 + timedelta(seconds=9)}
    for label, at in times.items():
        event = old_event.objects.create(
            investigation=first,
            actor=user if label != "d" else None,
            action=f"claim.{label}",
            object_type="claim",
            object_id="1",
            object_repr=label,
            after={"score": 1.0, "label": label},
        )
        old_event.objects.filter(pk=event.pk).update(created_at=at)
    old_event.objects.create(
        investigation=second, action="source.add", object_type="source", object_id="9"
    )

    migrate_to_latest()
    # As `migrate` would: tables remade on the way down get their data-version triggers back.
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)

    events = AuditEvent.objects.filter(investigation__slug="first").order_by("seq")
    assert [(e.seq, e.action) for e in events] == [
        (1, "claim.a"),
        (2, "claim.b"),
        (3, "claim.c"),
        (4, "claim.d"),
    ]
    assert [e.actor_username for e in events] == ["bob", "bob", "bob", ""]
    for investigation in Investigation.objects.all():
        result = audit.verify(investigation)
        assert result.is_intact, result.problem
    assert audit.chain_head(Investigation.objects.get(slug="first")) == (4, events[3].sha256)
    assert audit.chain_head(Investigation.objects.get(slug="second"))[0] == 1
