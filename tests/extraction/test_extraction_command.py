"""`manage.py extract_claims PATH --format json|table [--all]`."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

TESTIMONY = (
    "Flood in Lipno\n\n"
    "By Vera Holm\n\n"
    "Police said at least 40 homes were flooded overnight. "
    "“We lost everything,” says Marta Koval, 52. Will the dam hold?\n"
)


def run(*args):
    out = io.StringIO()
    call_command("extract_claims", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def testimony(tmp_path):
    path = tmp_path / "testimony.txt"
    path.write_text(TESTIMONY, encoding="utf-8")
    return path


def test_json_lists_proposed_claims_anchored_to_the_text(testimony):
    claims = json.loads(run(str(testimony), "--format", "json"))
    text = testimony.read_text(encoding="utf-8")
    assert [c["text"] for c in claims] == ["Police said at least 40 homes were flooded overnight."]
    (claim,) = claims
    assert claim["text"] == text[claim["start"] : claim["end"]]
    assert claim["label"] == "CFS"
    assert claim["speaker"] == "government"
    assert claim["score"] >= 0.5
    assert isinstance(claim["reasons"], list)
    (quantity,) = claim["quantities"]
    assert quantity == {
        "start": text.index("at least 40"),
        "end": text.index("at least 40") + len("at least 40"),
        "text": "at least 40",
        "value": 40,
        "low": 40,
        "high": None,
        "unit": "homes",
        "approximate": False,
        "bound": "lower",
        "kind": "count",
    }


def test_json_is_the_default_format(testimony):
    assert json.loads(run(str(testimony))) == json.loads(run(str(testimony), "--format", "json"))


def test_all_includes_sentences_that_are_not_proposed(testimony):
    sentences = json.loads(run(str(testimony), "--all"))
    assert len(sentences) == 5
    assert {s["label"] for s in sentences} == {"CFS", "UFS", "NFS"}
    assert [s["is_proposed"] for s in sentences].count(True) == 1


def test_table_is_readable(testimony):
    table = run(str(testimony), "--format", "table", "--all")
    lines = table.splitlines()
    assert lines[0].split()[:5] == ["start", "end", "score", "label", "speaker"]
    assert any("CFS" in line and "at least 40" in line for line in lines)
    assert len(lines) == 2 + 5


def test_offsets_match_the_text_as_python_reads_it_with_windows_line_breaks(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(TESTIMONY.replace("\n", "\r\n").encode("utf-8"))
    text = open(path, encoding="utf-8").read()  # noqa: SIM115 - the reading the app uses
    for claim in json.loads(run(str(path), "--all")):
        assert text[claim["start"] : claim["end"]] == claim["text"]


def test_missing_file_is_one_readable_error(tmp_path):
    with pytest.raises(CommandError, match="no such file") as error:
        run(str(tmp_path / "nowhere.txt"))
    assert "\n" not in str(error.value)


def test_directory_is_refused(tmp_path):
    with pytest.raises(CommandError, match="is a directory"):
        run(str(tmp_path))


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    with pytest.raises(CommandError, match="binary"):
        run(str(path))


def test_non_utf8_file_is_refused(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Zürich, 40 Häuser überflutet.".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run(str(path))


def test_unknown_format_is_refused(testimony):
    with pytest.raises(CommandError):
        run(str(testimony), "--format", "xml")


RUSSIAN = "Как сообщили в МВД, 5 января задержаны не менее 87 человек.\n"


@pytest.mark.parametrize("language", ["ru", "auto"])
def test_russian_rules_read_a_russian_file(tmp_path, language):
    path = tmp_path / "ru.txt"
    path.write_text(RUSSIAN, encoding="utf-8")
    (claim,) = json.loads(run(str(path), "--language", language))
    assert claim["speaker"] == "government"
    assert [(q["text"], q["value"], q["bound"]) for q in claim["quantities"]] == [
        ("не менее 87", 87, "lower")
    ]


def test_english_rules_are_the_default(tmp_path):
    path = tmp_path / "ru.txt"
    path.write_text(RUSSIAN, encoding="utf-8")
    claims = json.loads(run(str(path)))
    # English rules read "5" (the date) and "87" as bare numbers.
    assert [q["value"] for c in claims for q in c["quantities"]] == [5, 87]
