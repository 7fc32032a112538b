"""Build the Russian gold texts of benchmarks/data/ru from their marked-up form.

Each `NAME.marked` file holds one sentence a line, labelled by hand before any scoring:

    [CFS witness | neutral claim] По её словам, собралось {{около 3 000=3000}} человек.
    [NFS] Ей до сих пор страшно.

A blank line starts a paragraph; a sentence opening with a dash (direct speech) starts a line
of its own; other sentences follow the one before after a space. `{{text=value}}` marks a
quantity of a CFS sentence (the marks are dropped from the text). The script writes `NAME.txt`
and `NAME.gold.json` in the format of shared/eval (see its README), so score.py reads them.

    .venv/bin/python benchmarks/ru_gold.py
"""

import json
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "ru"
_LINE = re.compile(
    r"\[(?P<label>CFS|UFS|NFS)(?: (?P<speaker>\w+) \| (?P<claim>[^\]]+))?\] (?P<text>.+)"
)
_QUANTITY = re.compile(r"\{\{(?P<text>[^=}]+)=(?P<value>[\d.]+)\}\}")


def build(marked: str) -> tuple[str, dict]:
    """Return the plain text and its gold annotation for one marked-up file's content."""
    text = ""
    sentences = []
    for paragraph_number, paragraph in enumerate(marked.strip().split("\n\n")):
        for line_number, line in enumerate(paragraph.strip().splitlines()):
            found = _LINE.fullmatch(line.strip())
            if found is None:
                raise ValueError(f"not a labelled sentence: {line!r}")
            if line_number == 0:
                text += "\n\n" if paragraph_number else ""
            elif found["text"].startswith("—"):
                text += "\n"
            else:
                text += " "
            start = len(text)
            quantities = []
            position = 0
            for mark in _QUANTITY.finditer(found["text"]):
                text += found["text"][position : mark.start()]
                value = float(mark["value"])
                quantities.append(
                    {
                        "start": len(text),
                        "end": len(text) + len(mark["text"]),
                        "text": mark["text"],
                        "value": int(value) if value == int(value) else value,
                    }
                )
                text += mark["text"]
                position = mark.end()
            text += found["text"][position:]
            sentence = {
                "start": start,
                "end": len(text),
                "text": text[start:],
                "label": found["label"],
            }
            if found["label"] == "CFS":
                sentence |= {
                    "quantities": quantities,
                    "speaker": found["speaker"],
                    "claim": found["claim"],
                }
            sentences.append(sentence)
    return text + "\n", {"sentences": sentences}


def main() -> int:
    for marked in sorted(DATA.glob("*.marked")):
        text, gold = build(marked.read_text(encoding="utf-8"))
        name = marked.with_suffix("")
        Path(f"{name}.txt").write_text(text, encoding="utf-8")
        gold = {"text": f"{name.name}.txt", **gold}
        Path(f"{name}.gold.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        cfs = sum(1 for s in gold["sentences"] if s["label"] == "CFS")
        print(
            f"{name.name}: {len(gold['sentences'])} sentences, {cfs} CFS, {len(text.split())} words"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
