"""Move a whole investigation to another installation: export_investigation / import_investigation.

The file is a zip with `investigation.json` (every row, people named by username), the stored
files (source originals, snapshot bodies) under `files/`, and `manifest.json` with the SHA-256
of each. Nothing is lost on the way: timestamps are kept to the microsecond and rows keep their
order, so a report of the imported copy has the same digest (`report_sha256`) as the original.

Importing reads untrusted input. It accepts only the member names it writes itself (so a name
like "../../etc/passwd" can never become a path: stored files get names of our choosing under
MEDIA_ROOT), reads the zip within the bounds of claims/sources/unpacking.py (entries, bytes, zip
bombs) holding only the data and the manifest in memory, checks every hash before it reads a
row, validates every row, and writes everything in one transaction: a damaged or foreign file
raises TransferError with one line and leaves the database and media as they were.

The audit history travels with its hash chain (audit_chain.py): each event's seq, prev_sha256
and sha256, and the head the investigation records. The import recreates them as they were
and refuses a file whose history does not verify, such as one with an event edited in the
JSON. A file of version 1, written before the chain existed, gets a new chain on import.

A translation keeps its original (Source.translation_of) and each translated claim the claim
of the original it renders (Claim.original), both named by key (version 5). The import refuses
a pairing the workbench itself would refuse: an original the file does not hold, a source that
is its own translation through any chain, a claim whose original is not a claim of its
source's original.

Version 6 carries what came since, and each evidence item's collection log (who collected or
re-checked what, when, with which hash). Uploaded files (EvidenceFile): the original under `files/`
with its SHA-256 in the manifest, and its row (hash, type, size, name, uploader, time,
metadata). The import checks the original as an upload is checked (claims/evidence/files.py:
type read from the bytes, never from the JSON; complete; within the limits), refuses a record
that names another type, hash or size than the bytes show, and encodes the clean copy and
thumbnail of a picture again from the original (_Importer._evidence_files says why). Decided
similar-claim links (confirmed same, contradicts, rejected; who decided and when): suggestions
are not carried but made again by the matcher after the import. A link to a claim of another
investigation cannot travel (the other claim is not in the file, and the members of this one
may not see it): it is left out of the file, as is the testimony of an evidence item whose
claim has moved to another investigation. Testimony cited as evidence (Evidence.testimony,
links.cite_testimony) names the claim it quotes by key. The import refuses a link naming a
claim the file does not hold, a claim linked to itself, a pair linked twice, and a decision
the workbench never records.
"""

import contextlib
import functools
import hashlib
import json
import re
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from claims.columns import data_columns
from claims.consistency import consistent_reads
from claims.corroboration import matching
from claims.evidence import files as evidence_files
from claims.extraction import measure_of, occasion_of
from claims.models import (
    AuditEvent,
    Claim,
    ClaimEvidence,
    ClaimLink,
    ClaimStatus,
    CollectionLogEntry,
    Comment,
    Evidence,
    EvidenceFile,
    Investigation,
    Membership,
    Quantity,
    Snapshot,
    Source,
    Tag,
    Verdict,
    refresh_snapshot_pointers,
)
from claims.review import audit, audit_chain, signoff
from claims.sources.unpacking import BoundedZip, ZipRefused

TRANSFER_FORMAT = "factcheck-investigation"
TRANSFER_VERSION = 6
# Version 1 is version 2 without the audit chain; version 2 is version 3 without what each
# number counts (its measure); version 3 is version 4 without the date and place each number's
# sentence states; version 4 is version 5 without translations (their sources and claims come
# unpaired); version 5 is version 6 without uploaded files, decided similar-claim links and
# which claim a testimony citation quotes (their evidence items come as typed evidence).
READABLE_VERSIONS = (1, 2, 3, 4, 5, 6)
DATA_FILE = "investigation.json"
MANIFEST = "manifest.json"
_COPY_CHUNK = 1024 * 1024
# The names the exporter gives attached files, and no others: a kind and a row's key.
_FILE_MEMBER = re.compile(r"files/(original|snapshot|evidence)-\d{1,19}")


class TransferError(Exception):
    """The file cannot be imported; the message is one line for the person who tried."""


# Field lists: everything a row holds except its id and its links to other rows, which the
# records name by key (the row's id in the exporting installation) or by username. Read from
# the models (claims/columns.py); what a file does not carry is named here, with why.
_SOURCE_FIELDS = data_columns(
    Source,
    without=[
        "original_file",  # travels beside the data, as a file of its own
        # The extraction worker's own state, not the investigation's data.
        "extraction_status",
        "extraction_error",
        "extraction_queued_at",
        "extraction_started_at",
    ],
)
_CLAIM_FIELDS = data_columns(Claim)
_QUANTITY_FIELDS = data_columns(Quantity)
# What a number counts came with version 3; a number from an older file has its measure read
# from the source text again, as extraction reads it.
_MEASURE_FIELDS = ("measure", "measure_reason", "measure_set_by_reviewer")
# The stated date and place came with version 4; older files have them read from the text.
_OCCASION_FIELDS = ("stated_on", "place")
_EVIDENCE_FIELDS = data_columns(Evidence)
_CITATION_FIELDS = data_columns(ClaimEvidence)
_SNAPSHOT_FIELDS = data_columns(
    Snapshot,
    without=[
        "body",  # travels beside the data, as a file of its own
        "started_at",  # when a worker took the capture: the worker's state
    ],
)
_VERDICT_FIELDS = data_columns(Verdict)
_EVIDENCE_FILE_FIELDS = data_columns(
    EvidenceFile,
    without=[
        "file",  # travels beside the data, as a file of its own
        # Made again from the original on import (see _Importer._evidence_files), never
        # taken from the file: what browsers are shown must be encoded here.
        "published_copy",
        "thumbnail",
    ],
)
# What the import reads from the original's bytes again; the record's values are only
# compared with it (a type the bytes do not show refuses the file, see _check_file_type).
_FILE_TYPE_FIELDS = ("sha256", "kind", "content_type", "size")
_PICTURE_FIELDS = (
    "published_sha256",
    "published_content_type",
    "width",
    "height",
    "metadata",
    "dhash",
)
_LOG_FIELDS = data_columns(CollectionLogEntry)
# Suggestions are the matcher's, made again after the import (matching.queue_matching); a
# link's two ends are always claims of the investigation (same_investigation).
_LINK_FIELDS = data_columns(ClaimLink, without=["same_investigation"])
DECIDED_LINKS = (
    ClaimLink.Status.CONFIRMED_SAME,
    ClaimLink.Status.CONFIRMED_CONTRADICTS,
    ClaimLink.Status.REJECTED,
)
# Fields files written before sign-offs recorded their content and citations could be
# retracted do not have; they read as these.
_LATER_FIELDS: dict[str, object] = {
    "signed_content": {},
    "signed_sha256": "",
    "voided_at": None,
    "void_reason": "",
    "voided_by": None,
    "resubmission_of": None,
    "retracted_at": None,
    "retraction_reason": "",
    "retracted_by": None,
}
_COMMENT_FIELDS = data_columns(Comment)
# The chain's fields go last, and only into files of chained histories (see _audit_events).
_AUDIT_CHAIN_FIELDS = ["actor_username", "seq", "prev_sha256", "sha256"]
_AUDIT_FIELDS = data_columns(AuditEvent, without=_AUDIT_CHAIN_FIELDS)


# --- Export -----------------------------------------------------------------------------


def export_investigation(investigation, target):
    """Write the investigation to `target` (a path or binary file) as a transfer zip.

    Every row is read from one snapshot of the database, so the audit chain's head and its
    events agree even while people work; the stored files they name, which never change once
    stored, are copied into the zip after.
    """
    with consistent_reads():
        data, files = _collect(investigation)
    _write_zip(target, data, files)


class _People:
    """The people an export names, by username: ids mean nothing on another installation."""

    def __init__(self):
        self._model = get_user_model()
        self._by_id = {}

    def who(self, user_id):
        """The username for a user id (None for None)."""
        if user_id is None:
            return None
        if user_id not in self._by_id:
            # One query per distinct person: an investigation has a handful of them.
            self._by_id[user_id] = self._model.objects.get(pk=user_id)
        return self._by_id[user_id].get_username()

    def records(self):
        """The "users" of the file: everyone named so far, by username."""
        return sorted(
            (
                {
                    "username": user.get_username(),
                    "first_name": user.first_name,
                    "last_name": user.last_name,
                }
                for user in self._by_id.values()
            ),
            key=lambda user: user["username"],
        )


def _collect(investigation):
    files: dict[str, FieldFile] = {}
    people = _People()
    who = people.who

    # JSON of every kind of row: its shape is the file format's, not one Python type.
    data: dict[str, Any] = {
        "format": TRANSFER_FORMAT,
        "version": TRANSFER_VERSION,
        "exported_at": timezone.now().isoformat(),
        "investigation": {
            "key": investigation.pk,
            "slug": investigation.slug,
            "title": investigation.title,
            "description": investigation.description,
            "created_at": _plain(investigation.created_at),
            "created_by": who(investigation.created_by_id),
            # The team's protections travel: a copy must not open what they had closed.
            "archived_at": _plain(investigation.archived_at),
            "require_second_factor": investigation.require_second_factor,
            "audit_head": dict(
                zip(["seq", "sha256"], audit.chain_head(investigation), strict=True)
            ),
        },
        "memberships": [
            {"user": who(m.user_id), "role": m.role, "created_at": _plain(m.created_at)}
            for m in investigation.memberships.order_by("pk")
        ],
        "tags": [tag.name for tag in investigation.tags.order_by("pk")],
    }

    def rows(objects, names, **links):
        """One record per row: its fields, its key, and links named by key or username.

        A link is an attribute name: `*_id` of a row (a key in this file) or of a user
        (`who`, a username).
        """
        records = []
        for obj in objects:
            record = _record(obj, names) | {"key": obj.pk}
            for name, attribute in links.items():
                value = getattr(obj, attribute)
                record[name] = who(value) if name in _PERSON_LINKS else value
            records.append(record)
        return records

    in_claims = {"claim__investigation": investigation}
    data["sources"] = rows(
        investigation.sources.order_by("pk"),
        _SOURCE_FIELDS,
        added_by="added_by_id",
        translation_of="translation_of_id",
    )
    claims = Claim.objects.filter(investigation=investigation)
    data["claims"] = rows(
        claims.order_by("pk").iterator(chunk_size=2000),
        _CLAIM_FIELDS,
        source="source_id",
        assignee="assignee_id",
        created_by="created_by_id",
        original="original_id",
    )
    for record, tags in zip(data["claims"], _claim_tags(investigation), strict=True):
        record["tags"] = tags
    data["quantities"] = rows(
        Quantity.objects.filter(**in_claims).order_by("pk"), _QUANTITY_FIELDS, claim="claim_id"
    )
    data["evidence"] = rows(
        investigation.evidence.order_by("pk"),
        _EVIDENCE_FIELDS,
        added_by="added_by_id",
        testimony="testimony_id",
    )
    claim_keys = {record["key"] for record in data["claims"]}
    for record in data["evidence"]:
        if record["testimony"] not in claim_keys:
            # A claim moved to another investigation since it was cited: it cannot travel.
            record["testimony"] = None
    data["evidence_files"] = rows(
        EvidenceFile.objects.filter(investigation=investigation).order_by("pk"),
        _EVIDENCE_FILE_FIELDS,
        evidence="evidence_id",
        uploaded_by="uploaded_by_id",
    )
    data["citations"] = rows(
        ClaimEvidence.objects.filter(**in_claims).order_by("pk"),
        _CITATION_FIELDS,
        claim="claim_id",
        evidence="evidence_id",
        added_by="added_by_id",
        retracted_by="retracted_by_id",
    )
    snapshots = Snapshot.objects.filter(evidence__investigation=investigation).order_by("pk")
    data["snapshots"] = rows(
        snapshots, _SNAPSHOT_FIELDS, evidence="evidence_id", requested_by="requested_by_id"
    )
    data["collection_log"] = rows(
        CollectionLogEntry.objects.filter(evidence__investigation=investigation).order_by("pk"),
        _LOG_FIELDS,
        evidence="evidence_id",
        snapshot="snapshot_id",
        operator="operator_id",
    )
    data["verdicts"] = rows(
        Verdict.objects.filter(**in_claims).order_by("pk"),
        _VERDICT_FIELDS,
        claim="claim_id",
        proposed_by="proposed_by_id",
        signed_off_by="signed_off_by_id",
        voided_by="voided_by_id",
        resubmission_of="resubmission_of_id",
    )
    data["claim_links"] = rows(
        ClaimLink.objects.filter(
            claim_a__investigation=investigation,
            claim_b__investigation=investigation,
            status__in=DECIDED_LINKS,
        ).order_by("pk"),
        _LINK_FIELDS,
        claim_a="claim_a_id",
        claim_b="claim_b_id",
        decided_by="decided_by_id",
    )
    comments = Comment.objects.filter(**in_claims).prefetch_related("mentions").order_by("pk")
    data["comments"] = rows(comments, _COMMENT_FIELDS, claim="claim_id", author="author_id")
    for record, comment in zip(data["comments"], comments, strict=True):
        record["mentions"] = sorted(who(user.pk) for user in comment.mentions.all())
    data["audit_events"] = rows(
        investigation.audit_events.order_by("seq").iterator(chunk_size=2000),
        _AUDIT_FIELDS + _AUDIT_CHAIN_FIELDS,
        claim="claim_id",
        actor="actor_id",
    )
    _attach_stored_files(investigation, snapshots, data, files)
    data["users"] = people.records()
    return data, files


def _attach_stored_files(investigation, snapshots, data, files):
    """Put source originals, snapshot bodies and uploaded originals in `files`, under names of
    our own, and name them in the records of `data` they belong to."""
    sources_by_key = {record["key"]: record for record in data["sources"]}
    for source in investigation.sources.exclude(original_file=""):
        sources_by_key[source.pk]["original_file"] = _attach(
            files, f"original-{source.pk}", source.original_file
        )
    snapshots_by_key = {record["key"]: record for record in data["snapshots"]}
    for snapshot in snapshots.exclude(body=""):
        snapshots_by_key[snapshot.pk]["body"] = _attach(
            files, f"snapshot-{snapshot.pk}", snapshot.body
        )
    uploads_by_key = {record["key"]: record for record in data["evidence_files"]}
    for stored in EvidenceFile.objects.filter(investigation=investigation):
        uploads_by_key[stored.pk]["file"] = _attach(files, f"evidence-{stored.pk}", stored.file)


# Links that name a person; the others name another row of the file by its key.
_PERSON_LINKS = frozenset(
    {"added_by", "assignee", "created_by", "requested_by", "proposed_by", "signed_off_by"}
    | {"author", "actor", "voided_by", "retracted_by", "uploaded_by", "decided_by", "operator"}
)


def _record(obj, names):
    return {name: _plain(getattr(obj, name)) for name in names}


def _claim_tags(investigation):
    """Tag names of each claim, in claim id order (one query for all of them)."""
    through = Claim.tags.through
    tags: dict[int, list[str]] = {}
    links = through.objects.filter(claim__investigation=investigation).select_related("tag")
    for link in links:
        tags.setdefault(link.claim_id, []).append(link.tag.name)
    claim_ids = Claim.objects.filter(investigation=investigation).order_by("pk")
    return [sorted(tags.get(pk, [])) for pk in claim_ids.values_list("pk", flat=True)]


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _attach(files, member, field_file):
    """Name the stored `field_file` in `files` as `member`; _write_zip copies it in."""
    extension = PurePosixPath(field_file.name).suffix.lower()
    files[f"files/{member}"] = field_file
    return {"member": f"files/{member}", "extension": extension}


def _write_zip(target, data, files):
    """The data, each stored file and, last, the manifest with the SHA-256 of each.

    Stored files are copied a chunk at a time and hashed on the way: a video may be hundreds
    of megabytes, and an investigation may cite many. The manifest goes last, so that each
    file is read once; the import finds it by name.
    """
    body = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    hashes = {DATA_FILE: hashlib.sha256(body).hexdigest()}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DATA_FILE, body)
        for name, field_file in files.items():
            digest = hashlib.sha256()
            with field_file.open("rb") as stored, archive.open(name, "w", force_zip64=True) as out:
                for chunk in iter(functools.partial(stored.read, _COPY_CHUNK), b""):
                    digest.update(chunk)
                    out.write(chunk)
            hashes[name] = digest.hexdigest()
        manifest = {"format": TRANSFER_FORMAT, "version": TRANSFER_VERSION, "files": hashes}
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))


# --- Import -----------------------------------------------------------------------------


def import_investigation(source):
    """Create the investigation stored in the transfer zip `source` (path or binary file).

    Returns the new Investigation, with `transfer_notes`: lines saying what was imported but
    not exactly as exported (a picture's clean copy encoded differently here). Raises
    TransferError, having created nothing, when the file is not a transfer zip, is damaged,
    is too large, names an existing slug, or holds a row or a file the workbench would refuse.
    Users are matched by username; missing ones are created inactive, without a password,
    for an administrator to activate.
    """
    try:
        archive = BoundedZip(source)
    except ZipRefused as error:
        raise TransferError(str(error)) from error
    with archive:
        members, hashes = _read_members(archive)
        data = _load_data(members, hashes)
        # Attached files are copied out of the zip again as they are stored.
        archive.start_again()
        return _import_rows(data, archive, hashes)


def _import_rows(data, archive, hashes):
    saved_files: list[str] = []
    try:
        with transaction.atomic():
            importer = _Importer(data, archive, hashes, saved_files)
            investigation = importer.run()
            investigation.transfer_notes = importer.notes
            return investigation
    except TransferError:
        _delete_files(saved_files)
        raise
    except (
        ValidationError,
        DatabaseError,
        AttributeError,
        KeyError,
        TypeError,
        ValueError,
        RecursionError,
    ) as error:
        # Rows are validated one by one (_check) and refused by name; this is for what holds
        # rows together: a key that names no row, a list where a record should be.
        _delete_files(saved_files)
        message = "; ".join(error.messages) if isinstance(error, ValidationError) else error
        message = _shorten_line(f"The investigation file is inconsistent: {message}")
        raise TransferError(message) from error


def _read_members(archive):
    """({name: bytes} of the manifest and the data, {name: SHA-256} of the attached files).

    The attached files are hashed on the way through, never held: an import of a few
    gigabytes of archived pages needs memory for its data, not its pages.
    """
    names = [info.filename for info in archive.infos]
    if MANIFEST not in names or DATA_FILE not in names:
        raise TransferError("Not an investigation export: manifest.json or data is missing.")
    if len(set(names)) != len(names):
        raise TransferError("The file lists an entry twice.")
    for name in names:
        if name not in (MANIFEST, DATA_FILE) and not _FILE_MEMBER.fullmatch(name):
            raise TransferError(f"Not an investigation export: unexpected entry {name!r}.")
    members, hashes = {}, {}
    try:
        for info in archive.infos:
            if info.filename in (MANIFEST, DATA_FILE):
                members[info.filename] = archive.read(info)
            else:
                hashes[info.filename] = archive.sha256(info)
    except ZipRefused as error:
        raise TransferError(str(error)) from error
    return members, hashes


def _load_data(members, hashes):
    manifest = _parse_json(members[MANIFEST], "The manifest")
    if not isinstance(manifest, dict) or manifest.get("format") != TRANSFER_FORMAT:
        raise TransferError("Not an investigation export (its manifest names another format).")
    if manifest.get("version") not in READABLE_VERSIONS:
        raise TransferError(f"Unsupported export version {manifest.get('version')!r}.")
    _check_entries_of_version(manifest["version"], hashes)
    listed = manifest.get("files")
    if not isinstance(listed, dict) or set(listed) != {DATA_FILE, *hashes}:
        raise TransferError("The file's entries do not match its manifest.")
    hashes = hashes | {DATA_FILE: hashlib.sha256(members[DATA_FILE]).hexdigest()}
    for name, expected in listed.items():
        if hashes[name] != expected:
            raise TransferError(f"The file is damaged: {name} does not match its SHA-256.")
    data = _parse_json(members[DATA_FILE], "The investigation data")
    if not isinstance(data, dict) or data.get("format") != TRANSFER_FORMAT:
        raise TransferError("Not an investigation export (unknown data format).")
    if data.get("version") != manifest["version"]:
        raise TransferError("The investigation data and its manifest name different versions.")
    return data


def _check_entries_of_version(version, names):
    """Refuse an entry of a kind the exporter of `version` never wrote."""
    if version >= 6:
        return
    for name in names:
        if name.startswith("files/evidence-"):  # uploaded files came with version 6
            raise TransferError(f"Not an investigation export: unexpected entry {name!r}.")


def _parse_json(raw, what):
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TransferError(f"{what} is damaged: {error}.") from error
    # The parser recurses once per level of nesting; "[" repeated 200,000 times exhausts
    # Python's stack. The C parser raises cleanly, and no export nests more than a few levels.
    except RecursionError as error:
        raise TransferError(f"{what} is nested too deeply to be an export.") from error


def _delete_files(names):
    for name in names:
        default_storage.delete(name)


class _Importer:
    """Creates the rows of one transfer file, mapping its keys to the new ids.

    Every row is validated as a form would validate it before anything is inserted (see
    _check): a file whose hashes match can still have been written by hand, and bulk_create
    takes whatever it is given. A role the code does not know made its members' home page fail;
    a slug that no URL can hold, every page of the investigation.
    """

    def __init__(self, data, archive, hashes, saved_files):
        self.data = data
        self.archive = archive
        self.hashes = hashes
        self.saved_files = saved_files
        # What was imported, but not exactly as it was exported: lines for the importer.
        self.notes: list[str] = []

    def run(self):
        data = self.data
        for name in ("citations", "verdicts"):
            data[name] = [_LATER_FIELDS | record for record in data[name]]
        # What the reading of a scan found came later too; sources of older files are texts.
        data["sources"] = [{"recognition": {}} | record for record in data["sources"]]
        if data["version"] < 6:
            # Uploaded files, decided links and collection logs came with version 6; what an
            # older file holds under these names was not written by an exporter: not read.
            data["evidence_files"], data["claim_links"], data["collection_log"] = [], [], []
        head = data["investigation"]
        self.users = self._users()
        investigation = Investigation(
            slug=head["slug"],
            title=head["title"],
            description=head["description"],
            created_by=self._user(head["created_by"]),
        )
        _check(investigation, "The investigation")
        if Investigation.objects.filter(slug=investigation.slug).exists():
            raise TransferError(
                f"An investigation with slug {investigation.slug!r} already exists here."
            )
        investigation.save()
        _keep_times(Investigation, [(investigation, head)], ["created_at"])
        self.investigation = investigation
        memberships = []
        for record in data["memberships"]:
            membership = Membership(
                investigation=investigation, user=self._user(record["user"]), role=record["role"]
            )
            _check(membership, f"Membership of {_short(record['user'])}")
            memberships.append((membership, record))
        _create(Membership, memberships, ["created_at"])
        self.tags = {}
        for name in data["tags"]:
            tag = Tag(investigation=investigation, name=name)
            _check(tag, f"Tag {_short(name)}")
            tag.save()
            self.tags[name] = tag
        self._sources()
        self._claims()
        self._claim_links()
        self._evidence()
        self._evidence_files()
        self._collection_log()
        self._verdicts_and_comments()
        self._audit_events()
        self._protections(head)
        # Suggested links and the matcher's word index are the worker's to make again.
        matching.queue_matching(claim.pk for claim in self.claims.values())
        return investigation

    def _protections(self, head):
        """Archive and second-factor requirement last: an archived investigation refuses
        the writes that filled it. Files written before these travelled have neither."""
        archived_at = head.get("archived_at")
        required = head.get("require_second_factor", False)
        if not isinstance(required, bool):
            raise TransferError("The investigation's require_second_factor is not true or false.")
        try:
            archived = datetime.fromisoformat(archived_at) if archived_at is not None else None
        except (TypeError, ValueError) as error:
            raise TransferError(
                "The investigation's archived_at is not a date and time."
            ) from error
        if archived is not None and archived.tzinfo is None:
            raise TransferError("The investigation's archived_at has no time zone.")
        Investigation.objects.filter(pk=self.investigation.pk).update(
            archived_at=archived, require_second_factor=required
        )
        self.investigation.archived_at = archived
        self.investigation.require_second_factor = required

    def _users(self):
        User = get_user_model()
        records = {user["username"]: user for user in self.data["users"]}
        users = {user.get_username(): user for user in User.objects.filter(username__in=records)}
        for username, record in records.items():
            if username not in users:
                user = User(
                    username=username,
                    first_name=record["first_name"],
                    last_name=record["last_name"],
                    is_active=False,
                )
                user.set_unusable_password()
                _check(user, f"User {_short(username)}", exclude=["password"])
                user.save()
                users[username] = user
        return users

    def _user(self, username):
        return None if username is None else self.users[username]

    def _row(self, model, label, record, names, *, exclude=(), **links):
        """A new, validated `model` row from `record`'s fields `names` and the given links."""
        try:
            row = model(**links, **_values(model, record, names))
        except KeyError as error:
            raise TransferError(f"{label} is invalid: it has no {error.args[0]!r}.") from error
        except (TypeError, ValueError) as error:
            raise TransferError(f"{label} is invalid: {_shorten_line(str(error))}") from error
        _check(row, label, exclude=exclude)
        return row

    def _file(self, field_file, reference):
        """Store an attached file under a name we choose (never the zip's), inside MEDIA_ROOT.

        The file goes from the zip to a temporary file a chunk at a time, and from there to
        storage: never whole in memory.
        """
        extension = reference.get("extension", "")
        if not re.fullmatch(r"(\.[a-z0-9]{1,8})?", extension):
            extension = ""
        with self._spooled(reference) as (spool, digest):
            field_file.save(f"{digest[:32]}{extension}", File(spool), save=False)
        self.saved_files.append(field_file.name)
        return digest

    @contextlib.contextmanager
    def _spooled(self, reference):
        """(temporary file, SHA-256) of the zip member `reference` names, copied out of the
        zip a chunk at a time and checked against the hash its manifest gives."""
        member = reference["member"]
        with tempfile.TemporaryFile() as spool:
            try:
                digest = self.archive.copy(self.archive.getinfo(member), spool)
            except ZipRefused as error:
                raise TransferError(str(error)) from error
            # Checked when the zip was first read; a file that changed since is not this one.
            if digest != self.hashes[member]:
                raise TransferError(f"The file is damaged: {member} changed while importing.")
            spool.seek(0)
            yield spool, digest

    def _sources(self):
        self.sources = {}
        for record in self.data["sources"]:
            source = self._row(
                Source,
                f"Source {record['key']}",
                record,
                [name for name in _SOURCE_FIELDS if name not in ("text_sha256", "created_at")],
                # Both are computed below: the hash by save(), the file by _file().
                exclude=["text_sha256", "original_file"],
                investigation=self.investigation,
                added_by=self._user(record["added_by"]),
            )
            if "original_file" in record:
                self._file(source.original_file, record["original_file"])
            source.save()
            if source.text_sha256 != record["text_sha256"]:
                raise TransferError(f"Source {record['key']}: its text does not match its hash.")
            _keep_times(Source, [(source, record)], ["created_at"])
            self.sources[record["key"]] = source
        self._pair_translations()

    def _pair_translations(self):
        """Point each translation at its original, once every source of the file exists."""
        originals = {}
        for record in self.data["sources"]:
            key = record.get("translation_of")  # files before version 5 have none
            if key is None:
                continue
            if _row_key(key) not in self.sources:
                named = f"source {key}" if _row_key(key) is not None else _short(key)
                raise TransferError(
                    f"Source {record['key']} is the translation of {named}, which the file "
                    "does not hold."
                )
            originals[record["key"]] = key
        for key in originals:
            step, steps = originals[key], 0
            while step in originals and step != key and steps < len(originals):
                step, steps = originals[step], steps + 1
            if step == key:
                raise TransferError(
                    f"Source {key} cannot be the translation of itself or of its own translation."
                )
        paired = []
        for key, original_key in originals.items():
            self.sources[key].translation_of = self.sources[original_key]
            paired.append(self.sources[key])
        Source.objects.bulk_update(paired, ["translation_of"])

    def _claims(self):
        rows = []
        for record in self.data["claims"]:
            # bulk_create skips Claim.save(); validating runs Claim.clean(), which checks the
            # anchor: an export whose quotes no longer sit at their offsets is damaged.
            claim = self._row(
                Claim,
                f"Claim {record['key']}",
                record,
                _CLAIM_FIELDS,
                investigation=self.investigation,
                source=self.sources[record["source"]],
                assignee=self._user(record["assignee"]),
                created_by=self._user(record["created_by"]),
            )
            rows.append((claim, record))
        _create(Claim, rows, ["created_at", "updated_at"])
        self.claims = {record["key"]: claim for claim, record in rows}
        self._link_translated_claims(rows)
        through = Claim.tags.through
        through.objects.bulk_create(
            through(claim_id=claim.pk, tag_id=self.tags[name].pk)
            for claim, record in rows
            for name in record["tags"]
        )
        measured = self.data["version"] >= 3
        placed = self.data["version"] >= 4
        missing = (() if measured else _MEASURE_FIELDS) + (() if placed else _OCCASION_FIELDS)
        fields = [name for name in _QUANTITY_FIELDS if name not in missing]
        quantities = [
            self._row(
                Quantity,
                f"Quantity {record['key']}",
                record,
                fields,
                claim=self.claims[record["claim"]],
                investigation=self.investigation,
            )
            for record in self.data["quantities"]
        ]
        for quantity in quantities:
            if not measured:
                _measure_again(quantity)
            if not placed:
                _place_again(quantity)
        Quantity.objects.bulk_create(quantities)

    def _link_translated_claims(self, rows):
        """Point each translated claim at the claim of the original it renders."""
        linked = []
        for claim, record in rows:
            key = record.get("original")  # files before version 5 have none
            if key is None:
                continue
            original = self.claims.get(_row_key(key))
            if original is None or original.source_id != claim.source.translation_of_id:
                named = f"claim {key}" if _row_key(key) is not None else _short(key)
                raise TransferError(
                    f"Claim {record['key']} translates {named}, which is not a claim of its "
                    "source's original."
                )
            claim.original = original
            linked.append(claim)
        Claim.objects.bulk_update(linked, ["original"])

    def _claim_links(self):
        """The decided links between claims of the file, refused unless each joins two claims
        of the file with a decision the workbench records (links.decide)."""
        rows, pairs = [], set()
        for record in self.data["claim_links"]:
            label = f"Link {record['key']}"
            ends = [record["claim_a"], record["claim_b"]]
            for end in ends:
                if _row_key(end) not in self.claims:
                    raise TransferError(
                        f"{label} names {_claim_name(end)}, which the file does not hold."
                    )
            if ends[0] == ends[1]:
                raise TransferError(f"{label} links claim {ends[0]} to itself.")
            if record["status"] not in DECIDED_LINKS or not record["decided_at"]:
                raise TransferError(
                    f"{label} records the decision {_short(record['status'])}"
                    f"{'' if record['decided_at'] else ' without a time'}, which the workbench "
                    "never writes."
                )
            claim_a, claim_b = sorted((self.claims[end] for end in ends), key=lambda c: c.pk)
            if (claim_a.pk, claim_b.pk) in pairs:
                raise TransferError(f"{label} links claims {ends[0]} and {ends[1]} a second time.")
            pairs.add((claim_a.pk, claim_b.pk))
            link = self._row(
                ClaimLink,
                label,
                record,
                _LINK_FIELDS,
                claim_a=claim_a,
                claim_b=claim_b,
                decided_by=self._user(record["decided_by"]),
                same_investigation=True,
            )
            rows.append((link, record))
        _create(ClaimLink, rows, ["created_at", "updated_at"])
        self.links = {record["key"]: link for link, record in rows}

    def _evidence(self):
        rows = []
        for record in self.data["evidence"]:
            testimony = record.get("testimony")  # files before version 6 have none
            if testimony is not None and _row_key(testimony) not in self.claims:
                raise TransferError(
                    f"Evidence {record['key']} quotes {_claim_name(testimony)} as testimony, "
                    "which the file does not hold."
                )
            row = self._row(
                Evidence,
                f"Evidence {record['key']}",
                record,
                _EVIDENCE_FIELDS,
                investigation=self.investigation,
                added_by=self._user(record["added_by"]),
                testimony=None if testimony is None else self.claims[testimony],
            )
            rows.append((row, record))
        _create(Evidence, rows, ["created_at"])
        evidence = {record["key"]: item for item, record in rows}
        self.evidence = evidence
        citations = [
            (
                self._row(
                    ClaimEvidence,
                    f"Citation {record['key']}",
                    record,
                    _CITATION_FIELDS,
                    claim=self.claims[record["claim"]],
                    evidence=evidence[record["evidence"]],
                    added_by=self._user(record["added_by"]),
                    retracted_by=self._user(record["retracted_by"]),
                ),
                record,
            )
            for record in self.data["citations"]
        ]
        _create(ClaimEvidence, citations, ["created_at"])
        self.citations = {record["key"]: citation for citation, record in citations}
        snapshots = []
        for record in self.data["snapshots"]:
            snapshot = self._row(
                Snapshot,
                f"Snapshot {record['key']}",
                record,
                _SNAPSHOT_FIELDS,
                exclude=["body"],  # stored below, under a name of our own
                evidence=evidence[record["evidence"]],
                requested_by=self._user(record["requested_by"]),
            )
            if "body" in record:
                self._file(snapshot.body, record["body"])
            snapshots.append((snapshot, record))
        _create(Snapshot, snapshots, ["created_at"])
        # bulk_create skips Snapshot.save(), which keeps these pointers.
        refresh_snapshot_pointers([page.pk for page in evidence.values()])
        self.snapshots = {record["key"]: snapshot for snapshot, record in snapshots}

    def _evidence_files(self):
        """Store each uploaded original after checking it as an upload is checked
        (files.check_file: its type read from its bytes, complete, within the limits), and
        make the clean copy and thumbnail of a picture again from it, here.

        The copies are not taken from the file: a hash in a manifest proves only that the
        bytes are the ones its writer listed, and a copy written by hand could hold anything
        (a script, a location) that browsers and published bundles would then be given.
        Encoded by the same Pillow (constraints.txt), a copy comes out byte for byte as the
        exporter's, so reports keep their digest; when it does not (another Pillow), the
        import says so in `notes` and the reports state the new copy's SHA-256.
        """
        rows = []
        for record in self.data["evidence_files"]:
            label = f"File evidence {record['key']}"
            if _row_key(record["evidence"]) not in self.evidence:
                raise TransferError(
                    f"{label} belongs to evidence {_short(record['evidence'])}, which the file "
                    "does not hold."
                )
            if not isinstance(record.get("file"), dict):
                raise TransferError(f"{label} is invalid: the export carries no file for it.")
            stored = self._row(
                EvidenceFile,
                label,
                record,
                [name for name in _EVIDENCE_FILE_FIELDS if name not in _PICTURE_FIELDS],
                # The file fields are filled below, from the checked bytes.
                exclude=["file", "published_copy", "thumbnail"],
                evidence=self.evidence[record["evidence"]],
                investigation=self.investigation,
                uploaded_by=self._user(record["uploaded_by"]),
            )
            with self._spooled(record["file"]) as (spool, _digest):
                upload = File(spool, name=stored.original_name or "evidence")
                try:
                    checked = evidence_files.check_file(upload)
                except evidence_files.FileRefused as error:
                    raise TransferError(f"{label} is refused: {error}") from error
                _check_file_type(label, record, checked)
                written: list = []
                try:
                    evidence_files.store_copies(stored, upload, checked, written)
                finally:
                    self.saved_files.extend(field_file.name for field_file in written)
            changed = [name for name in _PICTURE_FIELDS if getattr(stored, name) != record[name]]
            if changed:
                self.notes.append(
                    f"{label}: its picture, read again here, differs from the exporting "
                    f"installation's in {', '.join(changed)} (another version of Pillow?); "
                    "reports of the copy state the new values."
                )
            rows.append((stored, record))
        EvidenceFile.objects.bulk_create([stored for stored, _ in rows], batch_size=1000)

    def _collection_log(self):
        """Each evidence item's collection log (captures, re-checks, uploads), as it was: it
        says who collected what and when, which the copy must still say."""
        entries = []
        for record in self.data["collection_log"]:
            label = f"Collection log entry {record['key']}"
            evidence = self.evidence.get(_row_key(record["evidence"]))
            if evidence is None:
                raise TransferError(
                    f"{label} belongs to evidence {_short(record['evidence'])}, which the file "
                    "does not hold."
                )
            snapshot = None
            if record["snapshot"] is not None:
                snapshot = self.snapshots.get(_row_key(record["snapshot"]))
                if snapshot is None or snapshot.evidence_id != evidence.pk:
                    raise TransferError(
                        f"{label} names snapshot {_short(record['snapshot'])}, which the file "
                        "does not hold for its evidence."
                    )
            entries.append(
                self._row(
                    CollectionLogEntry,
                    label,
                    record,
                    _LOG_FIELDS,
                    evidence=evidence,
                    snapshot=snapshot,
                    operator=self._user(record["operator"]),
                )
            )
        CollectionLogEntry.objects.bulk_create(entries, batch_size=1000)

    def _verdicts_and_comments(self):
        verdicts = [
            (
                self._row(
                    Verdict,
                    f"Verdict {record['key']}",
                    record,
                    _VERDICT_FIELDS,
                    claim=self.claims[record["claim"]],
                    proposed_by=self._user(record["proposed_by"]),
                    signed_off_by=self._user(record["signed_off_by"]),
                    voided_by=self._user(record["voided_by"]),
                ),
                record,
            )
            for record in self.data["verdicts"]
        ]
        # Each row is valid on its own by now; what four eyes ask of them together is next,
        # before the database's constraints would refuse the same in their own words.
        _check_sign_offs(self.data)
        _create(Verdict, verdicts, ["proposed_at"])
        self.verdicts = {record["key"]: verdict for verdict, record in verdicts}
        resubmitted = [v for v, record in verdicts if record["resubmission_of"] is not None]
        for verdict, record in verdicts:
            if record["resubmission_of"] is not None:
                verdict.resubmission_of = self.verdicts[record["resubmission_of"]]
        Verdict.objects.bulk_update(resubmitted, ["resubmission_of"], batch_size=1000)
        comments = [
            (
                self._row(
                    Comment,
                    f"Comment {record['key']}",
                    record,
                    _COMMENT_FIELDS,
                    claim=self.claims[record["claim"]],
                    author=self._user(record["author"]),
                ),
                record,
            )
            for record in self.data["comments"]
        ]
        _create(Comment, comments, ["created_at"])
        self.comments = {record["key"]: comment for comment, record in comments}
        through = Comment.mentions.through
        through.objects.bulk_create(
            through(comment_id=comment.pk, user_id=self.users[username].pk)
            for comment, record in comments
            for username in record["mentions"]
        )

    def _audit_events(self):
        # History names objects by their id; point it at the imported rows where we can.
        rows_by_type = {
            "investigation": {self.data["investigation"]["key"]: self.investigation},
            "source": self.sources,
            "claim": self.claims,
            "evidence": self.evidence,
            "claimevidence": self.citations,
            "snapshot": self.snapshots,
            "verdict": self.verdicts,
            "comment": self.comments,
            "claimlink": self.links,
        }
        new_ids = {
            object_type: {key: row.pk for key, row in rows.items()}
            for object_type, rows in rows_by_type.items()
        }
        is_chained = self.data["version"] >= 2
        events = []
        for record in self.data["audit_events"]:
            chain_fields = _AUDIT_CHAIN_FIELDS if is_chained else []
            event = self._row(
                AuditEvent,
                f"Audit event {record['key']}",
                record,
                _AUDIT_FIELDS + chain_fields,
                # A version 1 file has no chain yet: _chain() below gives it one.
                exclude=[] if is_chained else _AUDIT_CHAIN_FIELDS,
                investigation=self.investigation,
                claim=self.claims[record["claim"]] if record["claim"] is not None else None,
                actor=self._user(record["actor"]),
            )
            # The chain covers the time: keep it as exported (_row leaves times to _keep_times).
            event.created_at = datetime.fromisoformat(record["created_at"])
            key = _int_or_none(event.object_id)
            if key in new_ids.get(event.object_type, {}):
                event.object_id = str(new_ids[event.object_type][key])
            events.append(event)
        if is_chained:
            self._check_chain(events)
        else:
            _chain(events)
        AuditEvent.objects.bulk_create(events, batch_size=1000)
        head = (events[-1].seq, events[-1].sha256) if events else (0, audit_chain.GENESIS)
        Investigation.objects.filter(pk=self.investigation.pk).update(
            audit_seq=head[0], audit_head_sha256=head[1]
        )

    def _check_chain(self, events):
        """Refuse the file unless its history verifies up to the head it records."""
        head = self.data["investigation"]["audit_head"]
        events.sort(key=lambda event: event.seq)
        fields = [_chained_fields(event) for event in events]
        by_sha256 = {event["sha256"]: event for event in fields}
        check = audit_chain.ChainCheck(head["seq"], head["sha256"], by_sha256.get)
        for event in fields:
            if check.add(event):
                break
        problem = check.finish()
        if problem is not None:
            raise TransferError(
                f"The audit history does not verify at event seq {problem.seq} ({problem.kind})."
            )


def _check_file_type(label, record, checked):
    """Raise TransferError unless the uploaded file's bytes are what its record says they
    are: the type, SHA-256 and size read from them again (files.check_file)."""
    found = {
        "sha256": checked.sha256,
        "kind": str(checked.file_type.kind),
        "content_type": checked.file_type.content_type,
        "size": checked.size,
    }
    for name in _FILE_TYPE_FIELDS:
        if record[name] != found[name]:
            raise TransferError(
                f"{label} is refused: its bytes are a {checked.file_type.label} of {name} "
                f"{_short(found[name])}, not {_short(record[name])} as the file says."
            )


def _claim_name(key):
    return f"claim {key}" if _row_key(key) is not None else _short(key)


def _chained_fields(event):
    return {
        "id": None,
        "seq": event.seq,
        "prev_sha256": event.prev_sha256,
        "sha256": event.sha256,
        "action": event.action,
        "actor": event.actor_username,
        "object_type": event.object_type,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "created_at": event.created_at,
    }


def _chain(events):
    """Give the events of a version 1 file (no chain) one, in (time, file) order, as the
    migration did for the events of an installation."""
    events.sort(key=lambda event: event.created_at)  # stable: ties keep the file's order
    for event in events:
        event.actor_username = event.actor.get_username() if event.actor else ""
    links = audit_chain.link([_chained_fields(event) for event in events])
    for event, (seq, prev, sha256) in zip(events, links, strict=True):
        event.seq, event.prev_sha256, event.sha256 = seq, prev, sha256


def _check_sign_offs(data):
    """Raise TransferError unless each verified claim of `data` has exactly one signed-off
    verdict, signed by someone other than its proposer, whose SHA-256 is that of the content
    it records (signoff.py): a file cannot bring in a claim verified without four eyes."""
    signed: dict[object, list[dict[str, Any]]] = {}
    for record in data["verdicts"]:
        if record["status"] == Verdict.Status.SIGNED_OFF:
            signed.setdefault(record["claim"], []).append(record)
    for record in data["claims"]:
        if record["status"] != ClaimStatus.VERIFIED:
            continue
        problem = _sign_off_problem(signed.get(record["key"], []))
        if problem:
            raise TransferError(
                f"Claim {record['key']} is verified without a valid sign-off: {problem}."
            )


def _sign_off_problem(verdicts):
    if not verdicts:
        return "it has no signed-off verdict"
    if len(verdicts) > 1:
        return f"it has {len(verdicts)} signed-off verdicts"
    [verdict] = verdicts
    if not verdict["signed_off_by"]:
        return "its signed-off verdict names no reviewer"
    if verdict["signed_off_by"] == verdict["proposed_by"]:
        return "its verdict was signed off by its proposer"
    content = verdict["signed_content"]
    if not content and not verdict["signed_sha256"]:
        # Signed off before sign-offs recorded what they approved (as such verdicts in this
        # database are too): four eyes are checked above, there is no content to hold it to.
        return ""
    try:
        digest = signoff.content_sha256(content) if content else None
    except (KeyError, TypeError, AttributeError):
        digest = None
    if digest is None or digest != verdict["signed_sha256"]:
        return "the SHA-256 of its sign-off does not match the content it signed"
    if (content["rating"], content["rationale"]) != (verdict["rating"], verdict["rationale"]):
        return "its sign-off approved another rating or rationale than the verdict has"
    return ""


# JSON values a workbench writes (snapshot metadata, audit before/after, extraction reasons)
# are flat dicts and lists. Deeper nesting is refused before it reaches the JSON encoders of
# Django and the database driver, which recurse once per level.
MAX_JSON_DEPTH = 20


def _check(row: models.Model, label, exclude=()):
    """Validate `row` as its admin form would; raise TransferError naming it and the problem.

    Choices, validators (slug, URL, username), max lengths, required fields and the model's
    clean() (anchors, length limits, http/https links) all run. Links to rows the importer
    made itself are not looked up again (a query each), and uniqueness and constraints are
    left to the inserts, which run in the import's transaction: either failing undoes all.
    """
    links, json_fields, plain_fields = _field_kinds(type(row))
    known_links = [name for name, attname in links if getattr(row, attname) is not None]
    errors = {}
    for name in json_fields:
        if _depth(getattr(row, name)) > MAX_JSON_DEPTH:
            errors[name] = [f"nested more than {MAX_JSON_DEPTH} levels deep."]
    for name in plain_fields:
        value = getattr(row, name)
        if isinstance(value, list | dict):
            # str() of a deeply nested list would recurse; no column but JSON takes one.
            errors[name] = ["a list or object where one value belongs."]
        elif isinstance(value, str) and "\x00" in value:
            errors[name] = ["contains a NUL character."]
    try:
        if errors:
            raise ValidationError(errors)
        row.full_clean(
            exclude=[*known_links, *exclude], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        problems = [
            message if name == NON_FIELD_ERRORS else f"{name}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
        raise TransferError(f"{label} is invalid: {_shorten_line('; '.join(problems))}") from error


@functools.cache
def _field_kinds(model):
    """([(name, attname)] of links, [names] of JSON fields, [names] of the other fields)."""
    fields = model._meta.fields
    return (
        [(field.name, field.attname) for field in fields if field.is_relation],
        [field.name for field in fields if isinstance(field, models.JSONField)],
        [
            field.name
            for field in fields
            if not field.is_relation and not isinstance(field, models.JSONField)
        ],
    )


def _depth(value):
    """How deeply `value` (parsed JSON) nests lists and dicts; without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            continue
        deepest = max(deepest, depth)
        if depth > MAX_JSON_DEPTH:
            break
        pending.extend((child, depth + 1) for child in item)
    return deepest


def _row_key(value):
    """`value` if it can be a row's key in a file (a whole number), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _short(value):
    """A value for a message: its repr, shortened."""
    return _shorten_line(repr(value), 60)


def _measure_again(quantity):
    """Set what `quantity` counts from its words in the source, as extraction does."""
    measure = measure_of(
        quantity.claim.source.text, quantity.start, quantity.end, quantity.kind, quantity.unit
    )
    quantity.measure, quantity.measure_reason = measure.name, measure.reason[:200]


def _place_again(quantity):
    """Set the date and place `quantity`'s sentence states, as extraction reads them."""
    source = quantity.claim.source
    occasion = occasion_of(
        source.text, quantity.start, quantity.end, source.published_on, quantity.kind
    )
    quantity.stated_on, quantity.place = occasion.on, occasion.place


def _shorten_line(text, limit=300):
    # Messages quote the values they refuse; one line of readable length, whatever the file held.
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _values(model, record, names, skip=("created_at", "updated_at", "proposed_at")):
    """Field values of `record` converted back to Python (dates and times from ISO text)."""
    values = {}
    for name in names:
        if name in skip:
            continue
        value = record[name]
        field = model._meta.get_field(name)
        if value is not None and field.get_internal_type() == "DateTimeField":
            value = datetime.fromisoformat(value)
        elif value is not None and field.get_internal_type() == "DateField":
            value = date.fromisoformat(value)
        values[name] = value
    return values


def _create(model, rows, time_fields):
    """Insert rows in order (ids keep the original order), then restore their timestamps."""
    model.objects.bulk_create([row for row, _ in rows], batch_size=1000)
    _keep_times(model, rows, time_fields)


def _keep_times(model, rows, time_fields):
    """Set auto_now/auto_now_add fields to the exported values, which inserts overwrote.

    Through the base manager: AuditEvent's own manager refuses updates, rightly, for every
    change after the fact; restoring the original time of a row we are creating in this
    very transaction is part of inserting it.
    """
    for row, record in rows:
        for name in time_fields:
            setattr(row, name, datetime.fromisoformat(record[name]))
    model._base_manager.bulk_update([row for row, _ in rows], time_fields, batch_size=1000)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
