"""Archive evidence pages: queue a capture, run it, re-check it later, and log every step.

The network is reached only through `archiving.fetch`; text comes from `documents`. A finished
snapshot is never modified: a retry is a new snapshot, a re-check is a new collection-log entry.

Sign-offs rest on the archived copy (its SHA-256 is part of what they approve): a page archived
after a sign-off, or a re-check finding the page's text changed, voids the sign-offs of the
claims citing it (reviews.py), with the worker or the operator as the one who changed it.
"""

import getpass
import gzip
import hashlib
from datetime import UTC, datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task

from claims import jobs
from claims.evidence import archiving
from claims.evidence.citations import cite_evidence
from claims.models import Claim, CollectionLogEntry, Evidence, Snapshot, SnapshotImmutable, Verdict
from claims.review import audit, reviews
from claims.sources import documents

Outcome = CollectionLogEntry.Outcome
GONE_STATUSES = {404, 410, 451}


class CaptureNotPossible(ValueError):
    """The evidence has no link, or a capture of it is already waiting or done."""


def request_capture(evidence, *, actor):
    """Create a pending snapshot of `evidence` and queue its capture after the transaction.

    Returns the Snapshot. Raises CaptureNotPossible when there is no URL, a capture is already
    waiting or running, or the page is already archived.
    """
    if not evidence.url:
        raise CaptureNotPossible("This evidence has no link to archive.")
    with transaction.atomic():
        # Lock the evidence row so that two quick clicks queue one capture, not two. Its
        # snapshot pointers, read under the lock, say what is there. (of=self: PostgreSQL
        # cannot lock the outer-joined snapshot.)
        locked = (
            Evidence.objects.select_for_update(of=("self",))
            .select_related("latest_snapshot")
            .get(pk=evidence.pk)
        )
        return _queue_capture(evidence, locked, actor=actor)


def _queue_capture(evidence, pointers, *, actor):
    """Create the pending snapshot and enqueue its capture on commit; the caller holds the
    evidence row's lock (or created the row), and `pointers` is that row as read then."""
    latest = pointers.latest_snapshot
    # Only the newest can be running: no capture starts while another is in progress.
    if latest is not None and latest.is_stale:
        mark_interrupted(latest)
    elif latest is not None and latest.is_in_progress:
        raise CaptureNotPossible("A capture of this page is already under way.")
    if pointers.archived_snapshot_id is not None:
        raise CaptureNotPossible("This page is already archived.")
    snapshot = Snapshot.objects.create(evidence=evidence, requested_by=actor)
    audit.record(
        actor,
        "evidence.capture_requested",
        snapshot,
        investigation=evidence.investigation,
        after={"url": evidence.url},
    )
    transaction.on_commit(lambda: capture_snapshot.enqueue(snapshot.pk))
    return snapshot


def run_capture(snapshot, *, resolve=None):
    """Fetch the evidence page into `snapshot` (pending) and finish it as done or failed.

    Returns the snapshot. Expected failures (refused URL, timeout, HTTP error, unreadable
    document) end as a failed snapshot with a readable reason; anything else, including an
    error while storing the copy, also marks the snapshot failed so the page stops waiting,
    then propagates to the task runner's log.
    """
    claimed = Snapshot.objects.filter(pk=snapshot.pk, status=Snapshot.Status.PENDING).update(
        status=Snapshot.Status.RUNNING, started_at=_now()
    )
    snapshot.refresh_from_db()
    if not claimed:
        return snapshot  # another worker took it, or it is finished already
    evidence = snapshot.evidence
    try:
        try:
            fetched = archiving.fetch(evidence.url, resolve=resolve)
            if fetched.status >= 400:
                raise archiving.CaptureFailed(_status_sentence(fetched.status))
            page = read_page(fetched)
        except archiving.CaptureError as error:
            return _fail(snapshot, str(error))
        except Exception:
            _fail(snapshot, "The capture stopped on an internal error; it has been logged.")
            raise
        try:
            return _finish(snapshot, fetched, page)
        except SnapshotImmutable:
            raise
        except Exception:
            # Storing the copy failed (a full or read-only disk, a value the database
            # refuses). Unmarked, the capture would show as running until it counts as
            # interrupted. The instance holds the half-written result: read the row again.
            snapshot.refresh_from_db()
            _fail(snapshot, "The page was fetched but its copy could not be saved; try again.")
            raise
    except SnapshotImmutable:
        # This capture outlived JOB_STALE_AFTER and was declared interrupted meanwhile
        # (jobs.interrupt_stale_jobs); the reviewer was offered a retry, so the late result is
        # dropped rather than rewriting a finished record.
        snapshot.refresh_from_db()
        return snapshot


def fail_stale_captures(*, evidence=None, window=None):
    """Mark every stale capture (jobs.py: its worker died) as failed with
    Snapshot.INTERRUPTED as the reason and a line in the collection log, so that a retry is
    possible. Only `evidence`'s if given. Returns the number of snapshots marked.
    """
    snapshots = Snapshot.objects.all() if evidence is None else evidence.snapshots.all()
    return jobs.interrupt_stale_jobs(Snapshot.JOB, snapshots, interrupt_capture, window=window)


def interrupt_capture(snapshot):
    """mark_interrupted(), or False when its worker finished it after all, just now."""
    try:
        mark_interrupted(snapshot)
    except SnapshotImmutable:
        return False
    return True


def mark_interrupted(snapshot):
    """Record the capture `snapshot`, abandoned by its worker, as failed: interrupted.

    Raises SnapshotImmutable when it finished meanwhile.
    """
    return _fail(snapshot, Snapshot.INTERRUPTED)


def read_page(fetched):
    """The extracted Document of a fetched body, or one whose text is empty with the reason
    in metadata["extraction_error"]: the body is kept even when no text can be read."""
    kind = documents.kind_for(content_type=fetched.content_type) or documents.sniff_kind(
        fetched.body
    )
    try:
        return documents.extract_document(
            fetched.body, kind=kind, charset=fetched.charset, url=fetched.final_url
        )
    except documents.DocumentError as error:
        return documents.Document(
            text="", kind=kind, extractor="", metadata={"extraction_error": str(error)}
        )


def _status_sentence(status):
    if status in GONE_STATUSES:
        return f"The page is gone: the server answered {status}."
    return f"The server answered with an error ({status}); nothing was kept."


def _fail(snapshot, reason):
    with transaction.atomic():
        snapshot.status = Snapshot.Status.FAILED
        snapshot.error = reason
        snapshot.fetched_at = datetime.now(UTC)
        snapshot.method = archiving.describe_method()
        snapshot.save()
        _log(
            snapshot.evidence,
            snapshot=snapshot,
            action=CollectionLogEntry.Action.CAPTURE,
            outcome=Outcome.FAILED,
            at=snapshot.fetched_at,
            operator=snapshot.requested_by,
            detail=reason,
        )
    return snapshot


def _finish(snapshot, fetched, page):
    body_sha256 = hashlib.sha256(fetched.body).hexdigest()
    metadata = {
        **page.metadata,
        "kind": page.kind,
        "extractor": page.extractor,
        "text_sha256": hashlib.sha256(page.text.encode()).hexdigest() if page.text else "",
        "bytes": len(fetched.body),
        "address": fetched.address,
        "redirects": fetched.redirects,
    }
    name = f"{body_sha256[:20]}.gz"
    # mtime=0 makes the stored file a function of the body alone: the same page gives the
    # same .gz, and `gunzip -c | sha256sum` reproduces the recorded hash.
    compressed = ContentFile(gzip.compress(fetched.body, mtime=0), name=name)
    snapshot.body.save(name, compressed, save=False)
    try:
        with transaction.atomic():
            snapshot.status = Snapshot.Status.DONE
            snapshot.method = fetched.method
            snapshot.fetched_at = fetched.fetched_at
            snapshot.final_url = fetched.final_url[:2000]
            snapshot.http_status = fetched.status
            snapshot.content_type = fetched.content_type
            snapshot.sha256 = body_sha256
            snapshot.extracted_text = page.text
            snapshot.metadata = metadata
            snapshot.save()
            _fill_blanks(snapshot.evidence, page.metadata)
            title = Evidence.objects.values_list("title", flat=True).get(pk=snapshot.evidence_id)
            _void_sign_offs(
                snapshot.evidence,
                reviews.void_if_changed,
                actor=None,
                reason=f"The page “{title}” was archived after the sign-off "
                f"(SHA-256 {body_sha256[:12]}…).",
            )
            _log(
                snapshot.evidence,
                snapshot=snapshot,
                action=CollectionLogEntry.Action.CAPTURE,
                outcome=Outcome.ARCHIVED,
                at=fetched.fetched_at,
                operator=snapshot.requested_by,
                fetched=fetched,
                sha256=body_sha256,
                text_sha256=metadata["text_sha256"],
                detail=page.metadata.get("extraction_error", ""),
            )
    except BaseException:
        snapshot.body.storage.delete(snapshot.body.name)  # no orphan file without its row
        raise
    return snapshot


def _fill_blanks(evidence, metadata):
    """Complete what the reviewer left out (a title that is just the URL, publisher, date)
    from the page's own metadata; never overwrite what a person wrote."""
    changes = {}
    if metadata.get("title") and evidence.title in ("", evidence.url):
        changes["title"] = metadata["title"][:300]
    if metadata.get("publisher") and not evidence.publisher:
        changes["publisher"] = metadata["publisher"][:200]
    published = documents.parse_published(metadata.get("published", ""))
    if published and not evidence.published_on:
        changes["published_on"] = published
    if changes:
        Evidence.objects.filter(pk=evidence.pk).update(**changes)
        audit.record(
            None,
            "evidence.fill_from_capture",
            evidence,
            investigation=evidence.investigation,
            after={key: str(value) for key, value in changes.items()},
        )


def _log(evidence, *, operator=None, operator_name="", fetched=None, **fields):
    if fetched is not None:
        fields.update(
            final_url=fetched.final_url[:2000],
            address=fetched.address,
            http_status=fetched.status,
        )
    return CollectionLogEntry.objects.create(
        evidence=evidence,
        url=evidence.url,
        method=fields.pop("method", "") or archiving.describe_method()[:300],
        operator=operator,
        operator_name=operator_name or (operator.get_username() if operator else "unknown"),
        **fields,
    )


def recheck(evidence, *, operator=None, operator_name="", resolve=None):
    """Fetch an archived page again and log whether it is unchanged, changed or gone.

    The original snapshot is not touched; the result is a new CollectionLogEntry (returned).
    Returns None when the evidence has no archived snapshot to compare with.
    """
    # From the snapshots table rather than the pointer on `evidence`: the caller's instance
    # may predate the capture it should compare with.
    original = (
        evidence.snapshots.filter(status=Snapshot.Status.DONE)
        .order_by("-created_at", "-pk")
        .first()
    )
    if original is None:
        return None
    if not operator_name and operator is None:
        operator_name = f"{getpass.getuser()} (manage.py recheck_evidence)"
    voids = False
    entry = {
        "snapshot": original,
        "action": CollectionLogEntry.Action.RECHECK,
        "operator": operator,
        "operator_name": operator_name,
    }
    try:
        fetched = archiving.fetch(evidence.url, resolve=resolve)
    except archiving.HostNotFound as error:
        return _log(evidence, outcome=Outcome.GONE, at=_now(), detail=str(error), **entry)
    except archiving.CaptureError as error:
        return _log(evidence, outcome=Outcome.UNREACHABLE, at=_now(), detail=str(error), **entry)
    if fetched.status in GONE_STATUSES:
        outcome, detail, sha256, text_sha256 = (
            Outcome.GONE,
            _status_sentence(fetched.status),
            "",
            "",
        )
    elif fetched.status >= 400:
        outcome, detail = Outcome.UNREACHABLE, _status_sentence(fetched.status)
        sha256 = text_sha256 = ""
    else:
        sha256 = hashlib.sha256(fetched.body).hexdigest()
        page = read_page(fetched)
        text_sha256 = hashlib.sha256(page.text.encode()).hexdigest() if page.text else ""
        if sha256 == original.sha256:
            outcome, detail = Outcome.UNCHANGED, "Same bytes as the archived copy."
        elif text_sha256 and text_sha256 == original.text_sha256:
            outcome = Outcome.CHANGED
            detail = "The bytes differ but the main text is the same (page furniture changed)."
        else:
            outcome, detail = Outcome.CHANGED, "The main text differs from the archived copy."
            voids = True
    with transaction.atomic():
        logged = _log(
            evidence,
            outcome=outcome,
            at=fetched.fetched_at,
            fetched=fetched,
            sha256=sha256,
            text_sha256=text_sha256,
            detail=detail,
            **entry,
        )
        # Only a changed text voids: furniture (ads, dates, menus) changes on most re-checks,
        # and a sign-off voided every night would teach reviewers to sign off unread.
        logged.voided_sign_offs = 0
        if voids:
            logged.voided_sign_offs = _void_sign_offs(
                evidence,
                reviews.void_sign_off,
                actor=operator,
                reason=f"A re-check on {logged.at:%-d %b %Y} found the page “{evidence.title}” "
                f"changed since it was archived: {detail}",
            )
    return logged


def _void_sign_offs(evidence, void, *, actor, reason):
    """Apply `void` (a reviews.py function) to every claim with a signed-off verdict that
    cites `evidence` (and has not retracted the citation); return how many were voided."""
    claims = (
        Claim.objects.filter(
            citations__evidence=evidence,
            citations__retracted_at__isnull=True,
            verdicts__status=Verdict.Status.SIGNED_OFF,
        )
        .select_related("investigation")
        .order_by("pk")
    )
    return sum(void(claim, actor=actor, reason=reason) is not None for claim in claims)


def _now():
    return datetime.now(UTC)


def cite_and_capture(claim, *, actor, url, stance):
    """Cite `url` for `claim` and archive it unless this investigation already has (or is
    getting) a copy: the same page is one evidence item, captured once.

    Returns the ClaimEvidence. Raises evidence.AlreadyCited when the claim already cites it.
    """
    with transaction.atomic():
        # cite_evidence locks an existing evidence row until the end of this transaction (a
        # new one is invisible to others), so its snapshot pointers are read under the lock.
        citation = cite_evidence(claim, actor=actor, stance=stance, url=url, title=url)
        page = citation.evidence
        latest = page.latest_snapshot
        coming = latest is not None and latest.is_in_progress
        if page.url and page.archived_snapshot_id is None and not coming:
            _queue_capture(page, page, actor=actor)
    return citation


@task
def capture_snapshot(snapshot_id):
    """The background task: capture one pending snapshot (queued by `_queue_capture`)."""
    run_capture(Snapshot.objects.select_related("evidence", "requested_by").get(pk=snapshot_id))
