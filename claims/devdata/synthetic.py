"""Synthetic investigations at scale, for benchmarks and scale tests.

`generate(investigation, claims=N)` writes sources whose text is made of varied sentences,
claims anchored to some of those sentences (offsets, quote, prefix and suffix exactly as
`anchoring.anchor_span` computes them), the numbers inside them as quantities, evidence and
citations, verdicts that keep the four-eyes rule, comments and an audit trail, spread over the
statuses a working desk has. The same seed gives the same texts and choices.

Rows are written with bulk inserts, a batch of sources and everything hanging off them per
transaction: model `save()` methods are bypassed, so this module builds each row valid by
construction (the anchor rule, the text hash, one current verdict per claim) instead.
"""

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from claims.columns import columns
from claims.extraction import measure_of, occasion_of
from claims.models import (
    AUDIT_HEAD_FIELDS,
    Attribution,
    AuditEvent,
    Claim,
    ClaimEvidence,
    ClaimStatus,
    Comment,
    Evidence,
    Investigation,
    Membership,
    Priority,
    Quantity,
    Reliability,
    Role,
    Source,
    Stance,
    Verdict,
    VerdictRating,
)
from claims.review import audit_chain, signoff
from claims.sources.anchoring import anchor_span, sha256_text

# Claims per source, on average; sources have more sentences than claims, so some of every
# text is unclaimed narration, as in real testimony.
CLAIMS_PER_SOURCE = 40
SOURCES_PER_BATCH = 50
INSERT_BATCH = 2000

MEMBERS = [
    ("synthetic-owner", Role.OWNER),
    ("synthetic-editor", Role.EDITOR),
    ("synthetic-reviewer-1", Role.REVIEWER),
    ("synthetic-reviewer-2", Role.REVIEWER),
    ("synthetic-reviewer-3", Role.REVIEWER),
    ("synthetic-viewer", Role.VIEWER),
]

# How a desk's claims are spread over statuses (weights, not percentages).
STATUS_WEIGHTS = {
    ClaimStatus.SUGGESTED: 14,
    ClaimStatus.OPEN: 24,
    ClaimStatus.IN_REVIEW: 18,
    ClaimStatus.VERDICT_PROPOSED: 9,
    ClaimStatus.VERIFIED: 22,
    ClaimStatus.DISPUTED: 4,
    ClaimStatus.DISMISSED: 6,
    ClaimStatus.REOPENED: 3,
}

CITIES = ["Marrow", "Vessa", "Old Harbour", "Kelden", "Aston Reach", "Brindle", "Saltmere"]
PLACES = [
    "the central square",
    "the river bridge",
    "the regional hospital",
    "the bus depot",
    "the town hall",
    "the grain market",
    "the police station on Ferry Street",
    "the university gates",
]
WITNESSES = [
    "Ida Sorensen",
    "Tomas Reyes",
    "Amira Haddad",
    "Lev Petrov",
    "Grace Owusu",
    "Jun Watanabe",
    "Marta Kowalska",
    "Samuel Okafor",
]
OFFICIALS = ["the regional governor", "a ministry spokesperson", "the police chief", "the mayor"]
OUTLETS = ["River Desk", "Harbour Courier", "Northern Wire", "Valley Radio", "Civic Monitor"]
SOURCE_KINDS = [
    (Source.Kind.TESTIMONY, 5),
    (Source.Kind.ARTICLE, 3),
    (Source.Kind.STATEMENT, 1),
    (Source.Kind.WEB_PAGE, 1),
]
HEDGES = [
    ("about {n}", "approximate", True),
    ("around {n}", "approximate", True),
    ("at least {n}", "lower", False),
    ("more than {n}", "lower", False),
    ("up to {n}", "upper", False),
    ("{n}", "exact", False),
]
NARRATION = [
    "It was cold and the streets smelled of smoke.",
    "Nobody we spoke to wanted to give their full name.",
    "The interview was recorded on a phone and transcribed the same evening.",
    "Shops stayed shut for the rest of the week.",
    "Some of what follows could not be checked at the time of writing.",
    "Relatives were still waiting outside when we left.",
]
COMMENTS = [
    "Checked the ministry's daily bulletin; the figure is not there yet.",
    "Two outlets give different numbers, need a primary source.",
    "Asked the hospital press office, waiting for an answer.",
    "The satellite image is from the day before; does not settle it.",
    "Witness repeats this in the second interview, wording slightly different.",
    "Flagging for the legal check before we publish.",
]
RATIONALES = [
    "Official records and two independent witnesses agree on the figure.",
    "Only one second-hand account; nothing corroborates it.",
    "Photographs place the event a day later than stated.",
    "The number is plausible but the count cannot be verified from public records.",
    "Hospital admission lists contradict the claim.",
]


@dataclass
class _Sentence:
    text: str
    speaker: str
    attribution: str
    # (start, end, text, value, low, high, unit, bound, approximate, kind), offsets in sentence
    quantities: list = field(default_factory=list)


@dataclass
class Counts:
    sources: int = 0
    claims: int = 0
    quantities: int = 0
    evidence: int = 0
    citations: int = 0
    verdicts: int = 0
    comments: int = 0
    audit_events: int = 0

    def add(self, other):
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def ensure_members(investigation):
    """Create the synthetic team (unusable passwords) and their memberships if missing.

    Returns {username: user}.
    """
    users = {}
    user_model = get_user_model()
    for username, role in MEMBERS:
        user, created = user_model.objects.get_or_create(username=username)
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            investigation=investigation, user=user, defaults={"role": role}
        )
        users[username] = user
    return users


def generate(investigation, *, claims, evidence_per_claim=1, seed=0, progress=None):
    """Add `claims` claims (with their sources and review history) to `investigation`.

    Deterministic for a given seed and size. Returns a Counts of the rows written. `progress`,
    if given, is called with the number of claims written so far after each batch.
    """
    if claims < 0 or evidence_per_claim < 0:
        raise ValueError("claims and evidence_per_claim must not be negative")
    rng = random.Random(seed)
    users = ensure_members(investigation)
    team = _Team(users)
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    total = Counts()
    remaining = claims
    source_number = Source.objects.filter(investigation=investigation).count()
    while remaining > 0:
        batch = []
        while remaining > 0 and len(batch) < SOURCES_PER_BATCH:
            size = min(remaining, max(1, int(rng.gauss(CLAIMS_PER_SOURCE, 8))))
            source_number += 1
            batch.append(_plan_source(rng, source_number, size, statuses, weights))
            remaining -= size
        total.add(_write_batch(investigation, batch, team, rng, evidence_per_claim, seed))
        if progress:
            progress(total.claims)
    return total


class _Team:
    def __init__(self, users):
        self.owner = users["synthetic-owner"]
        self.editor = users["synthetic-editor"]
        self.reviewers = [users[f"synthetic-reviewer-{n}"] for n in (1, 2, 3)]
        self.writers = [self.owner, self.editor, *self.reviewers]
        self.usernames = {user.pk: user.get_username() for user in users.values()}

    def two_reviewers(self, rng):
        """A proposer and a different signer: the four-eyes rule by construction."""
        proposer, signer = rng.sample([*self.reviewers, self.editor], 2)
        return proposer, signer


def _quantity_phrase(rng, value, unit_word):
    template, bound, approximate = rng.choice(HEDGES)
    phrase = template.format(n=f"{value:,}")
    return phrase, bound, approximate, unit_word


def _sentence(rng):
    """One varied sentence with the offsets of its numbers; templates are this module's own."""
    city, place = rng.choice(CITIES), rng.choice(PLACES)
    witness, official = rng.choice(WITNESSES), rng.choice(OFFICIALS)
    day = rng.randint(1, 28)
    kind = rng.randrange(6)
    if kind == 0:
        value = rng.choice([40, 120, 300, 800, 1500, 5000, 12000, 20000])
        phrase, bound, approximate, _ = _quantity_phrase(rng, value, "people")
        head = f"On {day} March {phrase}"
        text = f"{head} people gathered near {place} in {city}, {witness} says."
        quantity = (len(head) - len(phrase), len(head), phrase, value, "people", bound, approximate)
        return _Sentence(text, witness, Attribution.WITNESS, [_count(*quantity)])
    if kind == 1:
        value = rng.randint(2, 60)
        phrase, bound, approximate, _ = _quantity_phrase(rng, value, "people")
        head = f"{official.capitalize()} said {phrase}"
        text = f"{head} people had been injured at {place}."
        quantity = (len(head) - len(phrase), len(head), phrase, value, "people", bound, approximate)
        return _Sentence(text, official, Attribution.GOVERNMENT, [_count(*quantity)])
    if kind == 2:
        share = rng.choice([10, 25, 40, 60, 75, 90])
        head = f"According to {witness}, {share} percent"
        text = f"{head} of the crowd in {city} was peaceful."
        start = len(head) - len(f"{share} percent")
        quantity = (start, len(head), f"{share} percent", share, None, None, "percent")
        return _Sentence(
            text,
            witness,
            Attribution.WITNESS,
            [(*quantity, "exact", False, "percent")],
        )
    if kind == 3:
        low = rng.choice([50, 100, 200, 400])
        high = low * rng.choice([2, 3, 5])
        head = f"{rng.choice(OUTLETS)} reported that between {low}"
        middle = f"{head} and {high}"
        text = f"{middle} people were detained overnight in {city}."
        low_span = (len(head) - len(str(low)), len(head))
        high_span = (len(middle) - len(str(high)), len(middle))
        return _Sentence(
            text,
            "",
            Attribution.MEDIA,
            [
                (*low_span, str(low), low, low, high, "people", "exact", False, "range_end"),
                (*high_span, str(high), high, low, high, "people", "exact", False, "range_end"),
            ],
        )
    if kind == 4:
        hours = rng.randint(2, 30)
        head = f"The shooting near {place} lasted {hours} hours"
        text = f"{head}, {witness} recalls."
        span = (len(head) - len(f"{hours} hours"), len(head))
        quantity = (*span, f"{hours} hours", hours, None, None, "hours", "exact", False)
        return _Sentence(text, witness, Attribution.WITNESS, [(*quantity, "duration")])
    text = (
        f"{witness} saw soldiers in unmarked uniforms at {place} in {city}, "
        "and heard that the order to disperse came from the capital."
    )
    return _Sentence(text, witness, rng.choice([Attribution.WITNESS, Attribution.UNKNOWN]))


def _count(start, end, phrase, value, unit, bound, approximate):
    low = value if bound == "lower" else None
    high = value if bound == "upper" else None
    return (start, end, phrase, value, low, high, unit, bound, approximate, "count")


@dataclass
class _PlannedSource:
    number: int
    kind: str
    title: str
    author: str
    publisher: str
    published_on: date
    text: str
    # (start, end, sentence, status, priority)
    claims: list


def _plan_source(rng, number, size, statuses, weights):
    """Compose one source text with `size` claimable sentences and choose each claim's fate."""
    kind = rng.choices([k for k, _ in SOURCE_KINDS], [w for _, w in SOURCE_KINDS])[0]
    witness = rng.choice(WITNESSES)
    city = rng.choice(CITIES)
    parts = [f"{kind.label} {number}: events in {city}\n\n"]
    offset = len(parts[0])
    planned = []
    for index in range(size):
        sentence = _sentence(rng)
        if index and index % 6 == 0:
            parts.append("\n\n")
            offset += 2
        if rng.random() < 0.3:
            filler = rng.choice(NARRATION) + " "
            parts.append(filler)
            offset += len(filler)
        status = rng.choices(statuses, weights)[0]
        priority = rng.choices(list(Priority), [3, 10, 4, 1])[0]
        planned.append((offset, offset + len(sentence.text), sentence, status, priority))
        parts.append(sentence.text + " ")
        offset += len(sentence.text) + 1
    parts.append("\n\nLeave a reply: your email address will not be published.\n")
    return _PlannedSource(
        number=number,
        kind=kind,
        title=f"{kind.label} from {city}, part {number}",
        author=witness if kind == Source.Kind.TESTIMONY else rng.choice(OUTLETS),
        publisher=rng.choice(OUTLETS),
        published_on=date(2026, 1, 1) + timedelta(days=rng.randrange(120)),
        text="".join(parts),
        claims=planned,
    )


class _Writer:
    """Insert rows given as plain tuples: COPY on PostgreSQL, executemany elsewhere.

    Building a model instance per row and letting bulk_create compile it costs more than the
    rest of the generation together; at 100,000 claims (about a million rows) that is the
    difference between one minute and several. Ids are reserved up front so child rows can
    point at their parents without reading anything back.
    """

    def __init__(self):
        self.connection = connection
        self.ops = connection.ops
        self.now = self.ops.adapt_datetimefield_value(timezone.now())
        self.next_id = {}

    def date(self, value):
        return self.ops.adapt_datefield_value(value)

    def reserve_ids(self, model, count):
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                # nextval() is safe beside concurrent writers; ids need not be contiguous.
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.ops.quote_name(table), count],
                )
                return [row[0] for row in cursor.fetchall()]
            if table not in self.next_id:
                # SQLite: one writer at a time, and this runs inside the batch's transaction.
                quoted = self.ops.quote_name(table)  # a model's table name, never user input
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")  # noqa: S608
                self.next_id[table] = cursor.fetchone()[0] + 1
        first = self.next_id[table]
        self.next_id[table] = first + count
        return list(range(first, first + count))

    def insert(self, model, fields, rows):
        if not rows:
            return
        table = self.ops.quote_name(model._meta.db_table)
        columns = ", ".join(
            self.ops.quote_name(model._meta.get_field(name).column) for name in fields
        )
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                statement = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
                cursor.executemany(statement, rows)


# The columns each insert writes, read from the models (claims/columns.py) in declaration
# order, which is the order of the tuples built below. Left out, and named here: columns the
# database fills itself (an id from its sequence, a db_default) and ones a fresh row leaves
# empty. A field added to a model joins its list, and the inserts fail until its rows have it.
SOURCE_FIELDS = columns(
    Source,
    without=[
        "captured_at",  # empty: the sources are not web captures
        "extraction_status",  # db_default, as are the other extraction columns
        "extraction_error",
        "extraction_queued_at",
        "extraction_started_at",
        "recognition",  # db_default: the sources are typed texts, not scans
        "translation_of",  # empty: no source translates another
    ],
)
CLAIM_FIELDS = columns(Claim, without=["original"])  # empty, as no source is a translation
QUANTITY_FIELDS = columns(
    Quantity,
    # The id from the table's sequence; measure_set_by_reviewer has a db_default (false): no
    # reviewer corrected a synthetic number. Measure, date and place are read by extraction.
    without=["id", "measure_set_by_reviewer"],
)
EVIDENCE_FIELDS = columns(
    Evidence,
    # Empty: nothing is captured, and no synthetic claim is cited as testimony.
    without=["latest_snapshot", "archived_snapshot", "testimony"],
)
CITATION_FIELDS = columns(
    ClaimEvidence,
    without=["retracted_at", "retracted_by"],  # empty: nothing is retracted
)
VERDICT_FIELDS = columns(
    Verdict,
    without=["resubmission_of", "voided_at", "voided_by"],  # empty: nothing is voided
)
COMMENT_FIELDS = columns(Comment)
EVENT_FIELDS = columns(AuditEvent, without=["id"])  # the id from the table's sequence


def _write_batch(investigation, planned_sources, team, rng, evidence_per_claim, seed):
    writer = _Writer()
    now = writer.now
    counts = Counts()
    inv = investigation.pk
    with transaction.atomic():
        source_ids = writer.reserve_ids(Source, len(planned_sources))
        writer.insert(
            Source,
            SOURCE_FIELDS,
            [
                (
                    source_id,
                    inv,
                    plan.kind,
                    plan.title,
                    plan.author,
                    plan.publisher,
                    "",
                    writer.date(plan.published_on),
                    "en",
                    plan.text,
                    sha256_text(plan.text),
                    "",
                    "",
                    team.editor.pk,
                    now,
                )
                for source_id, plan in zip(source_ids, planned_sources, strict=True)
            ],
        )
        events = [
            _event(inv, team.editor.pk, "source.add", "source", source_id, plan.title, None)
            for source_id, plan in zip(source_ids, planned_sources, strict=True)
        ]
        planned = [
            (source_id, plan, claim)
            for source_id, plan in zip(source_ids, planned_sources, strict=True)
            for claim in plan.claims
        ]
        claim_ids = writer.reserve_ids(Claim, len(planned))
        claim_rows, quantities, verdicts, comments, evidence, citations = [], [], [], [], [], []
        for claim_id, (source_id, plan, (start, end, sentence, status, priority)) in zip(
            claim_ids, planned, strict=True
        ):
            text = plan.text
            anchor = anchor_span(text, start, end)
            statement = "" if rng.random() < 0.6 else _restate(sentence)
            assignee = rng.choice(team.writers).pk if rng.random() < 0.4 else None
            is_suggested = status == ClaimStatus.SUGGESTED
            claim_rows.append(
                (
                    claim_id,
                    inv,
                    source_id,
                    anchor.start,
                    anchor.end,
                    anchor.quote,
                    anchor.prefix,
                    anchor.suffix,
                    statement,
                    sentence.speaker,
                    sentence.attribution,
                    status,
                    priority,
                    assignee,
                    None if is_suggested else team.editor.pk,
                    round(rng.random(), 3),
                    '["synthetic"]',
                    now,
                    now,
                    1,
                )
            )
            label = (statement or anchor.quote)[:200]
            for (
                q_start,
                q_end,
                q_text,
                value,
                low,
                high,
                unit,
                bound,
                approx,
                kind,
            ) in sentence.quantities:
                at, until = start + q_start, start + q_end
                measure, occasion = _read_like_extraction(text, at, until, kind, unit, plan)
                quantities.append(
                    (
                        claim_id,
                        inv,
                        at,
                        until,
                        q_text,
                        value,
                        low,
                        high,
                        unit or "",
                        approx,
                        bound,
                        kind,
                        measure.name,
                        measure.reason[:200],
                        writer.date(occasion.on),
                        occasion.place,
                    )
                )
            events.extend(_claim_history(inv, claim_id, label, status, team, rng, anchor))
            verdicts.extend(_verdicts(claim_id, status, team, rng, now))
            if is_suggested:
                continue
            for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
                comments.append((claim_id, rng.choice(team.writers).pk, rng.choice(COMMENTS)))
            stances = rng.sample(list(Stance), min(evidence_per_claim, 3))
            stances += [rng.choice(list(Stance)) for _ in range(evidence_per_claim - len(stances))]
            for stance in stances:
                evidence.append(_evidence(rng, seed, claim_id, len(evidence), writer, team))
                citations.append((claim_id, len(evidence) - 1, stance))
        writer.insert(Claim, CLAIM_FIELDS, claim_rows)
        writer.insert(Quantity, QUANTITY_FIELDS, quantities)

        # Citations before verdicts: a signed-off verdict records the content it approved,
        # its citations included (signoff.py). No random draws happen in between, so the
        # data are the same as when citations were written last.
        evidence_ids = writer.reserve_ids(Evidence, len(evidence))
        citation_rows, citation_events = [], []
        cited = {}  # claim id -> the citations a sign-off of it approves
        citation_ids = writer.reserve_ids(ClaimEvidence, len(citations))
        for citation_id, (claim_id, number, stance) in zip(citation_ids, citations, strict=True):
            actor = rng.choice(team.writers).pk
            excerpt = f"Excerpt {number}: the page gives the figure in its second paragraph."
            note = rng.choice(["", "Primary source.", "Cites the same agency."])
            citation_rows.append(
                (
                    citation_id,
                    claim_id,
                    evidence_ids[number],
                    stance,
                    excerpt,
                    note,
                    actor,
                    now,
                    1,
                    "",
                )
            )
            url, _, title = evidence[number][:3]
            cited.setdefault(claim_id, []).append(
                {"stance": stance, "url": url, "title": title, "excerpt": excerpt, "note": note}
            )
            citation_events.append(
                _event(
                    inv,
                    actor,
                    "evidence.cite",
                    "claimevidence",
                    citation_id,
                    title,
                    claim_id,
                    {"title": title, "stance": stance},
                )
            )
        statements = {row[0]: row[8] or row[5] for row in claim_rows}
        verdicts = [_with_sign_off(row, statements, cited) for row in verdicts]

        verdict_ids = writer.reserve_ids(Verdict, len(verdicts))
        writer.insert(
            Verdict,
            VERDICT_FIELDS,
            [(verdict_id, *row) for verdict_id, row in zip(verdict_ids, verdicts, strict=True)],
        )
        events.extend(
            _event(inv, row[4], "verdict.propose", "verdict", verdict_id, row[1], row[0])
            for verdict_id, row in zip(verdict_ids, verdicts, strict=True)
        )

        comment_ids = writer.reserve_ids(Comment, len(comments))
        writer.insert(
            Comment,
            COMMENT_FIELDS,
            [
                (comment_id, *row, now)
                for comment_id, row in zip(comment_ids, comments, strict=True)
            ],
        )
        events.extend(
            _event(
                inv, author, "comment.add", "comment", comment_id, body, claim_id, {"body": body}
            )
            for comment_id, (claim_id, author, body) in zip(comment_ids, comments, strict=True)
        )

        writer.insert(
            Evidence,
            EVIDENCE_FIELDS,
            [
                (evidence_id, inv, *row)
                for evidence_id, row in zip(evidence_ids, evidence, strict=True)
            ],
        )
        events.extend(citation_events)
        writer.insert(ClaimEvidence, CITATION_FIELDS, citation_rows)
        # Distinct, increasing times, as a real history has: "latest first" lists then find
        # their rows at the top of the (investigation, -created_at) index.
        started = timezone.now()
        times = [started + timedelta(microseconds=n) for n in range(len(events))]
        writer.insert(AuditEvent, EVENT_FIELDS, _chained(inv, events, times, team, writer))
    counts.sources = len(source_ids)
    counts.claims = len(claim_rows)
    counts.quantities = len(quantities)
    counts.verdicts = len(verdicts)
    counts.comments = len(comments)
    counts.evidence = len(evidence)
    counts.citations = len(citation_rows)
    counts.audit_events = len(events)
    return counts


def _read_like_extraction(text, start, end, kind, unit, plan):
    """(Measure, Occasion) of the number text[start:end], by the rules extraction applies
    (marking._quantity_row): what it counts, and the date and place its sentence states.

    Both read only a window around the number (a clause, a sentence and the one before), so
    this costs the same per number at any size; the real rules, not a label chosen here, so
    that the numbers page at scale compares what extraction would have found.
    """
    measure = measure_of(text, start, end, kind, unit or "")
    occasion = occasion_of(text, start, end, plan.published_on, kind)
    return measure, occasion


def _restate(sentence):
    words = sentence.text.rstrip(".").split()
    return " ".join(words[: max(6, len(words) - 3)]) + "."


def _evidence(rng, seed, claim_id, number, writer, team):
    """An Evidence row without id and investigation: (url, normalized, title, ...)."""
    outlet = rng.choice(OUTLETS)
    url = f"https://example.org/synthetic/{seed}/{claim_id}/{number}"
    return (
        url,
        url,
        f"{outlet}: report on {rng.choice(PLACES)} in {rng.choice(CITIES)}",
        outlet,
        writer.date(date(2026, 1, 1) + timedelta(days=rng.randrange(150))),
        rng.choice(list(Reliability)),
        rng.choice(team.writers).pk,
        writer.now,
        1,
    )


# The moves a claim went through to reach its status, as the workflow would record them.
_PATHS = {
    ClaimStatus.SUGGESTED: [],
    ClaimStatus.OPEN: [],
    ClaimStatus.IN_REVIEW: ["start_review"],
    ClaimStatus.VERDICT_PROPOSED: ["start_review", "propose"],
    ClaimStatus.VERIFIED: ["start_review", "propose", "sign_off"],
    ClaimStatus.DISPUTED: ["start_review", "dispute"],
    ClaimStatus.DISMISSED: ["dismiss"],
    ClaimStatus.REOPENED: ["start_review", "propose", "sign_off", "reopen"],
}


def _claim_history(inv, claim_id, label, status, team, rng, anchor):
    if status == ClaimStatus.SUGGESTED:
        return []
    marked = {"quote": anchor.quote[:200], "start": anchor.start, "end": anchor.end}
    events = [_event(inv, team.editor.pk, "claim.mark", "claim", claim_id, label, claim_id, marked)]
    for move in _PATHS[status]:
        actor = rng.choice(team.writers).pk
        events.append(_event(inv, actor, f"claim.{move}", "claim", claim_id, label, claim_id))
    return events


def _verdicts(claim_id, status, team, rng, now):
    """Verdict rows (without id) for a claim's status: at most one current, never self-signed.

    Each row: (claim, rating, rationale, status, proposed_by, proposed_at, signed_off_by,
    signed_off_at, review_comment, closed_at, version).
    """
    rows = []
    if status in (ClaimStatus.IN_REVIEW, ClaimStatus.DISPUTED) and rng.random() < 0.2:
        proposer, _ = team.two_reviewers(rng)
        rows.append(
            (
                claim_id,
                rng.choice(list(VerdictRating)),
                rng.choice(RATIONALES),
                Verdict.Status.RETURNED,
                proposer.pk,
                now,
                None,
                None,
                "Needs a primary source before sign-off.",
                now,
                2,
            )
        )
    if status in (ClaimStatus.VERDICT_PROPOSED, ClaimStatus.VERIFIED, ClaimStatus.REOPENED):
        proposer, signer = team.two_reviewers(rng)
        verdict_status = {
            ClaimStatus.VERDICT_PROPOSED: Verdict.Status.PROPOSED,
            ClaimStatus.VERIFIED: Verdict.Status.SIGNED_OFF,
            ClaimStatus.REOPENED: Verdict.Status.SUPERSEDED,
        }[status]
        is_signed = verdict_status != Verdict.Status.PROPOSED
        rows.append(
            (
                claim_id,
                rng.choice(list(VerdictRating)),
                rng.choice(RATIONALES),
                verdict_status,
                proposer.pk,
                now,
                signer.pk if is_signed else None,
                now if is_signed else None,
                "",
                now if verdict_status == Verdict.Status.SUPERSEDED else None,
                1 if verdict_status == Verdict.Status.PROPOSED else 2,
            )
        )
    return rows


def _with_sign_off(row, statements, cited):
    """A verdict row (see _verdicts) with what its sign-off approved and the SHA-256 of it,
    as reviews.sign_off_verdict records them; empty for a verdict nobody signed off."""
    claim_id, rating, rationale, signer = row[0], row[1], row[2], row[6]
    if signer is None:
        return (*row, "{}", "", "")
    content = signoff.signed_content(
        statement=statements[claim_id],
        rating=rating,
        rationale=rationale,
        citations=cited.get(claim_id, []),
    )
    return (*row, json.dumps(content), signoff.content_sha256(content), "")


def _chained(investigation_id, events, times, team, writer):
    """The batch's event rows with their links in the investigation's audit chain, whose head
    moves to the last of them (in the batch's transaction, as audit.record() would)."""
    if not events:
        return []
    head = Investigation.objects.filter(pk=investigation_id)
    seq, sha256 = head.select_for_update(no_key=True).values_list(*AUDIT_HEAD_FIELDS).get()
    contents = [
        {
            "action": action,
            "actor": team.usernames.get(actor_id),
            "object_type": object_type,
            "object_repr": label,
            "before": json.loads(before),
            "after": json.loads(after),
            "created_at": at,
        }
        for (_, _, actor_id, action, object_type, _, label, before, after), at in zip(
            events, times, strict=True
        )
    ]
    links = list(audit_chain.link(contents, seq=seq, sha256=sha256))
    head.update(audit_seq=links[-1][0], audit_head_sha256=links[-1][2])
    # EVENT_FIELDS order: the event's links (investigation, claim, actor), the actor's name,
    # the rest of the event, its time, its chain link.
    return [
        (
            *event[:3],
            content["actor"] or "",
            *event[3:],
            writer.ops.adapt_datetimefield_value(at),
            *link,
        )
        for event, at, content, link in zip(events, times, contents, links, strict=True)
    ]


def _event(inv, actor_id, action, object_type, object_id, label, claim_id, after=None):
    """An AuditEvent row's own columns; _chained() adds the actor's name, time and chain link."""
    return (
        inv,
        claim_id,
        actor_id,
        action,
        object_type,
        str(object_id),
        str(label)[:200],
        "{}",
        json.dumps(after or {}),
    )
