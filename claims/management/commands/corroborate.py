"""`manage.py corroborate --investigation SLUG [--include-suggestions] [--format json|table]`."""

import json
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError

from claims.corroboration import comparison, links
from claims.models import Investigation

_SOURCE_WIDTH = 34
_WHO_WIDTH = 24


class Command(BaseCommand):
    help = (
        "Line up an investigation's figures by what they count (crowd, detained, killed, ...) "
        "and say per measure whether the sources agree, rose over time or differ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--investigation", required=True, metavar="SLUG")
        parser.add_argument(
            "--include-suggestions",
            action="store_true",
            help="also compare figures in suggested claims nobody has accepted yet, and list "
            "similar-claim links nobody has confirmed yet",
        )
        parser.add_argument("--format", choices=("json", "table"), default="json")

    def handle(self, *args, **options):
        """Print the comparison; CommandError (one line) for an unknown investigation."""
        slug = options["investigation"]
        investigation = Investigation.objects.filter(slug=slug).first()
        if investigation is None:
            raise CommandError(f"No investigation with the slug {slug!r}.")
        comparisons = comparison.compare(
            investigation, include_suggestions=options["include_suggestions"]
        )
        pairs = links.investigation_links(
            investigation, include_suggestions=options["include_suggestions"]
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(as_json(comparisons, pairs), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(as_table(comparisons))
            self.stdout.write(similar_table(pairs))


def as_json(comparisons, pairs=()):
    """{"measures": [...], "similar": [...]}: figures per measure, then linked claims."""
    measures = []
    for compared in comparisons:
        record = asdict(compared)
        for statement in record["statements"]:
            statement["date"] = statement["date"].isoformat() if statement["date"] else None
        measures.append(record)
    return {"measures": measures, "similar": [asdict(pair) for pair in pairs]}


def similar_table(pairs):
    """The linked claims for people: relation, status and score, then each claim."""
    if not pairs:
        return "\nSimilar claims: none confirmed (try --include-suggestions)."
    lines = ["", "Similar claims:"]
    for pair in pairs:
        lines.append(f"{pair.relation} ({pair.status}, score {pair.score:.2f}): {pair.reason}")
        for claim in pair.claims:
            source = _cut(claim["source"], _SOURCE_WIDTH)
            lines.append(f"  {source:{_SOURCE_WIDTH}} “{_cut(claim['quote'], 90)}”")
    return "\n".join(lines)


def as_table(comparisons):
    if not comparisons:
        return "No figures to compare: no claim's numbers count a known measure."
    lines = []
    for compared in comparisons:
        lines.append(f"{compared.label} ({compared.kind}): {compared.verdict}")
        for s in compared.statements:
            reading = f"[{_number(s.low)}, {_number(s.high)}]"
            who = s.speaker or s.attribution
            when = s.date.isoformat() if s.date else "undated"
            lines.append(
                f"  {when:10} {_cut(s.source, _SOURCE_WIDTH):{_SOURCE_WIDTH}} "
                f"{_cut(who, _WHO_WIDTH):{_WHO_WIDTH}} “{s.text}” read as {reading}"
                f"{' (suggested)' if s.is_suggested else ''}"
            )
    return "\n".join(lines)


def _number(value):
    if value is None:
        return "∞"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _cut(text, width):
    return text if len(text) <= width else text[: width - 1] + "…"
