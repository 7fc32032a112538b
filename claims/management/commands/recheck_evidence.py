"""Fetch archived evidence pages again and log whether each is unchanged, changed or gone."""

from django.core.management.base import BaseCommand, CommandError

from claims.evidence import capture
from claims.models import Evidence, Investigation


class Command(BaseCommand):
    help = "Re-check archived evidence: unchanged, changed since capture (hash differs) or gone."

    def add_arguments(self, parser):
        parser.add_argument("--investigation", metavar="SLUG", help="Only this investigation.")

    def handle(self, *args, investigation=None, **options):
        items = Evidence.objects.filter(archived_snapshot__isnull=False)
        if investigation:
            if not Investigation.objects.filter(slug=investigation).exists():
                raise CommandError(f"No investigation with the slug {investigation!r}.")
            items = items.filter(investigation__slug=investigation)
        counts, voided = {}, 0
        for evidence in items.select_related("investigation").order_by("pk"):
            entry = capture.recheck(evidence)
            if entry is None:
                continue
            counts[entry.outcome] = counts.get(entry.outcome, 0) + 1
            voided += entry.voided_sign_offs
            self.stdout.write(f"{entry.get_outcome_display():<22} {evidence.url}")
            if entry.detail and entry.outcome != "unchanged":
                self.stdout.write(f"{'':<22} {entry.detail}")
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items()))
        self.stdout.write(
            f"Re-checked {sum(counts.values())} item(s): {summary or 'nothing to do'}."
        )
        if voided:
            self.stdout.write(
                f"{voided} sign-off{'' if voided == 1 else 's'} voided: the claims resting on "
                "a changed page are now “changed since sign-off” and wait for a new sign-off."
            )
