"""Migration 0032 replaces the recovery codes stored as shown by their digests, and the codes
keep working."""

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django_otp.plugins.otp_static.models import StaticToken

from claims.access import second_factor
from tests.migrating import migrate, migrate_to_latest

BEFORE = [("claims", "0031_notification_claims"), ("otp_static", "0003_add_timestamps")]


@pytest.mark.django_db(transaction=True)
def test_stored_recovery_codes_are_replaced_by_their_digests(monkeypatch):
    # Pages of two rows, so that three codes take more than one.
    hashing = importlib.import_module("claims.migrations.0032_hashed_recovery_codes")
    monkeypatch.setattr(hashing, "BATCH", 2)
    apps = migrate(BEFORE)
    user = apps.get_model("auth", "User").objects.create(username="bob")
    device = apps.get_model("otp_static", "StaticDevice").objects.create(
        user=user, name="Recovery codes", confirmed=True
    )
    codes = ["0a1b2c3d4e", "5f6a7b8c9d", "a1b2c3d4e5"]
    for code in codes:
        apps.get_model("otp_static", "StaticToken").objects.create(device=device, token=code)

    migrate_to_latest()
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)

    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert stored == {second_factor.recovery_digest(code) for code in codes}
    assert not stored & set(codes)
    bob = get_user_model().objects.get(username="bob")
    assert second_factor.verify(bob, "0A1B 2C3D 4E") is not None
    assert second_factor.verify(bob, "0a1b2c3d4e") is None
