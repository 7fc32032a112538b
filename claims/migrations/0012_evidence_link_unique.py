"""One evidence item per link and investigation, enforced by the database.

Until now two citations of a new link at the same moment could each create an item (and a
capture). Such duplicates are merged into the oldest item first, keeping everything: their
citations, snapshots and collection log move to it, and a claim that cited both keeps its
older citation, with the other's stance, excerpt and note added to its note.
"""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Q, Subquery


def merge_duplicate_evidence(apps, schema_editor):
    Evidence = apps.get_model("claims", "Evidence")
    ClaimEvidence = apps.get_model("claims", "ClaimEvidence")
    Snapshot = apps.get_model("claims", "Snapshot")
    CollectionLogEntry = apps.get_model("claims", "CollectionLogEntry")
    groups = (
        Evidence.objects.exclude(normalized_url="")
        .values("investigation", "normalized_url")
        .annotate(rows=Count("pk"))
        .filter(rows__gt=1)
        .order_by()
    )
    kept = []
    for group in list(groups):
        keeper, *duplicates = (
            Evidence.objects.filter(
                investigation=group["investigation"], normalized_url=group["normalized_url"]
            )
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)
        )
        moved = ClaimEvidence.objects.filter(evidence__in=duplicates).order_by("created_at", "pk")
        for citation in moved:
            existing = ClaimEvidence.objects.filter(
                claim_id=citation.claim_id, evidence_id=keeper
            ).first()
            if existing is None:
                citation.evidence_id = keeper
                citation.save(update_fields=["evidence"])
            else:
                existing.note = _merged_note(existing.note, citation)
                existing.save(update_fields=["note"])
                citation.delete()
        Snapshot.objects.filter(evidence__in=duplicates).update(evidence=keeper)
        CollectionLogEntry.objects.filter(evidence__in=duplicates).update(evidence=keeper)
        Evidence.objects.filter(pk__in=duplicates).delete()
        kept.append(keeper)
    # The merged items' snapshot pointers, as Snapshot.save() keeps them.
    snapshots = Snapshot.objects.filter(evidence=OuterRef("pk")).order_by("-created_at", "-pk")
    Evidence.objects.filter(pk__in=kept).update(
        latest_snapshot=Subquery(snapshots.values("pk")[:1]),
        archived_snapshot=Subquery(snapshots.filter(status="done").values("pk")[:1]),
    )
    if kept and schema_editor.connection.vendor == "postgresql":
        # The rows changed above leave deferred foreign-key checks pending, and PostgreSQL
        # refuses to alter a table with pending checks: run them now, before the constraint.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _merged_note(note, dropped):
    merged = f"Merged from a second citation of the same page ({dropped.stance})"
    if dropped.excerpt:
        merged += f"; excerpt: {dropped.excerpt}"
    if dropped.note:
        merged += f"; note: {dropped.note}"
    return f"{note}\n\n{merged}" if note else merged


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0011_verdict_integrity"),
    ]

    operations = [
        migrations.RunPython(merge_duplicate_evidence, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="evidence",
            constraint=models.UniqueConstraint(
                condition=Q(("normalized_url", ""), _negated=True),
                fields=("investigation", "normalized_url"),
                name="one_evidence_per_link",
            ),
        ),
    ]
