import django.utils.timezone
from django.db import migrations, models

GENESIS = "0" * 64


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0013_job_interrupted"),
    ]

    operations = [
        migrations.AddField(
            model_name="investigation",
            name="audit_seq",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="investigation",
            name="audit_head_sha256",
            field=models.CharField(default=GENESIS, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_username",
            field=models.CharField(blank=True, editable=False, max_length=150),
        ),
        # Null until 0012_audit_chain_backfill numbers the existing rows; NULLs do not
        # collide in the unique constraint meanwhile.
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_sha256",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="sha256",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="SHA-256"
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, editable=False
            ),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("investigation", "seq"), name="audit_seq_once"
            ),
        ),
    ]
