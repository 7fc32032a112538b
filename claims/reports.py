"""The verification report as data: build_report() or stream_report() -> Report.

The builder reads the database; the renderers in `claims/report_formats/` only read the
Report. That keeps every format saying the same thing, and lets redaction and pseudonymization
happen once, here.

Two ways to get a Report:

- `build_report()` holds every claim in lists: for the HTML and PDF pages, which need counts
  and groups before they can print the first line.
- `stream_report()` gives each source a one-shot iterator of claims, read from the database
  in chunks: CSV, JSON and Markdown are written claim by claim, so exporting 20,000 claims
  holds one chunk in memory, not the whole investigation.

The report carries no database ids: claims and sources are numbered in report order, so the
same investigation gives the same report on another installation (see `ReportDigest`).
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime

from django.db.models import Prefetch

from claims.anchoring import anchor_span, context_segments
from claims.models import (
    Attribution,
    Claim,
    ClaimEvidence,
    ClaimStatus,
    Reliability,
    Snapshot,
    Source,
    Stance,
    Verdict,
    VerdictRating,
)
from claims.pseudonyms import Pseudonyms, PublishedText

REPORT_SCHEMA_VERSION = "1.0"
# Claims read per database round trip when streaming. One chunk costs five queries (claims,
# quantities, verdicts, citations with evidence, snapshots); 2,000 claims with three pieces
# of evidence each stay under about 40 MB of model instances.
CHUNK_SIZE = 2000
NO_VERDICT = "No verdict yet"
# Labels looked up once: Model.get_FOO_display() re-hashes the choices on every call, about
# a sixth of the time of a large export.
_ATTRIBUTION_LABELS = dict(Attribution.choices)
_STATUS_LABELS = dict(ClaimStatus.choices)
_RATING_LABELS = dict(VerdictRating.choices)
_STANCE_LABELS = dict(Stance.choices)
_RELIABILITY_LABELS = dict(Reliability.choices)
AWAITING_SIGN_OFF = "Verdict awaiting sign-off"


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
    # which cites it by `sha256` and ships it beside the report in a bundle.
    text: str = field(repr=False)
    claims: list[ReportClaim] = field(default_factory=list)

    @property
    def anchor(self):
        return f"source-{self.number}"

    def verdict_groups(self):
        """[(group label, claims)] in the order of the verdict scale, then open ones."""
        groups = {}
        for claim in self.claims:
            groups.setdefault(claim.verdict_group, []).append(claim)
        return [(label, groups[label]) for label in VERDICT_GROUP_ORDER if label in groups]


VERDICT_GROUP_ORDER = [label for _, label in VerdictRating.choices] + [
    AWAITING_SIGN_OFF,
    NO_VERDICT,
]


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
    sources: list[ReportSource]

    @property
    def claims(self):
        return [claim for source in self.sources for claim in source.claims]

    def counts_by_verdict(self):
        """[(group label, count)] over all claims, in scale order (built reports only)."""
        counts = {}
        for claim in self.claims:
            counts[claim.verdict_group] = counts.get(claim.verdict_group, 0) + 1
        return [(label, counts[label]) for label in VERDICT_GROUP_ORDER if label in counts]

    @property
    def sha256(self):
        """The report digest (see ReportDigest); built reports only."""
        return digest_report(self)

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
_NOT_DIGESTED = {"generated_at", "sources", "claims", "text", "report_sha256"}


def header_fields(report):
    """The report's own fields as plain data, without its sources."""
    return {f.name: getattr(report, f.name) for f in fields(report) if f.name != "sources"}


def source_fields(source):
    """A source's fields as plain data, without its text and claims."""
    return {
        f.name: getattr(source, f.name) for f in fields(source) if f.name not in ("claims", "text")
    }


def claim_fields(claim):
    return asdict(claim)


def canonical_json(data):
    """One fixed serialization (sorted keys, no spaces, UTF-8) for hashing."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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
        data = {key: value for key, value in data.items() if key not in _NOT_DIGESTED}
        self._hash.update(canonical_json(data).encode("utf-8") + b"\n")

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


def build_report(investigation, options=ReportOptions(), *, claim_limit=None, now=None):
    """Collect the investigation's sources and claims into a Report with claims in lists.

    `claim_limit` caps the claims read (for a preview); `now` fixes `generated_at`.
    """
    builder = _Builder(investigation, options)
    remaining = claim_limit
    report = builder.report(now)
    for source in report.sources:
        source.claims = list(builder.claims_of(source, limit=remaining))
        if remaining is not None:
            remaining -= len(source.claims)
    return report


def stream_report(investigation, options=ReportOptions(), *, now=None):
    """A Report whose sources' `claims` are one-shot iterators reading in chunks.

    Read sources and their claims in order, once; counting or grouping needs build_report.
    """
    builder = _Builder(investigation, options)
    report = builder.report(now)
    for source in report.sources:
        source.claims = builder.claims_of(source)
    return report


def count_claims(investigation, options=ReportOptions()):
    return _claims_queryset(investigation, options).count()


def _claims_queryset(investigation, options):
    claims = Claim.objects.filter(investigation=investigation).exclude(
        status__in=[ClaimStatus.SUGGESTED, ClaimStatus.DISMISSED]
    )
    if options.verified_only:
        claims = claims.filter(status=ClaimStatus.VERIFIED)
    return claims


class _Builder:
    """Reads one investigation for one set of options; keeps what every claim needs."""

    def __init__(self, investigation, options):
        self.investigation = investigation
        self.options = options
        # Source texts are read once, up front: pseudonymization must know every spelling
        # before it rewrites the first text. Memory grows with the texts, not the claims.
        self.sources = list(
            Source.objects.filter(investigation=investigation).order_by("created_at", "pk")
        )
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
        self.reviewer_labels = {}
        self.next_number = 1

    def report(self, now):
        options, pseudonymize = self.options, self.pseudonymize
        title = options.title or f"Verification report: {self.investigation.title}"
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
            sources=[self._source(number, source) for number, source in enumerate(self.sources, 1)],
        )

    def _source(self, number, source):
        pseudonymize = self.pseudonymize
        published = pseudonymize.publish(source.text)
        self.published[number] = published
        report_source = ReportSource(
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
            # A pseudonymized text is a different text with its own hash. We do not publish
            # the original's hash beside it: with the hash, anyone could confirm a guessed
            # name by putting it back and hashing.
            sha256=hashlib.sha256(published.text.encode("utf-8")).hexdigest()
            if published.is_changed
            else source.text_sha256,
            length=len(published.text),
            text_file=f"sources/source-{number}.txt",
            text=published.text,
        )
        self.source_pks[number] = source.pk
        return report_source

    def claims_of(self, report_source, limit=None):
        """Yield the ReportClaims of one source in text order, reading CHUNK_SIZE at a time."""
        if limit is not None and limit <= 0:
            return
        claims = (
            _claims_queryset(self.investigation, self.options)
            .filter(source_id=self.source_pks[report_source.number])
            .order_by("start", "pk")
            .prefetch_related(
                "quantities",
                Prefetch(
                    "verdicts",
                    queryset=Verdict.objects.filter(
                        status__in=Verdict.CURRENT_STATUSES
                    ).select_related("proposed_by", "signed_off_by"),
                    to_attr="current_verdicts",
                ),
                Prefetch(
                    "citations",
                    queryset=ClaimEvidence.objects.select_related("evidence").prefetch_related(
                        Prefetch(
                            "evidence__snapshots",
                            queryset=Snapshot.objects.filter(status=Snapshot.Status.DONE),
                            to_attr="prefetched_snapshots",
                        )
                    ),
                ),
            )
        )
        if limit is not None:
            claims = claims[:limit]
        published = self.published[report_source.number]
        for claim in claims.iterator(chunk_size=CHUNK_SIZE):
            yield self._claim(claim, report_source, published)

    def _claim(self, claim, report_source, published: PublishedText):
        pseudonymize = self.pseudonymize
        text = published.text
        start = published.position(claim.start)
        end = published.position(claim.end, is_end=True)
        anchor = anchor_span(text, start, end)
        before, _, after = context_segments(text, start, end)
        verdict = claim.current_verdicts[0] if claim.current_verdicts else None
        number = self.next_number
        self.next_number += 1
        return ReportClaim(
            number=number,
            source_number=report_source.number,
            start=start,
            end=end,
            quote=anchor.quote,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            context_before=before,
            context_after=after,
            statement=pseudonymize(claim.statement),
            speaker=pseudonymize(claim.speaker),
            attribution=claim.attribution,
            attribution_label=_ATTRIBUTION_LABELS.get(claim.attribution, claim.attribution),
            status=claim.status,
            status_label=_STATUS_LABELS.get(claim.status, claim.status),
            quantities=[
                ReportQuantity(
                    text=pseudonymize(quantity.text),
                    start=published.position(quantity.start),
                    end=published.position(quantity.end, is_end=True),
                    value=quantity.value,
                    low=quantity.low,
                    high=quantity.high,
                    unit=quantity.unit,
                    approximate=quantity.approximate,
                    bound=quantity.bound,
                    display=quantity.display_value,
                )
                for quantity in claim.quantities.all()
            ],
            verdict=None if verdict is None else self._verdict(verdict),
            evidence=[self._evidence(citation) for citation in claim.citations.all()],
        )

    def _verdict(self, verdict):
        return ReportVerdict(
            rating=verdict.rating,
            rating_label=_RATING_LABELS.get(verdict.rating, verdict.rating),
            rationale=self.pseudonymize(verdict.rationale),
            status=verdict.status,
            proposed_by=self._person(verdict.proposed_by),
            proposed_at=_iso(verdict.proposed_at),
            signed_off_by=self._person(verdict.signed_off_by),
            signed_off_at=_iso(verdict.signed_off_at),
        )

    def _person(self, user):
        """A reviewer's name, or "Reviewer 1", "Reviewer 2"... when names are redacted.

        Numbered stand-ins still show the four-eyes rule at work: a reader sees that the
        proposer and the signer of a verdict were different people.
        """
        if user is None:
            return None
        if not self.options.redact_reviewers:
            return user.get_full_name() or user.get_username()
        if user.pk not in self.reviewer_labels:
            self.reviewer_labels[user.pk] = f"Reviewer {len(self.reviewer_labels) + 1}"
        return self.reviewer_labels[user.pk]

    def _evidence(self, citation):
        pseudonymize, evidence = self.pseudonymize, citation.evidence
        snapshot = evidence.prefetched_snapshots[0] if evidence.prefetched_snapshots else None
        return ReportEvidence(
            stance=citation.stance,
            stance_label=_STANCE_LABELS.get(citation.stance, citation.stance),
            title=pseudonymize(evidence.title),
            url=pseudonymize(evidence.url),
            publisher=pseudonymize(evidence.publisher),
            published_on=_iso(evidence.published_on),
            reliability=_RELIABILITY_LABELS.get(evidence.reliability, evidence.reliability),
            excerpt=pseudonymize(citation.excerpt) if self.options.include_excerpts else "",
            note=pseudonymize(citation.note),
            archived_at=_iso(snapshot.fetched_at) if snapshot else None,
            archive_sha256=snapshot.sha256 if snapshot else "",
        )


def _options_record(options):
    """The options as the report states them: switches only, never the free texts again."""
    return {
        "verified_only": options.verified_only,
        "include_excerpts": options.include_excerpts,
        "redact_reviewers": options.redact_reviewers,
        "pseudonymize": options.pseudonymize,
    }


def _iso(value):
    return value.isoformat() if value else None


def snapshot_bodies(investigation, report):
    """[(sha256, content type, storage file)] of the archived pages a report cites.

    Only snapshots whose body is stored; a report without snapshots gives an empty list.
    """
    wanted = {item.archive_sha256 for claim in report.claims for item in claim.evidence}
    wanted.discard("")
    if not wanted:
        return []
    found = {}
    snapshots = Snapshot.objects.filter(
        evidence__investigation=investigation, status=Snapshot.Status.DONE, sha256__in=wanted
    ).exclude(body="")
    for snapshot in snapshots:
        found.setdefault(snapshot.sha256, (snapshot.sha256, snapshot.content_type, snapshot.body))
    return [found[sha256] for sha256 in sorted(found)]
