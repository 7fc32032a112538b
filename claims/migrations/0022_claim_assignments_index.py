"""Open assignments are counted per member and investigation on every page (the top bar):
the index on (assignee, status) left PostgreSQL walking the investigation's claims instead.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0021_claim_search_speaker"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="claim",
            name="claims_clai_assigne_02ec37_idx",
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["assignee", "investigation", "status"], name="claim_assignments"
            ),
        ),
    ]
