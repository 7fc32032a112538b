"""Recovery codes were stored as shown; keep only their digest, as second_factor now does.

Codes in use keep working: the digest is of the normalised code, which is how verify() looks
them up. A digest cannot be undone, so reversing leaves the digests (and the codes then fail).
"""

from django.db import migrations

from claims.access.second_factor import recovery_digest

BATCH = 500


def hash_recovery_codes(apps, schema_editor):
    token_model = apps.get_model("otp_static", "StaticToken")
    last = 0
    while batch := list(token_model.objects.filter(pk__gt=last).order_by("pk")[:BATCH]):
        for token in batch:
            token.token = recovery_digest(token.token)
        token_model.objects.bulk_update(batch, ["token"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0031_notification_claims"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(hash_recovery_codes, migrations.RunPython.noop)]
