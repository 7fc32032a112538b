"""Chain the audit events written before 0012: per investigation, in (created_at, id) order.

The hashing is claims.audit_chain's, the same the app uses (a plain module: it will hash the
same way whatever the models become). Each event's actor username is copied from its account
as it is now; events whose account was deleted keep none.
"""

from django.db import migrations, models
from django.db.models import Q

from claims.review import audit_chain

BATCH = 1000
_CONTENT = ("action", "object_type", "object_repr", "before", "after", "created_at")


def chain_existing_events(apps, schema_editor):
    Investigation = apps.get_model("claims", "Investigation")
    AuditEvent = apps.get_model("claims", "AuditEvent")
    for investigation_id in Investigation.objects.order_by("pk").values_list("pk", flat=True):
        events = AuditEvent.objects.filter(investigation_id=investigation_id)
        seq, sha256 = 0, audit_chain.GENESIS
        after_key = None
        while True:
            page = events.order_by("created_at", "pk")
            if after_key is not None:
                at, pk = after_key
                page = page.filter(Q(created_at__gt=at) | Q(created_at=at, pk__gt=pk))
            # A page is read whole before it is written: updating rows while a cursor walks
            # the same table is not safe on SQLite.
            rows = list(page.values_list("pk", "actor__username", *_CONTENT)[:BATCH])
            if not rows:
                break
            changed = []
            for pk, username, *content in rows:
                fields = dict(zip(_CONTENT, content, strict=True)) | {"actor": username}
                seq, prev, sha256 = next(audit_chain.link([fields], seq=seq, sha256=sha256))
                changed.append(
                    AuditEvent(
                        pk=pk,
                        actor_username=username or "",
                        seq=seq,
                        prev_sha256=prev,
                        sha256=sha256,
                    )
                )
            AuditEvent.objects.bulk_update(
                changed, ["actor_username", "seq", "prev_sha256", "sha256"]
            )
            after_key = (rows[-1][-1], rows[-1][0])
        Investigation.objects.filter(pk=investigation_id).update(
            audit_seq=seq, audit_head_sha256=sha256
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_audit_chain"),
    ]

    operations = [
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False),
        ),
    ]
