"""Background jobs and the one rule that says when a worker has abandoned one.

Three kinds of row are background jobs: a Snapshot (evidence capture), a Source's claim
extraction, and a ReportFile (PDF or bundle). Each is queued as pending, taken by the worker
as running, and finished as done or failed by the task itself. A worker that is killed
(SIGKILL, out of memory, a restart of the machine or the container) finishes nothing: its row
stays pending or running for ever, and so does its task's row in the django-tasks-db queue,
which has no heartbeat. One rule covers all three kinds:

    A job is stale when it has been pending (since it was queued) or running (since a worker
    took it) for longer than JOB_STALE_AFTER seconds, and no live task in the queue will
    still finish it: neither a task waiting to run nor one a worker started within that time.

A waiting task keeps a pending job alive however long the queue is, so a stopped worker shows
"waiting for the worker" rather than "interrupted". Pages show a stale job as interrupted with
a way to try again; `interrupt_stale_jobs()` (`manage.py interrupt_stale_jobs`, which `make run`
runs before it starts the worker) records every stale job as interrupted, so that report files
can be pruned and the reason stays after a retry.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


@dataclass(frozen=True)
class JobKind:
    """Where one kind of job keeps its state: status field and values, timestamps.

    Each job model declares its kind (models.py), so that this module, which the models
    import, imports none of them.
    """

    name: str  # for messages: "capture"
    task_path: str  # the task that runs it, as django-tasks-db records it
    status_field: str
    pending: str
    running: str
    queued_at_field: str
    started_at_field: str
    select_related: tuple = ()  # what `interrupt` reads
    deferred: tuple = ()  # large columns nobody here needs

    def since(self, row):
        """When the job entered its current state, or None when the row does not say."""
        status = getattr(row, self.status_field)
        queued_at = getattr(row, self.queued_at_field)
        if status == self.pending:
            return queued_at
        return getattr(row, self.started_at_field) or queued_at

    def overdue(self, cutoff):
        """The condition on rows pending or running since before `cutoff` (or since when
        unknown: rows from before the timestamps existed)."""
        queued, started = self.queued_at_field, self.started_at_field
        queued_before = Q(**{f"{queued}__lt": cutoff}) | Q(**{f"{queued}__isnull": True})
        pending = Q(**{self.status_field: self.pending}) & queued_before
        running = Q(**{self.status_field: self.running}) & (
            Q(**{f"{started}__lt": cutoff}) | (Q(**{f"{started}__isnull": True}) & queued_before)
        )
        return pending | running


def stale_after():
    return timedelta(seconds=settings.JOB_STALE_AFTER)


def _now():
    return datetime.now(UTC)


def live_job_ids(kind, *, now=None, window=None):
    """Primary keys of the jobs of `kind` that a task in the queue may still finish.

    The queue holds few unfinished tasks (finished ones are not read), so this is one small
    query. Tasks run by another backend than django-tasks-db leave no row and count as none.
    """
    cutoff = (now or _now()) - (stale_after() if window is None else window)
    live = DBTaskResult.objects.filter(task_path=kind.task_path).filter(
        Q(status=TaskResultStatus.READY)
        | Q(status=TaskResultStatus.RUNNING, started_at__gte=cutoff)
    )
    return {
        arguments["args"][0]
        for arguments in live.values_list("args_kwargs", flat=True)
        if arguments.get("args")
    }


def is_stale(kind, row, *, now=None):
    """True when `row`, a job of `kind`, is stale by the rule above.

    No query unless the job is overdue, so pages that show jobs in progress stay as cheap
    as they were; an overdue one costs one query.
    """
    status = getattr(row, kind.status_field)
    if status not in (kind.pending, kind.running):
        return False
    now = now or _now()
    since = kind.since(row)
    if since is not None and since >= now - stale_after():
        return False
    return row.pk not in live_job_ids(kind, now=now)


def stale_jobs(kind, queryset, *, now=None, window=None):
    """The stale rows of `kind` among `queryset`, as a list.

    `window` replaces JOB_STALE_AFTER (a timedelta).
    """
    now = now or _now()
    window = stale_after() if window is None else window
    overdue = queryset.filter(kind.overdue(now - window)).defer(*kind.deferred)
    if kind.select_related:
        overdue = overdue.select_related(*kind.select_related)
    overdue = list(overdue)
    if not overdue:
        return []
    live = live_job_ids(kind, now=now, window=window)
    return [row for row in overdue if row.pk not in live]


def interrupt_stale_jobs(
    kind: JobKind,
    queryset: QuerySet,
    interrupt: Callable[..., bool],
    *,
    now=None,
    window=None,
):
    """Record every stale job of `kind` among `queryset` as interrupted; return how many.

    `interrupt(row)` records one, and returns False when its worker finished it after all.
    `window` replaces JOB_STALE_AFTER: a zero timedelta when no worker is running (at
    start-up), so that every job left running is interrupted at once while jobs whose task
    still waits in the queue are left to the worker about to start.
    """
    stale = stale_jobs(kind, queryset, now=now, window=window)
    return sum(1 for row in stale if interrupt(row))
