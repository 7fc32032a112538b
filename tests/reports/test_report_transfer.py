"""An investigation moves to another installation losslessly, or not at all."""

import hashlib
import io
import json
import random
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.extraction import measure_of, occasion_of
from claims.models import (
    AuditEvent,
    Claim,
    ClaimEvidence,
    Comment,
    Evidence,
    Investigation,
    Membership,
    Quantity,
    Snapshot,
    Source,
    Verdict,
)
from claims.reporting import reports, transfer
from claims.reporting.formats import FORMATS, export_report
from claims.review import audit
from tests.factories import make_claim, make_source
from tests.reports.conftest import FIXED_NOW

MODELS = [
    Investigation,
    Membership,
    Source,
    Claim,
    Quantity,
    Evidence,
    ClaimEvidence,
    Snapshot,
    Verdict,
    Comment,
    AuditEvent,
    get_user_model(),
]
ALL_OPTIONS = [
    reports.ReportOptions(),
    reports.ReportOptions(verified_only=True, redact_reviewers=True, pseudonymize=True),
]


def _export(investigation):
    buffer = io.BytesIO()
    transfer.export_investigation(investigation, buffer)
    return buffer.getvalue()


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def _media_files(media):
    return sorted(str(p.relative_to(media)) for p in Path(media).rglob("*") if p.is_file())


def _report_hashes(investigation):
    """The digest and every streamed format's bytes, for each set of options."""
    hashes = []
    for options in ALL_OPTIONS:
        hashes.append(reports.build_report(investigation, options).sha256)
        for name in ("json", "csv", "md", "claimreview", "annotations"):
            chunks = export_report(investigation, name, options, now=FIXED_NOW)
            hashes.append((name, hashlib.sha256(b"".join(chunks)).hexdigest()))
    return hashes


def _history(investigation):
    return [
        (e.action, e.object_type, e.actor and e.actor.username, e.created_at, e.after)
        for e in investigation.audit_events.order_by("created_at", "pk")
    ]


def test_round_trip_gives_the_same_reports_and_history(report_world, carol, media):
    investigation = report_world["investigation"]
    carol.delete()  # an outsider, no part of the investigation: not exported
    before = _report_hashes(investigation)
    history = _history(investigation)
    counts = _counts()
    data = _export(investigation)
    # Another installation: the investigation and its people are gone.
    investigation.delete()
    get_user_model().objects.all().delete()

    copy = transfer.import_investigation(io.BytesIO(data))

    assert _report_hashes(copy) == before
    assert _history(copy) == history
    assert _counts() == counts
    assert Comment.objects.get().mentions.count() == 0
    snapshot = Snapshot.objects.get()
    assert hashlib.sha256(snapshot.body.read()).hexdigest() == snapshot.sha256
    imported = get_user_model().objects.get(username="bob")
    assert not imported.is_active
    assert not imported.has_usable_password()
    assert imported.get_full_name() == "Bartholomew Quenneville"
    assert set(Membership.objects.values_list("role", flat=True)) >= {"owner", "viewer"}


def test_bundle_of_the_imported_copy_matches(report_world, media):
    investigation = report_world["investigation"]
    bundle = b"".join(export_report(investigation, "bundle"))
    data = _export(investigation)
    investigation.delete()
    copy = transfer.import_investigation(io.BytesIO(data))
    again = b"".join(export_report(copy, "bundle"))
    manifests = [
        json.loads(zipfile.ZipFile(io.BytesIO(zip_bytes)).read("manifest.json"))
        for zip_bytes in (bundle, again)
    ]
    assert manifests[0]["report_sha256"] == manifests[1]["report_sha256"]
    unchanged = set(FORMATS) - {"html", "pdf", "md", "json"}  # these print generated_at
    for name in ["sources/source-1.txt", "report.csv", *(FORMATS[f].filename for f in unchanged)]:
        if name.endswith(".zip"):
            continue
        assert manifests[0]["files"][name] == manifests[1]["files"][name], name


def _assert_nothing_created(before_counts, before_files, media):
    assert _counts() == before_counts
    assert _media_files(media) == before_files


def _refused(data, media, match):
    counts, files = _counts(), _media_files(media)
    with pytest.raises(transfer.TransferError, match=match):
        transfer.import_investigation(io.BytesIO(data))
    _assert_nothing_created(counts, files, media)


@pytest.fixture
def exported(report_world, media):
    investigation = report_world["investigation"]
    data = _export(investigation)
    investigation.delete()
    return data


def _rewrite(data, change):
    members = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            members[name] = archive.read(name)
    change(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


def test_a_changed_byte_in_the_data_creates_nothing(exported, media):
    def flip(members):
        body = bytearray(members["investigation.json"])
        body[len(body) // 2] ^= 0x01
        members["investigation.json"] = bytes(body)

    _refused(_rewrite(exported, flip), media, "does not match its SHA-256")


def test_a_truncated_file_creates_nothing(exported, media):
    _refused(exported[: len(exported) // 2], media, "zip")


def test_a_foreign_zip_creates_nothing(media, db):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("report.csv", "a,b\n")
    _refused(out.getvalue(), media, "Not an investigation export")


def test_a_consistent_but_broken_file_creates_nothing(exported, media):
    """Hashes that match but data that lies: a quote moved off its offsets, late in the file."""

    def move_quote(data):
        data["claims"][-1]["start"] += 1

    _refused(_with_data(exported, move_quote), media, r"Claim \d+ is invalid: quote: .* offsets")


def test_a_file_written_before_signed_content_was_exported_imports(exported, media):
    def drop_signed_content(data):
        for record in data["verdicts"]:
            del record["signed_content"], record["signed_sha256"]

    transfer.import_investigation(io.BytesIO(_with_data(exported, drop_signed_content)))
    assert set(Verdict.objects.values_list("signed_sha256", flat=True)) == {""}


def test_zip_slip_names_are_refused(exported, media, tmp_path):
    def add_escape(members):
        members["files/../../../escaped.txt"] = b"owned"

    _refused(_rewrite(exported, add_escape), media, "unexpected entry")
    assert not list(tmp_path.parent.rglob("escaped.txt"))


def test_a_zip_bomb_is_refused_before_it_inflates(exported, media):
    def add_bomb(members):
        members["files/snapshot-1"] = b"\0" * 5_000_000

    _refused(_rewrite(exported, add_bomb), media, "compressed too well")


def test_an_oversized_member_is_refused(exported, media, settings):
    settings.ZIP_MAX_ENTRY_BYTES = 1000
    _refused(exported, media, "would unpack to .* one entry may unpack to at most 1,000 bytes")


def test_an_import_over_the_total_limit_is_refused(exported, media, settings):
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        sizes = [info.file_size for info in archive.infolist()]
    settings.ZIP_MAX_ENTRY_BYTES = max(sizes)
    settings.ZIP_MAX_TOTAL_BYTES = sum(sizes) - 1
    _refused(exported, media, f"would unpack to {sum(sizes):,} bytes; the limit is")


def test_an_import_with_too_many_entries_is_refused(exported, media, settings):
    settings.ZIP_MAX_ENTRIES = 2
    _refused(exported, media, r"The file has \d+ entries; the limit is 2\.")


def test_attached_files_are_streamed_not_held(exported, media, settings):
    """Files are hashed on the way through and copied from the zip when stored: the import
    holds the data and the manifest in memory, never the originals and snapshots."""

    def add_large_original(members):
        data = json.loads(members["investigation.json"])
        data["sources"][0]["original_file"] = {"member": "files/original-1", "extension": ".txt"}
        members["investigation.json"] = json.dumps(data).encode()
        members["files/original-1"] = random.Random(5).randbytes(16 * 1024**2)
        manifest = json.loads(members["manifest.json"])
        for name in ("investigation.json", "files/original-1"):
            manifest["files"][name] = hashlib.sha256(members[name]).hexdigest()
        members["manifest.json"] = json.dumps(manifest).encode()

    data = _rewrite(exported, add_large_original)
    tracemalloc.start()
    copy = transfer.import_investigation(io.BytesIO(data))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert copy.sources.exclude(original_file="").count() == 1
    assert peak < 12 * 1024**2  # the 16 MB original never sits in memory


def test_the_import_command_refuses_a_bomb_in_one_line(exported, media, tmp_path, settings):
    settings.ZIP_MAX_TOTAL_BYTES = 1000
    path = tmp_path / "bomb.zip"
    path.write_bytes(exported)
    with pytest.raises(CommandError) as error:
        call_command("import_investigation", str(path))
    assert str(error.value).startswith("Nothing imported. The file would unpack to ")
    assert "\n" not in str(error.value)


def test_an_existing_slug_is_refused_with_one_line(report_world, media, tmp_path):
    path = tmp_path / "inv.zip"
    call_command("export_investigation", "flood-2026", "--out", str(path))
    with pytest.raises(CommandError) as error:
        call_command("import_investigation", str(path))
    assert str(error.value) == (
        "Nothing imported. An investigation with slug 'flood-2026' already exists here."
    )
    assert "\n" not in str(error.value)


def test_commands_move_an_investigation(report_world, media, tmp_path, capsys):
    path = tmp_path / "inv.zip"
    call_command("export_investigation", "flood-2026", "--out", str(path))
    report_world["investigation"].delete()
    call_command("import_investigation", str(path))
    assert "Imported 'flood-2026': 2 sources, 6 claims." in capsys.readouterr().out


# --- Every row is validated as a form would; the first bad one refuses the whole file ---------


def _edit_data(change, raw=None):
    """A rewrite of the zip's members that edits its data with `change(dict)` (and its JSON
    text with `raw`, if given) and keeps the manifest's hash matching."""

    def edit(members):
        document = json.loads(members["investigation.json"])
        change(document)
        text = json.dumps(document)
        if raw:
            text = raw(text)
        members["investigation.json"] = text.encode()
        manifest = json.loads(members["manifest.json"])
        manifest["files"]["investigation.json"] = hashlib.sha256(
            members["investigation.json"]
        ).hexdigest()
        members["manifest.json"] = json.dumps(manifest).encode()

    return edit


def _with_data(data, change, raw=None):
    """`data` with investigation.json changed by `change(dict)` and the manifest re-hashed, as
    a forger would: the hashes only prove the file is whole, not that it is sane. `raw`, if
    given, edits the JSON text after that."""
    return _rewrite(data, _edit_data(change, raw))


def _set(path, value):
    """A change that sets data[path[0]][path[1]]... to `value`."""

    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["memberships", 0, "role"], "superadmin", r"Membership of '\w+'.*role.*not a valid"),
        (["investigation", "slug"], "../evil/x y", "The investigation.*slug"),
        (["investigation", "title"], "T" * 5000, "The investigation.*title.*at most 200"),
        (["sources", 0, "title"], "T" * 5000, r"Source \d+.*title.*at most 300"),
        (["sources", 0, "title"], "", r"Source \d+.*title.*cannot be blank"),
        (["sources", 0, "origin_url"], "javascript:alert(1)", r"Source \d+.*origin_url"),
        (["sources", 0, "origin_url"], "ftp://example.org/a", r"Source \d+.*http and https"),
        (["evidence", 0, "url"], "javascript:alert(1)", r"Evidence \d+.*url"),
        (["evidence", 0, "url"], "ftp://example.org/a", r"Evidence \d+.*http and https"),
        (["snapshots", 0, "final_url"], "javascript:x", r"Snapshot \d+.*final_url"),
        (["claims", 0, "status"], "approved", r"Claim \d+.*status.*not a valid"),
        (["claims", 0, "priority"], 99, r"Claim \d+.*priority"),
        (["verdicts", 0, "rating"], "pants on fire", r"Verdict \d+.*rating"),
        (["verdicts", 0, "rationale"], "x" * 10_001, r"Verdict \d+.*rationale.*at most 10,000"),
        (["citations", 0, "excerpt"], "x" * 5_001, r"Citation \d+.*excerpt"),
        (["comments", 0, "body"], "x" * 10_001, r"Comment \d+.*body"),
        (["audit_events", 0, "action"], "a" * 51, r"Audit event \d+.*action"),
        (["tags"], ["t" * 51], "Tag 't{5}"),
        (["users", 0, "username"], "no spaces allowed", "User 'no spaces allowed'.*username"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 20 else None,
)
def test_an_invalid_row_refuses_the_whole_import_naming_the_row(
    exported, media, path, value, message
):
    if path[0] == "users":  # a user named in the file must be the one its rows point at
        value_change = _set(path, value)

        def change(document):
            old = document["users"][0]["username"]
            value_change(document)
            text = json.dumps(document).replace(f'"{old}"', json.dumps(value))
            document.clear()
            document.update(json.loads(text))
    else:
        change = _set(path, value)
    _refused(_with_data(exported, change), media, message)


def test_a_file_nested_too_deep_to_parse_is_refused(exported, media):
    deep = "[" * 200_000 + "]" * 200_000
    data = _with_data(
        exported,
        _set(["snapshots", 0, "metadata"], "DEEP"),
        raw=lambda text: text.replace('"DEEP"', deep),
    )
    _refused(data, media, "nested too deeply")


def test_json_values_nested_deeper_than_a_workbench_writes_are_refused(exported, media):
    nested = []
    for _ in range(100):
        nested = [nested]
    _refused(
        _with_data(exported, _set(["audit_events", 0, "after"], nested)),
        media,
        r"Audit event \d+.*after.*nested",
    )


def test_the_import_command_names_the_bad_row_in_one_line(exported, media, tmp_path):
    path = tmp_path / "forged.zip"
    path.write_bytes(_with_data(exported, _set(["memberships", 0, "role"], "superadmin")))
    counts = _counts()
    with pytest.raises(CommandError) as error:
        call_command("import_investigation", str(path))
    message = str(error.value)
    assert message.startswith("Nothing imported. Membership of ")
    assert "superadmin" in message
    assert "\n" not in message
    assert _counts() == counts


def _chain(investigation):
    return list(
        investigation.audit_events.order_by("seq").values_list(
            "seq", "prev_sha256", "sha256", "actor_username", "action", "created_at"
        )
    )


def test_the_audit_chain_arrives_as_it_was_and_verifies(report_world, media, capsys):
    investigation = report_world["investigation"]
    chain, head = _chain(investigation), audit.chain_head(investigation)
    data = _export(investigation)
    investigation.delete()

    copy = transfer.import_investigation(io.BytesIO(data))

    assert _chain(copy) == chain
    assert audit.chain_head(copy) == head
    call_command("verify_audit", "--investigation", copy.slug)
    assert capsys.readouterr().out == (
        f"flood-2026: {head[0]} events, intact; head seq {head[0]} SHA-256 {head[1]}\n"
    )


def _events_in(exported):
    return json.loads(zipfile.ZipFile(io.BytesIO(exported)).read("investigation.json"))[
        "audit_events"
    ]


def test_an_edited_audit_event_is_refused_with_one_line(exported, media):
    seq = next(e["seq"] for e in _events_in(exported) if e["action"] == "verdict.propose")

    def soften(data):
        event = next(e for e in data["audit_events"] if e["seq"] == seq)
        event["after"]["rationale"] = "Nobody checked."

    _refused(
        _rewrite(exported, _edit_data(soften)),
        media,
        rf"^The audit history does not verify at event seq {seq} \(content changed\)\.$",
    )


def test_a_history_cut_short_in_the_file_is_refused(exported, media):
    count = len(_events_in(exported))

    def drop_newest(data):
        data["audit_events"].pop()

    _refused(
        _rewrite(exported, _edit_data(drop_newest)),
        media,
        rf"does not verify at event seq {count} \(missing seq \(deleted\)\)",
    )


def test_a_file_from_before_the_chain_gets_a_new_one(report_world, media):
    investigation = report_world["investigation"]
    history = _history(investigation)
    data = _export(investigation)
    investigation.delete()

    def version_1(members):
        _edit_data(_without_chain)(members)
        manifest = json.loads(members["manifest.json"])
        manifest["version"] = 1
        members["manifest.json"] = json.dumps(manifest).encode()

    copy = transfer.import_investigation(io.BytesIO(_rewrite(data, version_1)))

    assert _history(copy) == history
    assert audit.verify(copy).is_intact
    assert audit.chain_head(copy)[0] == len(history)


def _without_chain(data):
    data["version"] = 1
    del data["investigation"]["audit_head"]
    for event in data["audit_events"]:
        for name in ("seq", "prev_sha256", "sha256", "actor_username"):
            del event[name]


def _measures():
    return sorted(
        Quantity.objects.values_list("text", "measure", "measure_reason", "measure_set_by_reviewer")
    )


def test_what_each_number_counts_travels_with_it(report_world, media):
    chosen = Quantity.objects.filter(claim__investigation=report_world["investigation"]).first()
    Quantity.objects.filter(pk=chosen.pk).update(
        measure=Quantity.Measure.DETAINED,
        measure_reason="the reviewer read it as arrests",
        measure_set_by_reviewer=True,
    )
    before = _measures()
    assert "the reviewer read it as arrests" in {reason for _, _, reason, _ in before}
    data = _export(report_world["investigation"])
    report_world["investigation"].delete()
    transfer.import_investigation(io.BytesIO(data))
    assert _measures() == before


def test_a_file_without_measures_has_them_read_from_the_text(exported, media):
    def as_version_2(document):
        document["version"] = 2
        for record in document["quantities"]:
            for name in ("measure", "measure_reason", "measure_set_by_reviewer"):
                del record[name]

    def manifest_version_2(members):
        manifest = json.loads(members["manifest.json"])
        manifest["version"] = 2
        members["manifest.json"] = json.dumps(manifest).encode()

    older = _rewrite(_with_data(exported, as_version_2), manifest_version_2)
    transfer.import_investigation(io.BytesIO(older))
    quantities = list(Quantity.objects.select_related("claim__source"))
    assert quantities
    for quantity in quantities:
        expected = measure_of(
            quantity.claim.source.text, quantity.start, quantity.end, quantity.kind, quantity.unit
        )
        assert (quantity.measure, quantity.measure_set_by_reviewer) == (expected.name, False)
    assert {q.measure for q in quantities} - {Quantity.Measure.OTHER}  # crowds, arrests: read


def _occasions():
    return sorted(Quantity.objects.values_list("text", "start", "stated_on", "place"))


def test_the_date_and_place_of_each_number_travel_with_it(report_world, media):
    investigation = report_world["investigation"]
    chosen = Quantity.objects.filter(claim__investigation=investigation).first()
    # Values no reading of the text gives: the file, not a new extraction, must carry them.
    Quantity.objects.filter(pk=chosen.pk).update(stated_on=date(2021, 2, 3), place="Nowhere Square")
    before = _occasions()
    assert (chosen.text, chosen.start, date(2021, 2, 3), "Nowhere Square") in before
    data = _export(investigation)
    document = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("investigation.json"))
    assert document["version"] == transfer.TRANSFER_VERSION
    investigation.delete()
    transfer.import_investigation(io.BytesIO(data))
    assert _occasions() == before


def test_a_version_3_file_has_dates_and_places_read_from_the_text(report_world, bob, media):
    investigation = report_world["investigation"]
    text = "On 8 January police said 9,900 people had been detained in Almaty."
    source = make_source(investigation, text=text, title="Police", published_on=date(2022, 1, 15))
    make_claim(source, text, bob)
    exported = _export(investigation)
    investigation.delete()

    def as_version_3(document):
        document["version"] = 3
        for record in document["quantities"]:
            del record["stated_on"]
            del record["place"]

    def manifest_version_3(members):
        manifest = json.loads(members["manifest.json"])
        manifest["version"] = 3
        members["manifest.json"] = json.dumps(manifest).encode()

    older = _rewrite(_with_data(exported, as_version_3), manifest_version_3)
    transfer.import_investigation(io.BytesIO(older))
    quantities = list(Quantity.objects.select_related("claim__source"))
    assert quantities
    for quantity in quantities:
        source = quantity.claim.source
        expected = occasion_of(
            source.text, quantity.start, quantity.end, source.published_on, quantity.kind
        )
        assert (quantity.stated_on, quantity.place) == (expected.on, expected.place)
    police = Quantity.objects.get(text="9,900")
    assert (police.stated_on, police.place) == (date(2022, 1, 8), "Almaty")


def test_a_stated_date_that_is_not_a_date_is_refused(exported, media):
    def bad_date(document):
        document["quantities"][0]["stated_on"] = "2022-13-40"

    _refused(_with_data(exported, bad_date), media, r"Quantity .* is invalid")


def test_an_archived_investigation_that_requires_a_second_factor_stays_so(report_world, media):
    """Both are the investigation's protection, and its history says they were set: a copy
    that quietly dropped them would open what its team had closed."""
    investigation = report_world["investigation"]
    archived_at = FIXED_NOW
    Investigation.objects.filter(pk=investigation.pk).update(
        archived_at=archived_at, require_second_factor=True
    )
    investigation.refresh_from_db()
    data = _export(investigation)
    investigation.delete()
    get_user_model().objects.all().delete()

    copy = transfer.import_investigation(io.BytesIO(data))

    copy.refresh_from_db()
    assert copy.archived_at == archived_at
    assert copy.require_second_factor is True


def test_a_copy_without_the_flags_imports_open(exported, media):
    """Files written before the flags travelled import as before: open, not archived."""

    def drop_flags(data):
        del data["investigation"]["archived_at"], data["investigation"]["require_second_factor"]

    copy = transfer.import_investigation(io.BytesIO(_with_data(exported, drop_flags)))
    assert copy.archived_at is None
    assert copy.require_second_factor is False


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("require_second_factor", "yes", "require_second_factor is not true or false"),
        ("archived_at", "last week", "archived_at is not a date and time"),
        ("archived_at", "2026-11-01T12:00:00", "archived_at has no time zone"),
    ],
)
def test_flags_a_form_never_writes_create_nothing(exported, media, key, value, message):
    def set_flag(data):
        data["investigation"][key] = value

    _refused(_with_data(exported, set_flag), media, message)
