"""Move a whole investigation to another installation: export_investigation / import_investigation.

The file is a zip with `investigation.json` (every row, people named by username), the stored
files (source originals, snapshot bodies) under `files/`, and `manifest.json` with the SHA-256
of each. Nothing is lost on the way: timestamps are kept to the microsecond and rows keep their
order, so a report of the imported copy has the same digest (`report_sha256`) as the original.

Importing reads untrusted input. It accepts only the member names it writes itself (so a name
like "../../etc/passwd" can never become a path: stored files get names of our choosing under
MEDIA_ROOT), bounds the number and size of members and their compression ratio (zip bombs),
checks every hash before it reads a row, and writes everything in one transaction: a damaged or
foreign file raises TransferError with one line and leaves the database and media as they were.

The audit history travels with its hash chain (audit_chain.py): each event's seq, prev_sha256
and sha256, and the head the investigation records. The import recreates them as they were
and refuses a file whose history does not verify, such as one with an event edited in the
JSON. A file of version 1, written before the chain existed, gets a new chain on import.
"""

import hashlib
import json
import re
import zipfile
from datetime import date, datetime
from pathlib import PurePosixPath

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.utils import timezone

from claims import audit, audit_chain
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
    Tag,
    Verdict,
    refresh_snapshot_pointers,
)

TRANSFER_FORMAT = "factcheck-investigation"
TRANSFER_VERSION = 2
# Version 1 is version 2 without the audit chain.
READABLE_VERSIONS = (1, 2)
DATA_FILE = "investigation.json"
MANIFEST = "manifest.json"
_FILE_MEMBER = re.compile(r"files/(original|snapshot)-\d{1,19}")

# Bounds on what an import will read. A real investigation with archived pages can reach a
# few gigabytes; a zip bomb declares (or inflates to) far more, or compresses absurdly well.
MAX_MEMBERS = 200_000
MAX_MEMBER_BYTES = 1024**3
MAX_TOTAL_BYTES = 4 * 1024**3
MAX_COMPRESSION_RATIO = 200
# Below this size a high ratio is harmless (a short, repetitive JSON compresses well).
RATIO_CHECK_FROM_BYTES = 1024**2
_READ_CHUNK = 1024**2


class TransferError(Exception):
    """The file cannot be imported; the message is one line for the person who tried."""


# Field lists: everything a row holds except its id and its links to other rows, which the
# records name by key (the row's id in the exporting installation) or by username.
_SOURCE_FIELDS = [
    "kind",
    "title",
    "author",
    "publisher",
    "origin_url",
    "published_on",
    "captured_at",
    "language",
    "text",
    "text_sha256",
    "original_sha256",
    "created_at",
]
_CLAIM_FIELDS = [
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "statement",
    "speaker",
    "attribution",
    "status",
    "priority",
    "extraction_score",
    "extraction_reasons",
    "created_at",
    "updated_at",
    "version",
]
_QUANTITY_FIELDS = [
    "start",
    "end",
    "text",
    "value",
    "low",
    "high",
    "unit",
    "approximate",
    "bound",
    "kind",
]
_EVIDENCE_FIELDS = [
    "url",
    "normalized_url",
    "title",
    "publisher",
    "published_on",
    "reliability",
    "created_at",
    "version",
]
_CITATION_FIELDS = ["stance", "excerpt", "note", "created_at", "version"]
_SNAPSHOT_FIELDS = [
    "status",
    "method",
    "fetched_at",
    "final_url",
    "http_status",
    "content_type",
    "sha256",
    "extracted_text",
    "metadata",
    "error",
    "created_at",
]
_VERDICT_FIELDS = [
    "rating",
    "rationale",
    "status",
    "proposed_at",
    "signed_off_at",
    "review_comment",
    "closed_at",
    "version",
]
_COMMENT_FIELDS = ["body", "created_at"]
_AUDIT_FIELDS = [
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "created_at",
]
_AUDIT_CHAIN_FIELDS = ["actor_username", "seq", "prev_sha256", "sha256"]


# --- Export -----------------------------------------------------------------------------


def export_investigation(investigation, target):
    """Write the investigation to `target` (a path or binary file) as a transfer zip.

    Everything is read from one snapshot of the database, so the audit chain's head and its
    events agree even while people work.
    """
    # Imported here: reports imports report_formats, which the export does not need.
    from claims.reports import consistent_reads

    with consistent_reads():
        data, files = _collect(investigation)
    _write_zip(target, data, files)


def _collect(investigation):
    files = {}
    people = {}
    User = get_user_model()

    def who(user_id):
        """The username for a user id: ids mean nothing on another installation."""
        if user_id is None:
            return None
        if user_id not in people:
            # One query per distinct person: an investigation has a handful of them.
            people[user_id] = User.objects.get(pk=user_id)
        return people[user_id].get_username()

    data = {
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
        investigation.sources.order_by("pk"), _SOURCE_FIELDS, added_by="added_by_id"
    )
    claims = Claim.objects.filter(investigation=investigation)
    data["claims"] = rows(
        claims.order_by("pk").iterator(chunk_size=2000),
        _CLAIM_FIELDS,
        source="source_id",
        assignee="assignee_id",
        created_by="created_by_id",
    )
    for record, tags in zip(data["claims"], _claim_tags(investigation), strict=True):
        record["tags"] = tags
    data["quantities"] = rows(
        Quantity.objects.filter(**in_claims).order_by("pk"), _QUANTITY_FIELDS, claim="claim_id"
    )
    data["evidence"] = rows(
        investigation.evidence.order_by("pk"), _EVIDENCE_FIELDS, added_by="added_by_id"
    )
    data["citations"] = rows(
        ClaimEvidence.objects.filter(**in_claims).order_by("pk"),
        _CITATION_FIELDS,
        claim="claim_id",
        evidence="evidence_id",
        added_by="added_by_id",
    )
    snapshots = Snapshot.objects.filter(evidence__investigation=investigation).order_by("pk")
    data["snapshots"] = rows(
        snapshots, _SNAPSHOT_FIELDS, evidence="evidence_id", requested_by="requested_by_id"
    )
    data["verdicts"] = rows(
        Verdict.objects.filter(**in_claims).order_by("pk"),
        _VERDICT_FIELDS,
        claim="claim_id",
        proposed_by="proposed_by_id",
        signed_off_by="signed_off_by_id",
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
    # Stored files travel beside the data, under names of our own.
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
    data["users"] = sorted(
        (
            {
                "username": user.get_username(),
                "first_name": user.first_name,
                "last_name": user.last_name,
            }
            for user in people.values()
        ),
        key=lambda user: user["username"],
    )
    return data, files


# Links that name a person; the others name another row of the file by its key.
_PERSON_LINKS = frozenset(
    {"added_by", "assignee", "created_by", "requested_by", "proposed_by", "signed_off_by"}
    | {"author", "actor"}
)


def _record(obj, names):
    return {name: _plain(getattr(obj, name)) for name in names}


def _claim_tags(investigation):
    """Tag names of each claim, in claim id order (one query for all of them)."""
    through = Claim.tags.through
    tags = {}
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
    extension = PurePosixPath(field_file.name).suffix.lower()
    with field_file.open("rb") as stored:
        files[f"files/{member}"] = stored.read()
    return {"member": f"files/{member}", "extension": extension}


def _write_zip(target, data, files):
    members = {DATA_FILE: json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")} | files
    manifest = {
        "format": TRANSFER_FORMAT,
        "version": TRANSFER_VERSION,
        "files": {name: hashlib.sha256(body).hexdigest() for name, body in members.items()},
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
        for name, body in members.items():
            archive.writestr(name, body)


# --- Import -----------------------------------------------------------------------------


def import_investigation(source):
    """Create the investigation stored in the transfer zip `source` (path or binary file).

    Returns the new Investigation. Raises TransferError, having created nothing, when the
    file is not a transfer zip, is damaged, is too large, or names an existing slug.
    Users are matched by username; missing ones are created inactive, without a password,
    for an administrator to activate.
    """
    members = _read_members(source)
    data = _load_data(members)
    saved_files = []
    try:
        with transaction.atomic():
            return _Importer(data, members, saved_files).run()
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
    ) as error:
        _delete_files(saved_files)
        message = "; ".join(error.messages) if isinstance(error, ValidationError) else error
        raise TransferError(f"The investigation file is inconsistent: {message}") from error


def _read_members(source):
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        raise TransferError(f"Not a zip file: {error}") from error
    with archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        if MANIFEST not in names or DATA_FILE not in names:
            raise TransferError("Not an investigation export: manifest.json or data is missing.")
        if len(infos) > MAX_MEMBERS:
            raise TransferError(f"The file has {len(infos)} entries, more than {MAX_MEMBERS}.")
        if len(set(names)) != len(names):
            raise TransferError("The file lists an entry twice.")
        for name in names:
            if name not in (MANIFEST, DATA_FILE) and not _FILE_MEMBER.fullmatch(name):
                raise TransferError(f"Not an investigation export: unexpected entry {name!r}.")
        declared = sum(info.file_size for info in infos)
        if declared > MAX_TOTAL_BYTES:
            raise TransferError("The file would unpack to more than the import limit.")
        members, total = {}, 0
        for info in infos:
            members[info.filename] = _read_bounded(archive, info)
            total += len(members[info.filename])
            if total > MAX_TOTAL_BYTES:
                raise TransferError("The file would unpack to more than the import limit.")
    return members


def _read_bounded(archive, info):
    """The member's bytes, refusing oversized or suspiciously compressed ones as they inflate."""
    if info.file_size > MAX_MEMBER_BYTES:
        raise TransferError(f"{info.filename} is larger than the import limit.")
    if info.file_size > RATIO_CHECK_FROM_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(
        info.compress_size, 1
    ):
        raise TransferError(f"{info.filename} is compressed too well to be genuine (zip bomb?).")
    chunks, size = [], 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(_READ_CHUNK):
                size += len(chunk)
                # The header's size could lie; count what actually comes out.
                if size > info.file_size or size > MAX_MEMBER_BYTES:
                    raise TransferError(f"{info.filename} unpacks to more than it declares.")
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise TransferError(f"The file is damaged ({info.filename}: {error}).") from error
    return b"".join(chunks)


def _load_data(members):
    try:
        manifest = json.loads(members[MANIFEST])
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TransferError(f"The manifest is damaged: {error}.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != TRANSFER_FORMAT:
        raise TransferError("Not an investigation export (its manifest names another format).")
    if manifest.get("version") not in READABLE_VERSIONS:
        raise TransferError(f"Unsupported export version {manifest.get('version')!r}.")
    listed = manifest.get("files")
    if not isinstance(listed, dict) or set(listed) != set(members) - {MANIFEST}:
        raise TransferError("The file's entries do not match its manifest.")
    for name, expected in listed.items():
        if hashlib.sha256(members[name]).hexdigest() != expected:
            raise TransferError(f"The file is damaged: {name} does not match its SHA-256.")
    try:
        data = json.loads(members[DATA_FILE])
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TransferError(f"The investigation data is damaged: {error}.") from error
    if not isinstance(data, dict) or data.get("format") != TRANSFER_FORMAT:
        raise TransferError("Not an investigation export (unknown data format).")
    if data.get("version") != manifest["version"]:
        raise TransferError("The investigation data and its manifest name different versions.")
    return data


def _delete_files(names):
    for name in names:
        default_storage.delete(name)


class _Importer:
    """Creates the rows of one transfer file, mapping its keys to the new ids."""

    def __init__(self, data, members, saved_files):
        self.data = data
        self.members = members
        self.saved_files = saved_files

    def run(self):
        data = self.data
        slug = data["investigation"]["slug"]
        if Investigation.objects.filter(slug=slug).exists():
            raise TransferError(f"An investigation with slug {slug!r} already exists here.")
        self.users = self._users()
        head = data["investigation"]
        investigation = Investigation.objects.create(
            slug=slug,
            title=head["title"],
            description=head["description"],
            created_by=self._user(head["created_by"]),
        )
        _keep_times(Investigation, [(investigation, head)], ["created_at"])
        self.investigation = investigation
        memberships = [
            (
                Membership(investigation=investigation, user=self._user(m["user"]), role=m["role"]),
                m,
            )
            for m in data["memberships"]
        ]
        _create(Membership, memberships, ["created_at"])
        self.tags = {
            name: Tag.objects.create(investigation=investigation, name=name)
            for name in data["tags"]
        }
        self._sources()
        self._claims()
        self._evidence()
        self._verdicts_and_comments()
        self._audit_events()
        return investigation

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
                user.full_clean(exclude=["password"])
                user.save()
                users[username] = user
        return users

    def _user(self, username):
        return None if username is None else self.users[username]

    def _file(self, field_file, reference):
        """Store an attached file under a name we choose (never the zip's), inside MEDIA_ROOT."""
        body = self.members[reference["member"]]
        extension = reference.get("extension", "")
        if not re.fullmatch(r"(\.[a-z0-9]{1,8})?", extension):
            extension = ""
        digest = hashlib.sha256(body).hexdigest()
        field_file.save(f"{digest[:32]}{extension}", ContentFile(body), save=False)
        self.saved_files.append(field_file.name)
        return digest

    def _sources(self):
        self.sources = {}
        for record in self.data["sources"]:
            source = Source(
                investigation=self.investigation,
                added_by=self._user(record["added_by"]),
                **_values(Source, record, _SOURCE_FIELDS, skip=("text_sha256", "created_at")),
            )
            if "original_file" in record:
                self._file(source.original_file, record["original_file"])
            source.save()
            if source.text_sha256 != record["text_sha256"]:
                raise TransferError(f"Source {record['key']}: its text does not match its hash.")
            _keep_times(Source, [(source, record)], ["created_at"])
            self.sources[record["key"]] = source

    def _claims(self):
        rows = []
        for record in self.data["claims"]:
            source = self.sources[record["source"]]
            claim = Claim(
                investigation=self.investigation,
                source=source,
                assignee=self._user(record["assignee"]),
                created_by=self._user(record["created_by"]),
                **_values(Claim, record, _CLAIM_FIELDS),
            )
            # bulk_create skips Claim.save(), so check each anchor here: an export whose
            # quotes no longer sit at their offsets is damaged.
            claim.check_anchor()
            rows.append((claim, record))
        _create(Claim, rows, ["created_at", "updated_at"])
        self.claims = {record["key"]: claim for claim, record in rows}
        through = Claim.tags.through
        through.objects.bulk_create(
            through(claim_id=claim.pk, tag_id=self.tags[name].pk)
            for claim, record in rows
            for name in record["tags"]
        )
        quantities = []
        for record in self.data["quantities"]:
            quantity = Quantity(
                claim=self.claims[record["claim"]], **_values(Quantity, record, _QUANTITY_FIELDS)
            )
            quantity.clean()
            quantities.append(quantity)
        Quantity.objects.bulk_create(quantities)

    def _evidence(self):
        rows = [
            (
                Evidence(
                    investigation=self.investigation,
                    added_by=self._user(record["added_by"]),
                    **_values(Evidence, record, _EVIDENCE_FIELDS),
                ),
                record,
            )
            for record in self.data["evidence"]
        ]
        _create(Evidence, rows, ["created_at"])
        evidence = {record["key"]: item for item, record in rows}
        self.evidence = evidence
        citations = [
            (
                ClaimEvidence(
                    claim=self.claims[record["claim"]],
                    evidence=evidence[record["evidence"]],
                    added_by=self._user(record["added_by"]),
                    **_values(ClaimEvidence, record, _CITATION_FIELDS),
                ),
                record,
            )
            for record in self.data["citations"]
        ]
        _create(ClaimEvidence, citations, ["created_at"])
        self.citations = {record["key"]: citation for citation, record in citations}
        snapshots = []
        for record in self.data["snapshots"]:
            snapshot = Snapshot(
                evidence=evidence[record["evidence"]],
                requested_by=self._user(record["requested_by"]),
                **_values(Snapshot, record, _SNAPSHOT_FIELDS),
            )
            if "body" in record:
                self._file(snapshot.body, record["body"])
            snapshots.append((snapshot, record))
        _create(Snapshot, snapshots, ["created_at"])
        # bulk_create skips Snapshot.save(), which keeps these pointers.
        refresh_snapshot_pointers([page.pk for page in evidence.values()])
        self.snapshots = {record["key"]: snapshot for snapshot, record in snapshots}

    def _verdicts_and_comments(self):
        verdicts = [
            (
                Verdict(
                    claim=self.claims[record["claim"]],
                    proposed_by=self._user(record["proposed_by"]),
                    signed_off_by=self._user(record["signed_off_by"]),
                    **_values(Verdict, record, _VERDICT_FIELDS),
                ),
                record,
            )
            for record in self.data["verdicts"]
        ]
        _create(Verdict, verdicts, ["proposed_at"])
        self.verdicts = {record["key"]: verdict for verdict, record in verdicts}
        comments = [
            (
                Comment(
                    claim=self.claims[record["claim"]],
                    author=self._user(record["author"]),
                    **_values(Comment, record, _COMMENT_FIELDS),
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
        }
        new_ids = {
            object_type: {key: row.pk for key, row in rows.items()}
            for object_type, rows in rows_by_type.items()
        }
        is_chained = self.data["version"] >= 2
        events = []
        for record in self.data["audit_events"]:
            names = _AUDIT_FIELDS + (_AUDIT_CHAIN_FIELDS if is_chained else [])
            values = _values(AuditEvent, record, names, skip=())
            mapped = new_ids.get(values["object_type"], {})
            key = _int_or_none(values["object_id"])
            if key in mapped:
                values["object_id"] = str(mapped[key])
            claim = self.claims[record["claim"]] if record["claim"] is not None else None
            event = AuditEvent(
                investigation=self.investigation,
                claim=claim,
                actor=self._user(record["actor"]),
                **values,
            )
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
