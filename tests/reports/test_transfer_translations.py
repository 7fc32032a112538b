"""A translation and its original travel together: the transfer file carries which source a
translation is of and which claim of the original each translated claim renders (version 5);
files written before that still import, and a file that names them wrongly is refused whole."""

import io
import json
import zipfile

import pytest

from claims.models import Claim, Membership, Source
from claims.reporting import transfer
from claims.reporting.formats import export_report
from claims.reporting.reports import ReportOptions
from claims.sources import translations
from tests.factories import make_claim, make_source
from tests.reports.test_report_transfer import (
    _counts,
    _export,
    _refused,
    _report_hashes,
    _rewrite,
    _with_data,
)
from tests.test_translations import ORIGINAL, TRANSLATION

QUOTE = "The ministry later said 10,000 people had been detained."


@pytest.fixture
def translated_world(report_world, alice):
    """The report world with a witness statement, its Russian translation, and one claim of
    the statement marked in the translation."""
    investigation = report_world["investigation"]
    original = make_source(investigation, text=ORIGINAL, title="Witness statement")
    translation = make_source(investigation, text=TRANSLATION, title="Перевод", language="ru")
    owner = Membership.objects.get(investigation=investigation, user=alice)
    translations.pair(translation, original, actor=alice, membership=owner)
    claim = make_claim(original, quote=QUOTE, actor=alice)
    translated = translations.link(claim, actor=alice, membership=owner)
    return investigation, original, translation, claim, translated


def _json_report(investigation):
    return b"".join(export_report(investigation, "json", ReportOptions()))


def _pairs():
    """(translation title, original title) and (translated quote, original quote), by content."""
    sources = sorted(
        (source.title, source.translation_of.title)
        for source in Source.objects.filter(translation_of__isnull=False)
    )
    claims = sorted(
        (claim.quote, claim.original.quote)
        for claim in Claim.objects.filter(original__isnull=False)
    )
    return sources, claims


def _claims_translating():
    document = json.loads(_json_report(Source.objects.get(title="Перевод").investigation))
    return {
        claim["quote"]: claim["translation_of"]
        for source in document["sources"]
        for claim in source["claims"]
    }


@pytest.mark.django_db
def test_a_translation_and_its_claims_keep_their_originals(translated_world, media):
    investigation, _original, _translation, _claim, translated = translated_world
    before = _pairs()
    assert before == ([("Перевод", "Witness statement")], [(translated.quote, QUOTE)])
    quoted_before = _claims_translating()
    reports_before = _report_hashes(investigation)
    data = _export(investigation)
    document = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("investigation.json"))
    assert document["version"] == transfer.TRANSFER_VERSION
    investigation.delete()

    copy = transfer.import_investigation(io.BytesIO(data))

    assert _pairs() == before
    assert _report_hashes(copy) == reports_before
    # The report of the copy quotes the original beside its translation, as before.
    assert _claims_translating() == quoted_before
    assert quoted_before[translated.quote]["quote"] == QUOTE


def _as_version_4(document):
    document["version"] = 4
    for record in document["sources"]:
        del record["translation_of"]
    for record in document["claims"]:
        del record["original"]


def _manifest_version_4(members):
    manifest = json.loads(members["manifest.json"])
    manifest["version"] = 4
    members["manifest.json"] = json.dumps(manifest).encode()


@pytest.mark.django_db
def test_a_version_4_file_imports_without_pairs(translated_world, media):
    investigation = translated_world[0]
    counts = _counts()
    data = _export(investigation)
    investigation.delete()
    older = _rewrite(_with_data(data, _as_version_4), _manifest_version_4)

    transfer.import_investigation(io.BytesIO(older))

    assert _counts() == counts
    assert _pairs() == ([], [])


def _keys(document):
    """Keys of the statement, the translation, the statement's claim and the translated one."""
    by_title = {record["title"]: record["key"] for record in document["sources"]}
    by_quote = {record["quote"]: record for record in document["claims"]}
    translated = next(record for record in document["claims"] if record["original"])
    return (
        by_title["Witness statement"],
        by_title["Перевод"],
        by_quote[QUOTE]["key"],
        translated,
    )


def _translation_record(document):
    return next(record for record in document["sources"] if record["title"] == "Перевод")


def _original_record(document):
    return next(r for r in document["sources"] if r["title"] == "Witness statement")


def _unknown_source(document):
    _translation_record(document)["translation_of"] = 999_999


def _itself(document):
    record = _translation_record(document)
    record["translation_of"] = record["key"]


def _cycle(document):
    _original_record(document)["translation_of"] = _translation_record(document)["key"]


def _not_a_key(document):
    _translation_record(document)["translation_of"] = "1 OR 1=1"


def _unknown_claim(document):
    _keys(document)[3]["original"] = 999_999


def _claim_of_another_source(document):
    # A claim of the report world's own source, which the translation does not translate.
    other = next(
        record
        for record in document["claims"]
        if record["quote"] != QUOTE and not record["original"]
    )
    _keys(document)[3]["original"] = other["key"]


def _original_without_pair(document):
    # The claim still names its original, but its source is no longer a translation.
    _translation_record(document)["translation_of"] = None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_unknown_source, r"Source \d+ is the translation of source 999999, which the file"),
        (_itself, r"Source \d+ cannot be the translation of itself or of its own translation"),
        (_cycle, r"Source \d+ cannot be the translation of itself or of its own translation"),
        (_not_a_key, r"Source \d+ is the translation of '1 OR 1=1', which the file"),
        (_unknown_claim, r"Claim \d+ translates claim 999999, which is not a claim of"),
        (_claim_of_another_source, r"Claim \d+ translates claim \d+, which is not a claim of"),
        (_original_without_pair, r"Claim \d+ translates claim \d+, which is not a claim of"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_a_file_that_pairs_wrongly_is_refused_whole(translated_world, media, change, message):
    investigation = translated_world[0]
    data = _export(investigation)
    investigation.delete()
    _refused(_with_data(data, change), media, message)
