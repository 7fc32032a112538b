"""Quantity.investigation: the claim's investigation on each number's row, filled from the
claims, then required, with the index the claim page's "same counts elsewhere" reads."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q

FILL = """
UPDATE claims_quantity
SET investigation_id = (
    SELECT claims_claim.investigation_id FROM claims_claim
    WHERE claims_claim.id = claims_quantity.claim_id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0033_figure_summaries"),
    ]

    operations = [
        migrations.AddField(
            model_name="quantity",
            name="investigation",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="claims.investigation",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="quantity",
            name="investigation",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="claims.investigation",
            ),
        ),
        migrations.AddIndex(
            model_name="quantity",
            index=models.Index(
                condition=~Q(measure="other"),
                fields=["investigation", "measure", "-id"],
                name="quantity_figures_newest",
            ),
        ),
    ]
