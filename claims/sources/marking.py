"""Sources in, claims out: store a source text and anchor claims to its exact words."""

import bisect

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from claims import jobs, limits
from claims.access.roles import Action, member_allows
from claims.corroboration.matching import queue_matching
from claims.extraction import extract, find_quantities, measure_of, occasion_of
from claims.extraction.language import detect_language
from claims.models import Claim, ClaimStatus, ExtractionStatus, Quantity, Source
from claims.review import audit, reviews
from claims.review.guarded import guarded_update
from claims.review.workflow import EditConflict, TransitionRefused
from claims.sources import recognition, scanning
from claims.sources.anchoring import anchor_span, trim_span, widen_to_graphemes


class DuplicateClaim(ValueError):
    """A claim with exactly these offsets already exists on the source."""


def add_source(investigation, *, actor, text, run_extraction=True, **fields):
    """Create a source and, for texts of ordinary size, its suggested claims.

    Returns the Source. Source and suggestions are written in one transaction. Without a
    `language` (or with an empty one) the text's language is detected.
    """
    if not fields.get("language"):
        fields["language"] = detect_language(text)
    with transaction.atomic():
        source = Source.objects.create(
            investigation=investigation, text=text, added_by=actor, **fields
        )
        audit.record(
            actor,
            "source.add",
            source,
            investigation=investigation,
            after={
                "title": source.title,
                "sha256": source.text_sha256,
                "language": source.language,
            },
        )
        if run_extraction:
            start_extraction(source, actor=actor)
    return source


def set_language(source, *, actor, language):
    """Record the source's corrected language and re-read its untouched suggestions.

    Returns the number of suggestions whose numbers and speaker were read again with the new
    language's rules, or None when the language did not change. A suggestion counts as
    untouched while it is still suggested and nobody has acted on it (no audit event names
    it): a person's correction is never overwritten. Sentences the new rules propose that no
    claim covers yet come from running extraction again (start_extraction), which the caller
    does after this returns. One audit event records the change.
    """
    if language == source.language:
        return None
    with transaction.atomic():
        before = source.language
        Source.objects.filter(pk=source.pk).update(language=language)
        source.language = language
        untouched = list(
            source.claims.filter(status=ClaimStatus.SUGGESTED, audit_events__isnull=True)
            .select_related("source")
            .order_by("start")
        )
        # The whole text is read again only when some suggestion is left to re-read.
        speakers = {
            (sentence.start, sentence.end): sentence.speaker
            for sentence in (extract(source.text, language) if untouched else ())
        }
        for claim in untouched:
            speaker = speakers.get((claim.start, claim.end))
            if speaker and speaker != claim.attribution:
                Claim.objects.filter(pk=claim.pk).update(attribution=speaker)
            replace_quantities(claim)
        audit.record(
            actor,
            "source.language",
            source,
            investigation=source.investigation,
            before={"language": before},
            after={"language": language, "suggestions_reread": len(untouched)},
        )
    return len(untouched)


class ExtractionUnderWay(ValueError):
    """The source's extraction is queued or running already."""


def start_extraction(source, *, actor=None):
    """Suggest claims now for ordinary texts; queue long ones for the task worker.

    Returns the number of new suggestions, or None when the work was queued. An extraction
    whose worker stopped (interrupted, or stale: see jobs.py) is queued again. Raises
    ExtractionUnderWay when one is queued or running already.
    """
    # A scan is read by the worker first (scanning.py), however short its text will be.
    if not source.needs_recognition and len(source.text) <= settings.EXTRACTION_INLINE_MAX_CHARS:
        added = suggest_claims(source, actor=actor)
        _set_extraction_status(source, ExtractionStatus.DONE)
        return added
    with transaction.atomic():
        # Locked so that two quick clicks queue one extraction, not two.
        locked = Source.objects.select_for_update().defer("text").get(pk=source.pk)
        if locked.is_extracting:
            raise ExtractionUnderWay("The extraction of this source is under way already.")
        _set_extraction_status(source, ExtractionStatus.PENDING, queued_at=timezone.now())
        transaction.on_commit(lambda: extract_source.enqueue(source.pk))
    return None


def run_extraction(source):
    """The worker's side of start_extraction: suggest claims, record success or failure.

    An extraction another worker took, or that was recorded as interrupted before this
    worker got to it, is left alone.
    """
    started_at = timezone.now()
    claimed = Source.objects.filter(pk=source.pk, extraction_status=ExtractionStatus.PENDING)
    if not claimed.update(
        extraction_status=ExtractionStatus.RUNNING, extraction_started_at=started_at
    ):
        return
    source.extraction_status = ExtractionStatus.RUNNING
    source.extraction_started_at = started_at
    try:
        if source.needs_recognition:
            source = scanning.read_scan(source)
            source.extraction_started_at = started_at
        suggest_claims(source)
    except recognition.RecognitionError as error:
        # An unreadable scan is the file's fault, not the program's: the reader says why.
        _finish_extraction(source, ExtractionStatus.FAILED, str(error))
        return
    except Exception as error:
        # Recorded for the reader (with a retry button) and re-raised so the task result
        # keeps the traceback for administrators.
        _finish_extraction(source, ExtractionStatus.FAILED, f"{type(error).__name__}: {error}")
        raise
    _finish_extraction(source, ExtractionStatus.DONE)


def _finish_extraction(source, status, error=""):
    # Only this worker's own attempt: if the extraction was declared interrupted meanwhile
    # (it ran past JOB_STALE_AFTER) it still ends as done or failed, but once it has been
    # queued again the new attempt's outcome is the one that counts.
    Source.objects.filter(pk=source.pk, extraction_started_at=source.extraction_started_at).update(
        extraction_status=status, extraction_error=error
    )
    source.extraction_status, source.extraction_error = status, error


def _set_extraction_status(source, status, error="", queued_at=None):
    changes = {"extraction_status": status, "extraction_error": error}
    if queued_at is not None:
        changes |= {"extraction_queued_at": queued_at, "extraction_started_at": None}
    Source.objects.filter(pk=source.pk).update(**changes)
    for name, value in changes.items():
        setattr(source, name, value)


def suggest_claims(source, *, actor=None):
    """Store the extraction engine's proposals as suggested claims; return how many are new.

    A sentence that overlaps a claim already on this source, whatever its status, is skipped:
    accepted claims are not duplicated, and dismissed suggestions stay dismissed.
    """
    taken = _SpanIndex(source.claims.values_list("start", "end"))
    new_claims = []
    quantities_by_span = {}
    for sentence in extract(source.text, source.language):
        if not sentence.is_proposed or taken.overlaps(sentence.start, sentence.end):
            continue
        anchor = anchor_span(
            source.text, *widen_to_graphemes(source.text, sentence.start, sentence.end)
        )
        new_claims.append(
            Claim(
                investigation_id=source.investigation_id,
                source=source,
                start=anchor.start,
                end=anchor.end,
                quote=anchor.quote,
                prefix=anchor.prefix,
                suffix=anchor.suffix,
                attribution=sentence.speaker,
                status=ClaimStatus.SUGGESTED,
                extraction_score=round(sentence.score, 3),
                extraction_reasons=list(sentence.reasons),
            )
        )
        quantities_by_span[(anchor.start, anchor.end)] = sentence.quantities
    with transaction.atomic():
        # bulk_create skips Claim.save(); the anchors above come from anchor_span on this
        # very text, so they hold by construction.
        created = Claim.objects.bulk_create(new_claims)
        if not created:
            return 0
        # Both SQLite and PostgreSQL return primary keys from bulk inserts.
        saved = {(claim.start, claim.end): claim for claim in created}
        Quantity.objects.bulk_create(
            _quantity_row(saved[span], quantity, source.text)
            for span, quantities in quantities_by_span.items()
            for quantity in quantities
        )
        audit.record(
            actor,
            "source.extract",
            source,
            investigation=source.investigation,
            after={"suggested": len(created)},
        )
        queue_matching(claim.pk for claim in created)
    return len(created)


class _SpanIndex:
    """Answers "does [start, end) overlap any stored span?" in O(log n)."""

    def __init__(self, spans):
        spans = sorted(spans)
        self.starts = [start for start, _ in spans]
        # furthest_end[i] is the largest end among the first i spans (by start).
        self.furthest_end = [0]
        for _, end in spans:
            self.furthest_end.append(max(self.furthest_end[-1], end))

    def overlaps(self, start, end):
        # Spans starting before `end` are the only candidates; one of them overlaps exactly
        # when the furthest any of them reaches lies beyond `start`.
        count = bisect.bisect_left(self.starts, end)
        return self.furthest_end[count] > start


def mark_claim(source, *, actor, start, end, statement="", speaker="", attribution="unknown"):
    """Create an open claim on source.text[start:end] with its quantities parsed.

    Leading and trailing whitespace of the selection is trimmed and the span widened to whole
    characters as readers see them (grapheme clusters). Raises AnchorError for a
    span outside the text, DuplicateClaim when the same span is already a claim and
    limits.TextTooLong for a statement over its limit.
    """
    limits.check_lengths(statement=(statement, limits.STATEMENT_MAX_CHARS))
    anchor = anchor_span(
        source.text, *widen_to_graphemes(source.text, *trim_span(source.text, start, end))
    )
    with transaction.atomic():
        if source.claims.filter(start=anchor.start, end=anchor.end).exists():
            raise DuplicateClaim("These exact words are already a claim on this source.")
        claim = Claim.objects.create(
            source=source,
            start=anchor.start,
            end=anchor.end,
            quote=anchor.quote,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            statement=statement,
            speaker=speaker,
            attribution=attribution,
            status=ClaimStatus.OPEN,
            created_by=actor,
        )
        replace_quantities(claim)
        audit.record(
            actor,
            "claim.mark",
            claim,
            investigation=source.investigation,
            claim=claim,
            after={"quote": claim.quote, "start": claim.start, "end": claim.end},
        )
        queue_matching([claim.pk])
    return claim


def replace_quantities(claim):
    """Re-parse the numbers inside the claim's span and store them in place of the old ones.

    A measure a reviewer chose is kept for a number at the same offsets: re-reading the text
    must not undo a person's correction.
    """
    text = claim.source.text
    chosen = {
        (row.start, row.end): row
        for row in claim.quantities.filter(measure_set_by_reviewer=True).only(
            "start", "end", "measure", "measure_reason"
        )
    }
    claim.quantities.all().delete()
    rows = [
        _quantity_row(claim, q, text)
        for q in find_quantities(text, claim.start, claim.end, claim.source.language)
    ]
    for row in rows:
        kept = chosen.get((row.start, row.end))
        if kept is not None:
            row.measure, row.measure_reason = kept.measure, kept.measure_reason
            row.measure_set_by_reviewer = True
    Quantity.objects.bulk_create(rows)


def _quantity_row(claim, quantity, text):
    measure = measure_of(text, quantity.start, quantity.end, quantity.kind, quantity.unit)
    occasion = occasion_of(
        text, quantity.start, quantity.end, claim.source.published_on, quantity.kind
    )
    return Quantity(
        claim=claim,
        investigation_id=claim.investigation_id,
        start=quantity.start,
        end=quantity.end,
        text=quantity.text,
        value=quantity.value,
        low=quantity.low,
        high=quantity.high,
        unit=quantity.unit,
        approximate=quantity.approximate,
        bound=quantity.bound,
        kind=quantity.kind,
        measure=measure.name,
        measure_reason=measure.reason[:200],
        stated_on=occasion.on,
        place=occasion.place,
    )


def respan_claim(claim, *, actor, start, end, expected_version):
    """Move the claim to other words of its source (widen or narrow); re-parse its numbers.

    Raises AnchorError for a span outside the text, DuplicateClaim when another claim has
    exactly these words, and EditConflict when the claim changed since `expected_version`.
    """
    text = claim.source.text
    anchor = anchor_span(text, *widen_to_graphemes(text, *trim_span(text, start, end)))
    before = {"quote": claim.quote, "start": claim.start, "end": claim.end}
    with transaction.atomic():
        if (
            claim.source.claims.filter(start=anchor.start, end=anchor.end)
            .exclude(pk=claim.pk)
            .exists()
        ):
            raise DuplicateClaim("These exact words are already another claim on this source.")
        guarded_update(
            claim,
            expect={"version": expected_version},
            changes={
                "start": anchor.start,
                "end": anchor.end,
                "quote": anchor.quote,
                "prefix": anchor.prefix,
                "suffix": anchor.suffix,
                "version": F("version") + 1,
                "updated_at": timezone.now(),
            },
            conflict=lambda _claim: EditConflict(
                "Someone changed this claim meanwhile; reload and try again."
            ),
        )
        # The UPDATE above bypassed Claim.save(); check the anchor rule explicitly.
        claim.check_anchor()
        replace_quantities(claim)
        audit.record(
            actor,
            "claim.respan",
            claim,
            investigation=claim.investigation,
            claim=claim,
            before=before,
            after={"quote": claim.quote, "start": claim.start, "end": claim.end},
        )
        # A claim without a statement of its own is checked as its quote.
        reviews.void_if_changed(claim, actor=actor, reason="The claim now quotes other words.")
        queue_matching([claim.pk])
    return claim


QUANTITY_FIELDS = ("value", "low", "high", "unit", "bound")


def correct_quantity(quantity, *, actor, **values):
    """Correct how a number was read (value, range, unit, bound); the span stays as written."""
    before = {name: getattr(quantity, name) for name in QUANTITY_FIELDS}
    with transaction.atomic():
        for name in QUANTITY_FIELDS:
            setattr(quantity, name, values[name])
        quantity.approximate = quantity.bound != Quantity.Bound.EXACT
        quantity.save()
        claim = quantity.claim
        audit.record(
            actor,
            "quantity.correct",
            quantity,
            investigation=claim.investigation,
            claim=claim,
            before=before,
            after={name: getattr(quantity, name) for name in QUANTITY_FIELDS},
        )
    return quantity


def set_measure(quantity, measure, *, actor, membership):
    """Record what `quantity` counts, as a reviewer decided; return the quantity.

    Raises TransitionRefused for a role below reviewer and ValueError for an unknown measure.
    The choice survives re-extraction of the claim (replace_quantities).
    """
    if not member_allows(membership, Action.SET_MEASURE):
        raise TransitionRefused("Your role cannot say what a number counts.")
    if measure not in Quantity.Measure.values:
        raise ValueError(f"Unknown measure {measure!r}.")
    before = audit.snapshot_fields(quantity, ["measure", "measure_reason"])
    with transaction.atomic():
        quantity.measure = measure
        quantity.measure_reason = f"set by {actor.get_username()}" if actor else "set by hand"
        quantity.measure_set_by_reviewer = True
        quantity.save()
        claim = quantity.claim
        audit.record(
            actor,
            "quantity.set_measure",
            quantity,
            investigation=claim.investigation,
            claim=claim,
            before=before,
            after=audit.snapshot_fields(quantity, ["measure", "measure_reason"]),
        )
    return quantity


# Shown where an extraction's worker died: the reason stays after a retry.
INTERRUPTED_EXTRACTION = "The worker stopped before the extraction finished."


def interrupt_extraction(source):
    """Record `source`'s extraction, abandoned by its worker, as interrupted.

    Only if it is still in the state it was found in: returns False when a worker finished
    it since.
    """
    return bool(
        Source.objects.filter(
            pk=source.pk,
            extraction_status=source.extraction_status,
            extraction_started_at=source.extraction_started_at,
        ).update(
            extraction_status=ExtractionStatus.INTERRUPTED,
            extraction_error=INTERRUPTED_EXTRACTION,
        )
    )


def interrupt_stale_extractions(*, window=None):
    """Record every extraction whose worker died as interrupted; returns how many."""
    return jobs.interrupt_stale_jobs(
        Source.EXTRACTION_JOB, Source.objects.all(), interrupt_extraction, window=window
    )


@task
def extract_source(source_id):
    """The background task: run the claim extraction `queue_extraction` asked for."""
    run_extraction(Source.objects.select_related("investigation").get(pk=source_id))
