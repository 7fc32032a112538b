"""An investigation can be archived: read-only for everyone until an owner restores it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0025_api_tokens"),
    ]

    operations = [
        migrations.AddField(
            model_name="investigation",
            name="archived_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
