"""The verification report as data: build_report() or stream_report() -> Report.

The builder reads the database; the renderers in `claims/report_formats/` only read the
Report. That keeps every format saying the same thing, and lets redaction and pseudonymization
happen once, here.

Two ways to get a Report:

- `build_report()` holds every claim in lists: for the HTML and PDF pages, which need counts
  and groups before they can print the first line.
- `stream_report()` gives each source a one-shot iterator of claims, read from the database
  in chunks: CSV, JSON and Markdown are written claim by claim, so exporting 20,000 claims
  holds one chunk of rows and one source text in memory, not the whole investigation.

Both read the same four queries (see `_Builder.claims`), whatever the number of claims; a
streamed report reads its source texts in one more (see `_Builder`). On SQLite a streamed
report is read page by page instead (see `_PagedClaimStream`), so that a slow download holds
no read transaction open. Every report also reads the head of the investigation's audit chain
(`audit_chain_head`, part of the digest: which history the report was made from), and a built
one with the audit appendix each reported claim's history, in one query each.

The report carries no database ids: claims and sources are numbered in report order, so the
same investigation gives the same report on another installation (see `ReportDigest`).
"""

import copy
import hashlib
import json
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime

from django.db import connection
from django.db.models import (
    Count,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    Q,
    Subquery,
)
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Length

from claims.consistency import consistent_reads
from claims.corroboration.links import independent_sources
from claims.evidence import pictures
from claims.evidence.files import EXTENSIONS
from claims.models import (
    AUDIT_HEAD_FIELDS,
    Attribution,
    AuditEvent,
    Claim,
    ClaimEvidence,
    ClaimStatus,
    EvidenceFile,
    Investigation,
    Quantity,
    Reliability,
    Snapshot,
    Source,
    Stance,
    Verdict,
    VerdictRating,
    quantity_display,
)
from claims.reporting.numbers import numbers_section
from claims.reporting.pseudonyms import Pseudonyms, PublishedText
from claims.review import history, mentions, signoff
from claims.sources.anchoring import anchor_span, context_segments

REPORT_SCHEMA_VERSION = "1.5"
# Rows fetched per database round trip from each of the four report queries (claims,
# quantities, verdicts, citations): memory holds about one such chunk of tuples per query,
# however many claims the investigation has. At 2,000 rows the chunks were most of an
# export's memory (5 MiB of 6 at 20,000 claims); at 500 they are 1.5 MiB, as fast.
CHUNK_SIZE = 500
NO_VERDICT = "No verdict yet"
# Labels looked up once: Model.get_FOO_display() re-hashes the choices on every call, about
# a sixth of the time of a large export.
_ATTRIBUTION_LABELS = dict(Attribution.choices)
_STATUS_LABELS = dict(ClaimStatus.choices)
_RATING_LABELS = dict(VerdictRating.choices)
_STANCE_LABELS = dict(Stance.choices)
_RELIABILITY_LABELS = dict(Reliability.choices)
AWAITING_SIGN_OFF = "Verdict awaiting sign-off"
# The heading of a draft report's notice (a printed page's running header says DRAFT).
DRAFT_MARK = "Draft: not every claim is verified"


@dataclass(frozen=True)
class ReportOptions:
    verified_only: bool = False
    include_excerpts: bool = True
    redact_reviewers: bool = False
    pseudonymize: bool = False
    title: str = ""
    introduction: str = ""
    # Who publishes the report (ClaimReview author) and where (ClaimReview url, annotation ids).
    publisher: str = ""
    publication_url: str = ""
    # HTML and PDF: each claim's audit history after the claims (see AuditAppendix).
    audit_appendix: bool = False
    # Publish uploaded files' personal metadata (GPS, serial numbers, owner) and bundle the
    # originals; without it pictures are bundled as re-encoded copies without metadata.
    include_file_metadata: bool = False


@dataclass
class ReportQuantity:
    text: str
    start: int
    end: int
    value: float
    low: float | None
    high: float | None
    unit: str
    approximate: bool
    bound: str
    display: str
    # What the number counts (Quantity.Measure): the numbers section compares by it.
    measure: str


@dataclass
class ReportEvidence:
    stance: str
    stance_label: str
    title: str
    url: str
    publisher: str
    published_on: str | None
    reliability: str
    excerpt: str
    note: str
    archived_at: str | None
    archive_sha256: str
    # For an uploaded file (see file_record): None for a link or typed evidence.
    file: dict | None = None


@dataclass
class ReportVerdict:
    rating: str
    rating_label: str
    rationale: str
    status: str
    proposed_by: str
    proposed_at: str
    signed_off_by: str | None
    signed_off_at: str | None

    @property
    def is_signed_off(self):
        return self.status == Verdict.Status.SIGNED_OFF


@dataclass
class ReportSignoff:
    """What the second reviewer approved, as far as this report may publish it.

    `sha256` is the digest recorded at sign-off and `content` the signed content (see
    claims.signoff) with each text the report leaves out given as `<name>_sha256` instead
    (excerpts, when the report has none), so `signoff.content_sha256(content)` recomputes
    `sha256`. In a pseudonymized report both are None and `withheld` is "pseudonymized" when
    a signed text names a hidden person: from the published texts and a digest over the
    originals, anyone could confirm a guessed name by putting it back and hashing.
    """

    sha256: str | None
    signed_at: str
    content: dict | None
    withheld: str | None = None


@dataclass
class ReportClaim:
    number: int
    source_number: int
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    context_before: str
    context_after: str
    statement: str
    speaker: str
    attribution: str
    attribution_label: str
    status: str
    status_label: str
    quantities: list[ReportQuantity]
    verdict: ReportVerdict | None
    evidence: list[ReportEvidence]
    # None unless the verdict is signed off with a recorded digest.
    signoff: ReportSignoff | None
    # Sources with another author and publisher confirmed as stating the same claim
    # (corroboration/links.py).
    independent_corroboration: int = 0
    # For a claim marked in a translation (sources/translations.py): {"source_number": the
    # original's number in this report or None, "quote": the original claim's words}.
    translation_of: dict | None = None

    @property
    def anchor(self):
        """The fragment id of this claim in the HTML report, also used in ClaimReview urls."""
        return f"claim-{self.number}"

    @property
    def verdict_group(self):
        if self.verdict is None:
            return NO_VERDICT
        if not self.verdict.is_signed_off:
            return AWAITING_SIGN_OFF
        return self.verdict.rating_label


@dataclass
class ReportSource:
    number: int
    title: str
    kind: str
    kind_label: str
    author: str
    publisher: str
    origin_url: str
    published_on: str | None
    captured_at: str | None
    language: str
    sha256: str
    length: int
    text_file: str
    # The text as published in this report (pseudonymized when asked); not part of the JSON,
    # which cites it by `sha256` and ships it beside the report in a bundle. None in a
    # streamed report, whose formats print no text (see _Builder).
    text: str | None = field(repr=False)
    claims: list[ReportClaim] = field(default_factory=list)

    @property
    def anchor(self):
        return f"source-{self.number}"

    def verdict_groups(self):
        """[(group label, claims)] in the order of the verdict scale, then open ones."""
        groups: dict[str, list[ReportClaim]] = {}
        for claim in self.claims:
            groups.setdefault(claim.verdict_group, []).append(claim)
        return [(label, groups[label]) for label in VERDICT_GROUP_ORDER if label in groups]


VERDICT_GROUP_ORDER = [label for _, label in VerdictRating.choices] + [
    AWAITING_SIGN_OFF,
    NO_VERDICT,
]


@dataclass
class AppendixEntry:
    """One audit event of a claim, as the audit appendix prints it."""

    seq: int
    at: str  # ISO 8601, UTC, to the second
    actor: str
    verb: str
    # What was acted on when it is not the claim itself (a citation, a verdict, a comment).
    object_repr: str
    changes: list[history.Change]
    # A taken-back citation (shown struck through) or a voided sign-off.
    is_retraction: bool
    is_void: bool


@dataclass
class AppendixClaim:
    number: int
    anchor: str
    statement: str
    entries: list[AppendixEntry]


@dataclass
class AuditAppendix:
    """Who did what to each claim of the report, and when, in report order; drawn from the
    audit history up to the head the report states."""

    head_seq: int
    head_sha256: str
    claims: list[AppendixClaim]


# Actions the appendix marks: a citation taken back, a sign-off voided. Other actions, known
# or not, read as the claim's history page reads them (history.describe).
RETRACTION_ACTIONS = frozenset({"citation.retract"})
VOID_ACTIONS = frozenset({"verdict.void"})
# Fields of audit events whose values are usernames (the admin records foreign keys to users
# by username; claim.assign and comment mentions name members): redacted with reviewer names.
PERSON_FIELDS = frozenset(
    {
        "actor",
        "added_by",
        "assignee",
        "author",
        "created_by",
        "mentions",
        "proposed_by",
        "requested_by",
        "retracted_by",
        "signed_off_by",
        "user",
        "voided_by",
    }
)


@dataclass
class Report:
    schema_version: str
    investigation: dict
    title: str
    introduction: str
    publisher: str
    publication_url: str
    generated_at: str
    options: dict
    # Stand-ins used ("Witness A"), never the names they replace.
    pseudonyms: list[str]
    # The head of the investigation's audit chain when the report was read, {"seq", "sha256"}:
    # which history the report was made from. Part of the digest.
    audit_chain_head: dict
    # How many claims the report holds and how many of them are not verified (no verdict
    # signed off by a second reviewer): a report holding any such claim is a draft, and
    # says so in every format. Counted over the report's claims, in the digest.
    claim_count: int
    unverified_claims: int
    draft: bool
    sources: list[ReportSource]
    # Built reports with the audit_appendix option only; not part of the JSON nor of the
    # digest, which covers the history it is drawn from through audit_chain_head.
    audit_appendix: "AuditAppendix | None" = None

    @property
    def claims(self):
        return [claim for source in self.sources for claim in source.claims]

    @property
    def numbers(self):
        """The "Numbers across sources" section (built reports only; streamed formats
        collect it as they write, see claims.reporting.numbers)."""
        return numbers_section(self.sources)

    def counts_by_verdict(self):
        """[(group label, count)] over all claims, in scale order (built reports only)."""
        counts: dict[str, int] = {}
        for claim in self.claims:
            counts[claim.verdict_group] = counts.get(claim.verdict_group, 0) + 1
        return [(label, counts[label]) for label in VERDICT_GROUP_ORDER if label in counts]

    @property
    def sha256(self):
        """The report digest (see ReportDigest); built reports only."""
        return digest_report(self)

    @property
    def draft_mark(self):
        return DRAFT_MARK if self.draft else ""

    @property
    def draft_notice(self):
        """What a draft report says before its first claim, in one sentence ("" when final)."""
        if not self.draft:
            return ""
        unverified, total = self.unverified_claims, self.claim_count
        verb = "is" if unverified == 1 else "are"
        return (
            f"{unverified} of the {total} claim{'s' if total != 1 else ''} in this report "
            f"{verb} not verified yet: no second reviewer has signed off their verdicts. "
            "Do not cite them as checked."
        )

    def claim_url(self, claim):
        """Where a claim is published: the report's address with the claim's fragment.

        Without a publication address, a URN that names the investigation and the claim.
        """
        if self.publication_url:
            return f"{self.publication_url.split('#')[0]}#{claim.anchor}"
        return f"urn:factcheck-report:{self.investigation['slug']}:{claim.anchor}"


# Fields of Report and ReportSource that the digest leaves out: the time of writing (so
# the same data gives the same digest on every export) and the nested lists, which it
# hashes one row at a time.
_NOT_DIGESTED = {"generated_at", "sources", "claims", "text", "report_sha256", "numbers"}


_NOT_IN_HEADER = ("sources", "audit_appendix")


def header_fields(report):
    """The report's own fields as plain data, without its sources and appendix."""
    return {f.name: getattr(report, f.name) for f in fields(report) if f.name not in _NOT_IN_HEADER}


def source_fields(source):
    """A source's fields as plain data, without its text and claims."""
    return {
        f.name: getattr(source, f.name) for f in fields(source) if f.name not in ("claims", "text")
    }


def claim_fields(claim):
    """A claim as plain data, as dataclasses.asdict() would give it.

    Built from the instances' own dicts: asdict() walks every value recursively and took a
    third of the time of a JSON export. Every field is set in __init__, so each __dict__
    holds exactly the fields in declaration order, and the values are str, int, float, bool
    or None, which asdict() would not copy either.
    """
    verdict, signed = claim.verdict, claim.signoff
    return {
        **vars(claim),
        "quantities": [dict(vars(quantity)) for quantity in claim.quantities],
        "verdict": None if verdict is None else dict(vars(verdict)),
        "evidence": [_evidence_fields(item) for item in claim.evidence],
        "signoff": None if signed is None else dict(vars(signed)),
    }


def _evidence_fields(item):
    """An evidence item as plain data; `file` only for a file, so that reports without files
    hash as they did before files could be cited."""
    data = dict(vars(item))
    if data["file"] is None:
        del data["file"]
    return data


# Built once: json.dumps() with any non-default argument builds a new encoder per call,
# which a large export pays twice per claim.
_CANONICAL_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(data):
    """One fixed serialization (sorted keys, no spaces, UTF-8) for hashing."""
    return _CANONICAL_ENCODER.encode(data)


class ReportDigest:
    """The SHA-256 that identifies a report's content: `report_sha256`.

    It hashes, one line each in report order, the canonical JSON of: the report header, then
    each source (without its claims) followed by each of its claims. Left out: `generated_at`
    and the digest itself. Every other timestamp is covered (verdict proposed_at and
    signed_off_at, evidence archived_at, source and evidence dates): they are facts of the
    investigation that a transfer keeps exactly, so a copy imported on another installation
    gives the same digest. Line by line, so a streamed export can compute it as it writes.
    """

    def __init__(self):
        self._hash = hashlib.sha256()

    def add(self, data):
        """Hash `data` (less the fields left out); return the canonical JSON hashed."""
        # Claims, one line each of a large report, have none of the fields left out: skip
        # copying them.
        if not _NOT_DIGESTED.isdisjoint(data):
            data = {key: value for key, value in data.items() if key not in _NOT_DIGESTED}
        line = canonical_json(data)
        self._hash.update(line.encode("utf-8"))
        self._hash.update(b"\n")
        return line

    def hexdigest(self):
        return self._hash.hexdigest()


def digest_report(report):
    digest = ReportDigest()
    digest.add(header_fields(report))
    for source in report.sources:
        digest.add(source_fields(source))
        for claim in source.claims:
            digest.add(claim_fields(claim))
    return digest.hexdigest()


def digest_document(document):
    """The digest of a report read back from its JSON (as verify_report does)."""
    digest = ReportDigest()
    digest.add(document)
    for source in document.get("sources", []):
        digest.add(source)
        for claim in source.get("claims", []):
            digest.add(claim)
    return digest.hexdigest()


@contextmanager
def stream_reads():
    """The transaction to read a streamed report in, for as long as its consumer reads.

    On PostgreSQL consistent_reads(): a REPEATABLE READ snapshot blocks no writer however
    long a slow client takes. On SQLite none: there an open transaction held for the length
    of a download would keep writers waiting (write transactions begin IMMEDIATE) or at
    least keep the write-ahead log from being checkpointed, so stream_report() reads it page
    by page instead, each page in a short transaction of its own.
    """
    if connection.vendor == "sqlite":
        yield
        return
    with consistent_reads():
        yield


def build_report(investigation, options=ReportOptions(), *, claim_limit=None, now=None):
    """Collect the investigation's sources and claims into a Report with claims in lists.

    `claim_limit` caps the claims read (for a preview); `now` fixes `generated_at`. The
    number of queries is the same however many claims and sources there are.
    """
    with consistent_reads():
        builder = _Builder(investigation, options)
        report = builder.report(now)
        claims = builder.claims(limit=claim_limit)
        for source in report.sources:
            source.claims = list(claims.of_source(source.number))
        if options.audit_appendix:
            # After the claims: reviewer stand-ins keep the numbers the claims gave them.
            report.audit_appendix = builder.audit_appendix(
                report, is_limited=claim_limit is not None
            )
    return report


def stream_report(investigation, options=ReportOptions(), *, now=None):
    """A Report whose sources' `claims` are one-shot iterators over one database stream.

    Read sources and their claims in order, once; counting or grouping needs build_report.
    Build and read it inside stream_reads(): on PostgreSQL a report of one moment; on SQLite
    it is read page by page (CHUNK_SIZE claims with their rows, each page of one moment).
    """
    paged = connection.vendor == "sqlite"
    builder = _Builder(investigation, options, texts_up_front=False, paged=paged)
    report = builder.report(now)
    claims = builder.paged_claims() if paged else builder.claims()
    for source in report.sources:
        source.claims = claims.of_source(source.number)
    return report


def count_claims(investigation, options=ReportOptions()):
    return _claims_queryset(investigation, options).count()


def count_citations(investigation, options=ReportOptions()):
    """How many evidence citations the report's claims have (each is printed)."""
    return reported_citations(investigation, options).count()


def scalar(queryset, function, expression):
    """`function` (COUNT, SUM) of `expression` over `queryset`, as a subquery giving one value.
    Written as a plain function, not Django's aggregate, so that no GROUP BY is added: the
    subquery is one row over all the rows."""
    total = Func(expression, function=function, output_field=IntegerField())
    return Subquery(queryset.order_by().annotate(total=total).values("total")[:1])


def reported_claims(investigation, options=ReportOptions()):
    """The claims a report holds, unordered."""
    return _claims_queryset(investigation, options)


def reported_citations(investigation, options=ReportOptions()):
    """The citations the report's claims have and print: those not retracted."""
    return ClaimEvidence.objects.filter(
        _reported_claims(investigation, options, prefix="claim__"), retracted_at__isnull=True
    )


def _claims_queryset(investigation, options):
    # The corroboration count rides on the claims query: no query of its own.
    return Claim.objects.filter(_reported_claims(investigation, options)).annotate(
        independent_corroboration=independent_sources()
    )


def _reported_claims(investigation, options, prefix=""):
    """The condition on the claims a report holds, on `prefix` (such as "claim__")."""
    condition = Q(**{f"{prefix}investigation": investigation}) & ~Q(
        **{f"{prefix}status__in": [ClaimStatus.SUGGESTED, ClaimStatus.DISMISSED]}
    )
    if options.verified_only:
        condition &= Q(**{f"{prefix}status": ClaimStatus.VERIFIED})
    return condition


# Report order: sources as the report numbers them, then each source's claims in text order.
# Every query below sorts its rows in this order (through `claim__` for related rows) and
# selects source id, start and claim id as its first three columns, so the four streams can
# be zipped without holding any of them. In Python the key is (source number, start, claim
# id): the same order, without converting the sources' timestamps on every row.
_CLAIM_ORDER = ("source__created_at", "source_id", "start", "pk")
_RELATED_ORDER = ("claim__source__created_at", "claim__source_id", "claim__start", "claim_id")
_CLAIM_KEY = ("source_id", "start", "pk")
_RELATED_KEY = ("claim__source_id", "claim__start", "claim_id")
_KEY_LENGTH = len(_CLAIM_KEY)
_PK = _KEY_LENGTH - 1  # the claim id: last column of the key
# Chosen, not read from the models (unlike transfer.py's lists): a report is published, and a
# field added to a model must not reach readers until someone decides it should.
_CLAIM_COLUMNS = (
    "end",
    "statement",
    "speaker",
    "attribution",
    "status",
    "independent_corroboration",
    # The claim of the original that a claim marked in a translation translates.
    "original__source_id",
    "original__quote",
)
_QUANTITY_COLUMNS = (
    "text",
    "start",
    "end",
    "value",
    "low",
    "high",
    "unit",
    "approximate",
    "bound",
    "measure",
)
_VERDICT_COLUMNS = (
    "rating",
    "rationale",
    "status",
    "proposed_at",
    "signed_off_at",
    "proposed_by_id",
    "proposed_by__first_name",
    "proposed_by__last_name",
    "proposed_by__username",
    "signed_off_by_id",
    "signed_off_by__first_name",
    "signed_off_by__last_name",
    "signed_off_by__username",
    # Last: claim() takes these two off for the ReportSignoff.
    "signed_sha256",
    "signed_content",
)
# An uploaded file's columns, read with its citation (a LEFT JOIN: None for other evidence).
_FILE_COLUMNS = (
    "evidence__file__sha256",
    "evidence__file__content_type",
    "evidence__file__kind",
    "evidence__file__size",
    "evidence__file__uploaded_at",
    "evidence__file__uploaded_by_id",
    "evidence__file__uploaded_by__first_name",
    "evidence__file__uploaded_by__last_name",
    "evidence__file__uploaded_by__username",
    "evidence__file__metadata",
    "evidence__file__published_sha256",
    "evidence__file__published_content_type",
)
_CITATION_COLUMNS = (
    "stance",
    "excerpt",
    "note",
    "evidence__title",
    "evidence__url",
    "evidence__publisher",
    "evidence__published_on",
    "evidence__reliability",
    "archive__fetched_at",
    "archive__sha256",
    *_FILE_COLUMNS,
    "pk",
)


class _RowsByClaim:
    """Rows of one related table, sorted in report order, handed out one claim at a time.

    The query runs at the first pop(), not before: a streamed report that is never read
    (a download the client dropped) leaves no database cursor open.
    """

    def __init__(self, rows, source_numbers):
        self._query = rows
        # Source id -> report number; a source added since the report began sorts last.
        self._number = lambda source_pk: source_numbers.get(source_pk, float("inf"))
        self._rows = None
        self._ahead = None

    def pop(self, key):
        """The rows (without their key) of the claim with report-order `key`, or [].

        Claims must be asked for in report order. Rows of claims that sort before `key`
        but were never asked for are skipped. Inside consistent_reads() every stream sees
        the same claims; read without it (inside a caller's READ COMMITTED transaction), a
        claim edited, dismissed or added between two queries may be in one stream and not
        the other, and comparing keys keeps it from holding up every later claim.
        """
        if self._rows is None:
            rows = self._query
            self._rows = iter(rows) if isinstance(rows, list) else rows.iterator(CHUNK_SIZE)
            self._ahead = next(self._rows, None)
        row, pk = self._ahead, key[_PK]
        # Only rows of another claim need the (slower) comparison of whole keys.
        while row is not None and row[_PK] != pk and (self._number(row[0]), *row[1:3]) < key:
            row = next(self._rows, None)
        found = []
        while row is not None and row[_PK] == pk:
            found.append(row[_KEY_LENGTH:])
            row = next(self._rows, None)
        self._ahead = row
        return found


class _ClaimStream:
    """All claims of a report read in one pass, handed out source by source."""

    def __init__(self, builder, rows):
        self._builder = builder
        self._query = rows
        self._rows = None
        self._ahead = None

    def of_source(self, number):
        """Yield the ReportClaims of report source `number`; sources must be read in order."""
        if self._rows is None:
            self._rows = self._query.iterator(CHUNK_SIZE)
            self._ahead = next(self._rows, None)
        source_pk = self._builder.source_pks[number]
        build = self._builder.claim
        # The source id is the first column of the key.
        while self._ahead is not None and self._ahead[0] == source_pk:
            row = self._ahead
            self._ahead = next(self._rows, None)
            yield build(number, row)


class _PagedClaimStream:
    """All claims of a report handed out source by source, read a page at a time.

    For SQLite, where an open cursor or transaction held across a download would hold up
    the database (see stream_reads). Sources are taken in report order: small ones together
    up to CHUNK_SIZE claims a page, a larger one in pages of CHUNK_SIZE by (start, id), its
    claims after the last one read. Each page reads its claims, then their quantities,
    verdicts and citations, in one short transaction, then lets them go: a page is of one
    moment, but two pages may not be (a claim edited between them shows as it is when its
    page is read). Five queries a page and one per source text, against four in all when
    streamed from PostgreSQL.
    """

    def __init__(self, builder, claims, related):
        self._builder = builder
        self._claims = claims
        self._related = related  # pks -> None: sets the builder's related streams
        self._rows = None
        self._ahead = None

    def of_source(self, number):
        """Yield the ReportClaims of report source `number`; sources must be read in order."""
        if self._rows is None:
            self._rows = self._read()
            self._ahead = next(self._rows, None)
        build = self._builder.claim
        while self._ahead is not None and self._ahead[0] == number:
            claim = build(number, self._ahead[1])
            # Only now: the next row may be the first of a page that replaces the related
            # rows this claim was built from.
            self._ahead = next(self._rows, None)
            yield claim

    def _read(self):
        """Yield (source number, claim row) in report order, page by page."""
        numbers = {pk: number for number, pk in self._builder.source_pks.items()}
        for group in self._groups():
            after = None
            while True:
                with consistent_reads():
                    page = self._claims.filter(source_id__in=group)
                    if len(group) == 1:
                        if after is not None:
                            start, pk = after
                            page = page.filter(Q(start__gt=start) | Q(start=start, pk__gt=pk))
                        page = page.order_by("start", "pk")[:CHUNK_SIZE]
                    rows = list(page.values_list(*_CLAIM_KEY, *_CLAIM_COLUMNS))
                    rows.sort(key=lambda row: (numbers[row[0]], row[1], row[_PK]))
                    if rows:
                        self._related([row[_PK] for row in rows])
                for row in rows:
                    yield numbers[row[0]], row
                if len(group) > 1 or len(rows) < CHUNK_SIZE:
                    break
                after = rows[-1][1], rows[-1][_PK]

    def _groups(self):
        """Lists of source ids in report order: consecutive sources with claims whose counts
        add up to at most CHUNK_SIZE, or a larger source alone."""
        counts = dict(
            self._claims.order_by()
            .values("source_id")
            .annotate(claims=Count("pk"))
            .values_list("source_id", "claims")
        )
        group: list[int] = []
        size = 0
        for _, source_pk in sorted(self._builder.source_pks.items()):
            count = counts.get(source_pk, 0)
            if not count:
                continue
            if group and size + count > CHUNK_SIZE:
                yield group
                group, size = [], 0
            group.append(source_pk)
            size += count
        if group:
            yield group


class _Builder:
    """Reads one investigation for one set of options; keeps what every claim needs.

    Source texts are read up front for a report built whole (its pages print them) and when
    pseudonymizing (every spelling must be known before the first text is rewritten). A
    streamed report without pseudonyms prints no text: it reads each source's text when its
    claims come up and lets the previous one go, so memory holds one text, not all of them.
    """

    def __init__(self, investigation, options, *, texts_up_front=True, paged=False):
        self.investigation = investigation
        self.options = options
        self.paged = paged
        self.texts_up_front = texts_up_front or options.pseudonymize
        sources = Source.objects.filter(investigation=investigation).order_by("created_at", "pk")
        if not self.texts_up_front:
            sources = sources.defer("text").annotate(text_length=Length("text"))
            # (pk, text) of each source in turn; see _published_text().
            self._texts: Iterable[tuple[int, str]] | None = None
        self.sources = list(sources)
        self.pseudonymize = Pseudonyms(
            [
                (source.author, source.text)
                for source in self.sources
                if source.kind == Source.Kind.TESTIMONY and source.author
            ]
            if options.pseudonymize
            else []
        )
        # Keyed by the report's source number: the Report itself carries no database ids.
        self.published = {}
        self.source_pks = {}
        self._numbers_by_pk: dict[int, int] | None = None
        # Report claims' ids by position (claim number - 1), for the audit appendix.
        self.claim_pks = []
        self.reviewer_labels = {}
        self.next_number = 1
        self.chain_head: tuple[int, str] | None = None  # read by report()

    def report(self, now):
        options, pseudonymize = self.options, self.pseudonymize
        title = options.title or f"Verification report: {self.investigation.title}"
        seq, head_sha256, claim_count, unverified = self._head_and_counts()
        self.chain_head = (seq, head_sha256)
        return Report(
            schema_version=REPORT_SCHEMA_VERSION,
            investigation={
                "slug": self.investigation.slug,
                "title": pseudonymize(self.investigation.title),
            },
            title=pseudonymize(title),
            introduction=pseudonymize(options.introduction or self.investigation.description),
            publisher=options.publisher,
            publication_url=options.publication_url,
            generated_at=(now or datetime.now(UTC)).isoformat(timespec="seconds"),
            options=_options_record(options),
            pseudonyms=pseudonymize.labels,
            audit_chain_head=dict(zip(("seq", "sha256"), self.chain_head, strict=True)),
            claim_count=claim_count,
            unverified_claims=unverified,
            draft=unverified > 0,
            sources=[self._source(number, source) for number, source in enumerate(self.sources, 1)],
        )

    def _head_and_counts(self):
        """(audit chain seq, its sha256, claims in the report, of which unverified): the
        chain's head as audit.chain_head() reads it, with the counts in the same statement."""
        held = Claim.objects.filter(_reported_claims(self.investigation, self.options))
        return (
            Investigation.objects.filter(pk=self.investigation.pk)
            .values_list(
                *AUDIT_HEAD_FIELDS,
                scalar(held, "COUNT", F("pk")),
                scalar(held.exclude(status=ClaimStatus.VERIFIED), "COUNT", F("pk")),
            )
            .get()
        )

    def _source(self, number, source):
        self.source_pks[number] = source.pk
        pseudonymize = self.pseudonymize
        if self.texts_up_front:
            published = pseudonymize.publish(source.text)
            self.published[number] = published
            text, length = published.text, len(published.text)
            # A pseudonymized text is a different text with its own hash. We do not publish
            # the original's hash beside it: with the hash, anyone could confirm a guessed
            # name by putting it back and hashing.
            sha256 = (
                hashlib.sha256(text.encode("utf-8")).hexdigest()
                if published.is_changed
                else source.text_sha256
            )
        else:
            # Streamed, not pseudonymized: the text is published as stored; its claims read it
            # when they come up (_published_text), and the formats streamed print none.
            text, length, sha256 = None, source.text_length, source.text_sha256
        return ReportSource(
            number=number,
            title=pseudonymize(source.title),
            kind=source.kind,
            kind_label=source.get_kind_display(),
            author=pseudonymize(source.author),
            publisher=pseudonymize(source.publisher),
            origin_url=pseudonymize(source.origin_url),
            published_on=_iso(source.published_on),
            captured_at=_iso(source.captured_at),
            language=source.language,
            sha256=sha256,
            length=length,
            text_file=f"sources/source-{number}.txt",
            text=text,
        )

    def _source_number(self, source_pk):
        """The report's number for source `source_pk`, or None when it is not in the report."""
        if self._numbers_by_pk is None:
            self._numbers_by_pk = {pk: number for number, pk in self.source_pks.items()}
        return self._numbers_by_pk.get(source_pk)

    def _published_text(self, number):
        """The PublishedText of report source `number` (read now when not read up front)."""
        published = self.published.get(number)
        if published is not None:
            return published
        if self._texts is None:
            # One query, read a text at a time in report order (a server-side cursor on
            # PostgreSQL); sources without claims are passed over.
            sources = Source.objects.filter(investigation=self.investigation)
            texts = sources.order_by("created_at", "pk").values_list("pk", "text")
            self._texts = texts.iterator(chunk_size=1)
        wanted = self.source_pks[number]
        if self.paged:
            # One short query per text: no cursor left open between pages (see stream_reads).
            text_of_wanted = Source.objects.filter(pk=wanted).values_list("text", flat=True)
            self._texts = [(wanted, text) for text in text_of_wanted]
        for pk, text in self._texts:
            if pk == wanted:
                self.published = {number: PublishedText(text, [])}  # the previous one goes
                return self.published[number]
        raise LookupError(f"source {wanted} left the investigation while its report was read")

    def claims(self, limit=None):
        """A _ClaimStream over the report's claims (the first `limit` of them, if given).

        Four queries whatever the size: claims, quantities, current verdicts, citations (with
        evidence and archive). Each is sorted in report order and read with iterator(), so
        memory holds one chunk of rows per query, and the rows are zipped here by claim id.
        Plain tuples from values_list(): model instances cost several times more to build.
        """
        claims = _claims_queryset(self.investigation, self.options).order_by(*_CLAIM_ORDER)
        if limit is not None:
            claims = claims[: max(limit, 0)]
        # Related rows of the same claims: a join condition when all claims are read (cheaper
        # for the database than matching against a subquery), the subquery when only the
        # first `limit` are.
        if limit is None:
            wanted = _reported_claims(self.investigation, self.options, prefix="claim__")
        else:
            wanted = Q(claim__in=claims.values("pk"))
        self._read_related(wanted)
        return _ClaimStream(self, claims.values_list(*_CLAIM_KEY, *_CLAIM_COLUMNS))

    def paged_claims(self):
        """A _PagedClaimStream over the report's claims (for SQLite, see stream_reads)."""
        claims = _claims_queryset(self.investigation, self.options)
        return _PagedClaimStream(
            self, claims, lambda pks: self._read_related(Q(claim_id__in=pks), now=True)
        )

    def _read_related(self, wanted, *, now=False):
        """Set the streams of quantities, current verdicts and citations of the claims
        `wanted` selects, sorted in report order; read at once as lists if `now`, else as
        the streams are first read."""
        quantities = (
            Quantity.objects.filter(wanted)
            .order_by(*_RELATED_ORDER, "start", "pk")
            .values_list(*_RELATED_KEY, *_QUANTITY_COLUMNS)
        )
        verdicts = (
            Verdict.objects.filter(wanted, status__in=Verdict.CURRENT_STATUSES)
            .order_by(*_RELATED_ORDER, "-proposed_at", "-pk")
            .values_list(*_RELATED_KEY, *_VERDICT_COLUMNS)
        )
        # The newest finished snapshot of each cited page, joined in: a LEFT JOIN on finished
        # snapshots, newest first, of which claim() keeps the first row per citation.
        # Retracted citations are kept on the claim page, struck through, but are no longer
        # evidence: a report leaves them out.
        citations = (
            ClaimEvidence.objects.filter(wanted, retracted_at__isnull=True)
            .annotate(
                archive=FilteredRelation(
                    "evidence__snapshots",
                    condition=Q(evidence__snapshots__status=Snapshot.Status.DONE),
                )
            )
            .order_by(*_RELATED_ORDER, "created_at", "pk", "-archive__created_at", "-archive__pk")
            .values_list(*_RELATED_KEY, *_CITATION_COLUMNS)
        )
        numbers = {pk: number for number, pk in self.source_pks.items()}

        def streamed(rows):
            return _RowsByClaim(list(rows) if now else rows, numbers)

        self._quantities = streamed(quantities)
        self._verdicts = streamed(verdicts)
        self._citations = streamed(citations)

    def claim(self, source_number, row):
        """The ReportClaim of one claim row, with its related rows taken from the streams."""
        (
            _,
            start,
            pk,
            end,
            statement,
            speaker,
            attribution,
            status,
            corroborated,
            original_source,
            original_quote,
        ) = row
        key = (source_number, start, pk)
        pseudonymize = self.pseudonymize
        published = self._published_text(source_number)
        text = published.text
        start = published.position(start)
        end = published.position(end, is_end=True)
        anchor = anchor_span(text, start, end)
        before, _, after = context_segments(text, start, end)
        verdicts = self._verdicts.pop(key)
        verdict = signed = None
        if verdicts:
            *columns, signed_sha256, signed_content = verdicts[0]
            verdict = self._verdict(*columns)
            if verdict.is_signed_off and signed_sha256:
                signed = self._signoff(signed_sha256, signed_content, verdict.signed_off_at)
        number = self.next_number
        self.next_number += 1
        self.claim_pks.append(pk)
        return ReportClaim(
            number=number,
            source_number=source_number,
            start=start,
            end=end,
            quote=anchor.quote,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            context_before=before,
            context_after=after,
            statement=pseudonymize(statement),
            speaker=pseudonymize(speaker),
            attribution=attribution,
            attribution_label=_ATTRIBUTION_LABELS.get(attribution, attribution),
            status=status,
            status_label=_STATUS_LABELS.get(status, status),
            quantities=[
                self._quantity(published, *quantity) for quantity in self._quantities.pop(key)
            ],
            verdict=verdict,
            evidence=self._evidence(self._citations.pop(key)),
            signoff=signed,
            independent_corroboration=corroborated,
            translation_of=(
                None
                if original_source is None
                else {
                    "source_number": self._source_number(original_source),
                    "quote": pseudonymize(original_quote),
                }
            ),
        )

    def _quantity(
        self, published, text, start, end, value, low, high, unit, approximate, bound, measure
    ):
        return ReportQuantity(
            text=self.pseudonymize(text),
            start=published.position(start),
            end=published.position(end, is_end=True),
            value=value,
            low=low,
            high=high,
            unit=unit,
            approximate=approximate,
            bound=bound,
            display=quantity_display(value, low, high, bound),
            measure=measure,
        )

    def _verdict(self, rating, rationale, status, proposed_at, signed_off_at, *people):
        proposer, signer = people[:4], people[4:]
        return ReportVerdict(
            rating=rating,
            rating_label=_RATING_LABELS.get(rating, rating),
            rationale=self.pseudonymize(rationale),
            status=status,
            proposed_by=self._person(*proposer),
            proposed_at=_iso(proposed_at),
            signed_off_by=self._person(*signer),
            signed_off_at=_iso(signed_off_at),
        )

    def _signoff(self, sha256, content, signed_at):
        """The ReportSignoff of a verdict's recorded digest and signed content."""
        statement, rationale = content["statement"], content["rationale"]
        citations = [
            {name: item[name] for name in signoff.CITATION_FIELDS}
            | {name: item[name] for name in signoff.CITATION_OPTIONAL_FIELDS if item.get(name)}
            for item in content["citations"]
        ]
        texts = [statement, rationale]
        texts += [item[name] for item in citations for name in ("title", "url", "excerpt", "note")]
        pseudonymize = self.pseudonymize
        if any(pseudonymize(text) != text for text in texts):
            return ReportSignoff(None, signed_at, None, withheld="pseudonymized")
        if not self.options.include_excerpts:
            for item in citations:
                item["excerpt_sha256"] = signoff.sha256_text(item.pop("excerpt"))
        published = {
            "statement": statement,
            "rating": content["rating"],
            "rationale": rationale,
            "citations": citations,
        }
        return ReportSignoff(sha256, signed_at, published)

    def _person(self, pk, first_name, last_name, username):
        """A reviewer's name, or "Reviewer 1", "Reviewer 2"... when names are redacted.

        Numbered stand-ins still show the four-eyes rule at work: a reader sees that the
        proposer and the signer of a verdict were different people. The name is what
        User.get_full_name() or get_username() would give.
        """
        if pk is None:
            return None
        if not self.options.redact_reviewers:
            return f"{first_name} {last_name}".strip() or username
        return self._stand_in(username)

    def _stand_in(self, username):
        """The numbered stand-in of a person, by username (the same person, the same one)."""
        if username not in self.reviewer_labels:
            self.reviewer_labels[username] = f"Reviewer {len(self.reviewer_labels) + 1}"
        return self.reviewer_labels[username]

    def audit_appendix(self, report, *, is_limited):
        """The AuditAppendix of the report's claims: one query, whatever their number.

        Events of every reported claim are read in one query, in chain order, joined to the
        claims on the report's own condition (or, for a preview of the first claims only,
        matched against their ids), and grouped by claim here.
        """
        events = AuditEvent.objects.select_related("actor")
        if is_limited:
            events = events.filter(claim__in=self.claim_pks)
        else:
            events = events.filter(
                _reported_claims(self.investigation, self.options, prefix="claim__")
            )
        # Offsets in the history point into the stored texts; a pseudonymized report
        # publishes them moved, as its claims' own offsets are.
        texts = {
            pk: self.published[claim.source_number]
            for claim, pk in zip(report.claims, self.claim_pks, strict=True)
        }
        by_claim: dict[int | None, list[AppendixEntry]] = {}
        for event in events.order_by("seq").iterator(CHUNK_SIZE):
            entry = self._appendix_entry(event, texts.get(event.claim_id))
            by_claim.setdefault(event.claim_id, []).append(entry)
        if self.chain_head is None:
            # report() reads the head before any claim; the appendix is drawn after them.
            raise RuntimeError("audit_appendix() runs after report()")
        seq, sha256 = self.chain_head
        return AuditAppendix(
            head_seq=seq,
            head_sha256=sha256,
            claims=[
                AppendixClaim(
                    number=claim.number,
                    anchor=claim.anchor,
                    statement=claim.statement or claim.quote,
                    entries=by_claim.get(pk, []),
                )
                for claim, pk in zip(report.claims, self.claim_pks, strict=True)
            ],
        )

    def _appendix_entry(self, event, published):
        """An AppendixEntry, with names redacted and witnesses pseudonymized as in the claims.

        `published` is the PublishedText of the event's claim's source.
        """
        if event.actor_id is not None:
            actor = event.actor
            actor = self._person(actor.pk, actor.first_name, actor.last_name, actor.username)
        elif not event.actor_username:
            actor = "system"
        elif self.options.redact_reviewers:
            actor = self._stand_in(event.actor_username)
        else:  # the account is gone; the name recorded with the event is not
            actor = event.actor_username
        # Members this event may @mention in its texts: its actor, the mentions it lists.
        members = {event.actor_username, *event.after.get("mentions", [])} - {""}
        shown = copy.copy(event)
        shown.before = self._published_values(event.before, members, published)
        shown.after = self._published_values(event.after, members, published)
        entry = history.describe(shown)
        return AppendixEntry(
            seq=event.seq,
            at=event.created_at.astimezone(UTC).isoformat(timespec="seconds"),
            actor=actor,
            verb=entry.verb,
            object_repr=""
            if event.object_type == "claim"
            else self._history_text(event.object_repr, members),
            changes=entry.changes,
            is_retraction=event.action in RETRACTION_ACTIONS,
            is_void=event.action in VOID_ACTIONS,
        )

    def _published_values(self, values, members, text):
        published = {}
        for name, value in values.items():
            if name in PERSON_FIELDS and self.options.redact_reviewers:
                value = self._stand_ins(value)
            elif name in ("start", "end") and type(value) is int and text is not None:
                value = text.position(value, is_end=name == "end")
            elif isinstance(value, list):
                value = [self._history_text(item, members) for item in value]
            else:
                value = self._history_text(value, members)
            published[name] = value
        return published

    def _stand_ins(self, value):
        if isinstance(value, list):
            return [self._stand_ins(item) for item in value]
        return self._stand_in(value) if isinstance(value, str) and value else value

    def _history_text(self, value, members):
        """A text of the history as the report publishes it: witnesses pseudonymized and,
        when reviewer names are redacted, @mentions of members by their stand-ins."""
        if not isinstance(value, str):
            return value
        if self.options.redact_reviewers:
            known = members | set(self.reviewer_labels)
            pieces, position = [], 0
            for start, end, username in mentions.find_mentions(value, known):
                pieces += [value[position:start], f"@{self._stand_in(username)}"]
                position = end
            value = "".join(pieces) + value[position:]
        return self.pseudonymize(value)

    def _evidence(self, rows):
        """ReportEvidence of one claim's citation rows: one row per citation and finished
        snapshot of its page, newest snapshot first, of which the first counts."""
        pseudonymize, include_excerpts = self.pseudonymize, self.options.include_excerpts
        evidence, last_citation = [], None
        for row in rows:
            citation = row[-1]
            if citation == last_citation:
                continue
            last_citation = citation
            (
                stance,
                excerpt,
                note,
                title,
                url,
                publisher,
                published_on,
                reliability,
                archived_at,
                archive_sha256,
                *file_columns,
                _,
            ) = row
            evidence.append(
                ReportEvidence(
                    stance=stance,
                    stance_label=_STANCE_LABELS.get(stance, stance),
                    title=pseudonymize(title),
                    url=pseudonymize(url),
                    publisher=pseudonymize(publisher),
                    published_on=_iso(published_on),
                    reliability=_RELIABILITY_LABELS.get(reliability, reliability),
                    excerpt=pseudonymize(excerpt) if include_excerpts else "",
                    note=pseudonymize(note),
                    archived_at=_iso(archived_at),
                    archive_sha256=archive_sha256 or "",
                    file=self._file(file_columns),
                )
            )
        return evidence

    def _file(self, columns):
        """The report's record of an uploaded file (file_record), None for other evidence."""
        (
            sha256,
            content_type,
            kind,
            size,
            uploaded_at,
            *uploader,
            metadata,
            copy_sha256,
            copy_type,
        ) = columns
        if not sha256:
            return None
        return file_record(
            sha256=sha256,
            content_type=content_type,
            kind=kind,
            size=size,
            uploaded_by=self._person(*uploader),
            uploaded_at=_iso(uploaded_at),
            metadata=metadata or {},
            published_sha256=copy_sha256,
            published_content_type=copy_type,
            include_metadata=self.options.include_file_metadata,
        )


def _options_record(options):
    """The options as the report states them: switches only, never the free texts again.

    include_file_metadata is stated only when chosen, so that a report without it hashes as
    reports did before the option existed."""
    record = {
        "verified_only": options.verified_only,
        "include_excerpts": options.include_excerpts,
        "redact_reviewers": options.redact_reviewers,
        "pseudonymize": options.pseudonymize,
    }
    if options.include_file_metadata:
        record["include_file_metadata"] = True
    return record


# What a report bundles of an uploaded file, by whether its metadata is published.
ORIGINAL = "original"
CLEAN_COPY = "re-encoded without metadata"
WITHHELD = "withheld"


def file_record(
    *,
    sha256,
    content_type,
    kind,
    size,
    uploaded_by,
    uploaded_at,
    metadata,
    published_sha256,
    published_content_type,
    include_metadata,
):
    """What a report says of an uploaded file: hash, type, size, who uploaded it and when,
    its metadata, and which copy the bundle publishes under which path.

    With `include_metadata` the metadata is published whole and the bundle carries the
    original. Without it personal metadata (GPS, serial numbers, owner, artist) is left out;
    a picture is published as its re-encoded copy holding no metadata at all (its own
    SHA-256 beside the original's), and any other file (a PDF, a recording, a video, whose
    metadata the workbench cannot strip) is withheld from the bundle.
    """
    if include_metadata:
        extension = EXTENSIONS.get(content_type, "bin")
        published = {"copy": ORIGINAL, "sha256": sha256, "path": f"files/{sha256}.{extension}"}
    elif kind == "image" and published_sha256:
        extension = EXTENSIONS.get(published_content_type, "jpg")
        published = {
            "copy": CLEAN_COPY,
            "sha256": published_sha256,
            "path": f"files/{published_sha256}.{extension}",
        }
    else:
        published = {"copy": WITHHELD, "sha256": "", "path": None}
    return {
        "sha256": sha256,
        "content_type": content_type,
        "kind": kind,
        "size": size,
        "uploaded_by": uploaded_by,
        "uploaded_at": uploaded_at,
        "metadata": metadata if include_metadata else pictures.public_metadata(metadata),
        "metadata_included": include_metadata,
        "published": published,
    }


def _iso(value):
    return value.isoformat() if value else None


def file_bodies(investigation, report):
    """[(bundle path, storage file)] of the uploaded files a report publishes: each file's
    original or its clean copy, as its record says (file_record); withheld ones are left out."""
    wanted = {}
    for claim in report.claims:
        for item in claim.evidence:
            if item.file and item.file["published"]["path"]:
                wanted[item.file["sha256"]] = item.file["published"]
    if not wanted:
        return []
    found = {}
    for stored in EvidenceFile.objects.filter(investigation=investigation, sha256__in=wanted):
        published = wanted[stored.sha256]
        body = stored.file if published["copy"] == ORIGINAL else stored.published_copy
        if body:
            found[published["path"]] = body
    return sorted(found.items())


def snapshot_bodies(investigation, report):
    """[(sha256, content type, storage file)] of the archived pages a report cites.

    Only snapshots whose body is stored; a report without snapshots gives an empty list.
    """
    wanted = {item.archive_sha256 for claim in report.claims for item in claim.evidence}
    wanted.discard("")
    if not wanted:
        return []
    found: dict[str, tuple[str, str, FieldFile]] = {}
    snapshots = Snapshot.objects.filter(
        evidence__investigation=investigation, status=Snapshot.Status.DONE, sha256__in=wanted
    ).exclude(body="")
    for snapshot in snapshots:
        found.setdefault(snapshot.sha256, (snapshot.sha256, snapshot.content_type, snapshot.body))
    return [found[sha256] for sha256 in sorted(found)]
