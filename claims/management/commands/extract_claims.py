"""`manage.py extract_claims PATH [--format json|table] [--all] [--language CODE]`: propose
claims in a text file."""

import io
import json
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.extraction import Sentence, extract
from claims.extraction.language import detect_language

_TABLE_TEXT_WIDTH = 70
_TABLE_QUANTITIES_WIDTH = 24


class Command(BaseCommand):
    # Reads a file and prints: no database, so no system checks (they would open one).
    requires_system_checks = ()
    help = (
        "Print the check-worthy sentences of a UTF-8 text file (JSON array or table), with "
        "offsets, score, label, speaker, reasons and quantities."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="UTF-8 text file to read")
        parser.add_argument("--format", choices=("json", "table"), default="json")
        parser.add_argument(
            "--all", action="store_true", help="include sentences not proposed as claims"
        )
        parser.add_argument(
            "--language",
            default="en",
            help='the text\'s language: "en" (the default), "ru", "kk", or "auto" to detect it',
        )

    def handle(self, *args, **options):
        """Print the proposed (with --all, every) sentence; CommandError when unreadable."""
        text = read_text(Path(options["path"]))
        language = options["language"]
        if language == "auto":
            language = detect_language(text)
        sentences = [s for s in extract(text, language) if options["all"] or s.is_proposed]
        if options["format"] == "json":
            self.stdout.write(json.dumps([as_json(s) for s in sentences], ensure_ascii=False))
        else:
            self.stdout.write(as_table(sentences))


def read_text(path: Path) -> str:
    """Read a UTF-8 text file exactly as `open(path, encoding="utf-8").read()` would.

    Raises CommandError with one readable line for a missing path, a directory, a binary file
    (NUL bytes) or bytes that are not UTF-8.
    """
    if not path.exists():
        raise CommandError(f"{path}: no such file")
    if path.is_dir():
        raise CommandError(f"{path}: is a directory, not a text file")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: cannot read ({error.strerror})") from error
    if b"\x00" in data:
        raise CommandError(f"{path}: looks binary (contains NUL bytes), not a text file")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CommandError(
            f"{path}: not UTF-8 text (invalid byte at position {error.start})"
        ) from error
    # Decode as open() does (universal newlines), so offsets match what the app stores.
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read()


def as_json(sentence: Sentence) -> dict:
    """One sentence as JSON: offsets, text, score, label, speaker, reasons, quantities."""
    record = asdict(sentence)
    record["reasons"] = list(sentence.reasons)
    record["quantities"] = [asdict(q) for q in sentence.quantities]
    return record


def as_table(sentences: list[Sentence]) -> str:
    """A fixed-width table, one row per sentence, long cells shortened with an ellipsis."""
    header = (
        f"{'start':>6} {'end':>6} {'score':>5} {'label':5} {'speaker':12} {'quantities':24} text"
    )
    rows = [header, "-" * len(header)]
    for s in sentences:
        quantities = _shorten(", ".join(q.text for q in s.quantities), _TABLE_QUANTITIES_WIDTH)
        text = _shorten(" ".join(s.text.split()), _TABLE_TEXT_WIDTH)
        rows.append(
            f"{s.start:>6} {s.end:>6} {s.score:>5.2f} {s.label:5} {s.speaker:12} "
            f"{quantities:24} {text}"
        )
    if not sentences:
        rows.append("(no sentences)")
    return "\n".join(rows)


def _shorten(cell: str, width: int) -> str:
    """The cell, cut to `width` characters with an ellipsis when longer."""
    return cell if len(cell) <= width else cell[: width - 1] + "…"
