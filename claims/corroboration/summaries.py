"""Kept answers for the numbers page: page 1 of every measure (plans.py), per investigation and
with or without suggested claims, stored under the figures generation (generation.py).

Why kept, not computed per load: the verdict and standings depend on every figure of a
measure, tens of thousands at 100,000 claims. Computing them in SQL on each load still grew
with the figures (35-40 ms for one aggregate at 67,000), so page 1 would not stay flat. Kept,
page 1 costs one query for the summary and the generation together, then one for the shown
and cited statements by id: the same rows at any size.

Staleness is never silent. The database moves the generation on every write that can change
a figure, whoever writes. A reader takes the summary only if it was computed at the current
generation; otherwise it recomputes it right there, with the live code (plans.py), and keeps
it. The generation is read before the figures, and the result kept under that value: a write
during the computation leaves it stale, never wrong (generation.py says why). So correctness
never waits for a worker.

Speed: a change that can move figures (an audited claim, quantity or source change) asks the
task worker, once its transaction commits and once per investigation and transaction, to
refresh that investigation's kept summaries, so the next reader usually finds them fresh.
The ask is one query after the commit and enqueues a task only when a kept summary is behind
(a review move or a new source moves no figure); the task recomputes only what is stale,
and only the variants somebody has looked at.
"""

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.tasks import task

from claims.corroboration import plans
from claims.models import FiguresGeneration, FigureSummary, Investigation

FIGURES_PER_PAGE = 50

# Audited changes of these kinds of object may move figures; of them, these never do.
_FIGURE_OBJECTS = frozenset({"claim", "quantity", "source"})
_NO_FIGURES = frozenset(
    {"claim.assign", "claim.tag", "claim.priority", "claim.translation", "claim.edit"}
)


def first_pages(investigation, include_suggestions, per_page=FIGURES_PER_PAGE):
    """list[MeasurePlan]: page 1 of each measure, as plans.measure_plans() gives it now.

    One query when the kept summary is fresh; otherwise the live computation, kept.
    """
    current, kept = _read(investigation.pk, include_suggestions)
    if kept is not None and kept.per_page == per_page and kept.generation == current:
        return [plans.MeasurePlan.from_data(data) for data in kept.measures]
    return _recompute(investigation, include_suggestions, per_page, current)


def _read(investigation_id, include_suggestions):
    """(the current generation, the kept FigureSummary or None): one query.

    Read from the investigation's row, which is always there, so that a missing summary or
    a generation never moved still answers in the same query.
    """
    kept = FigureSummary.objects.filter(
        investigation_id=OuterRef("pk"), with_suggestions=include_suggestions
    )
    generation = FiguresGeneration.objects.filter(investigation_id=OuterRef("pk")).values("n")
    row = (
        Investigation.objects.filter(pk=investigation_id)
        .annotate(
            current=Coalesce(Subquery(generation), 0),
            kept_generation=Subquery(kept.values("generation")),
            kept_per_page=Subquery(kept.values("per_page")),
            kept_measures=Subquery(kept.values("measures")),
        )
        .values_list("current", "kept_generation", "kept_per_page", "kept_measures")
        .get()
    )
    current, generation_kept, per_page, measures = row
    if generation_kept is None:
        return current, None
    return current, FigureSummary(
        generation=generation_kept, per_page=per_page, measures=measures or []
    )


def _recompute(investigation, include_suggestions, per_page, generation):
    """Compute page 1 of every measure live and keep it under `generation`, which the caller
    read before this (see the module's docstring)."""
    found = plans.measure_plans(
        investigation, include_suggestions=include_suggestions, per_measure=per_page
    )
    data = [plan.as_data() for plan in found]
    with transaction.atomic():
        # Never over a summary of a later generation, kept meanwhile by another reader.
        updated = FigureSummary.objects.filter(
            investigation=investigation,
            with_suggestions=include_suggestions,
            generation__lte=generation,
        ).update(generation=generation, per_page=per_page, measures=data)
        if not updated:
            FigureSummary.objects.bulk_create(
                [
                    FigureSummary(
                        investigation=investigation,
                        with_suggestions=include_suggestions,
                        generation=generation,
                        per_page=per_page,
                        measures=data,
                    )
                ],
                ignore_conflicts=True,
            )
    return found


def _stale(investigation_id):
    """Whether a kept summary of the investigation is behind its figures generation."""
    current = Coalesce(
        Subquery(FiguresGeneration.objects.filter(investigation_id=investigation_id).values("n")),
        0,
    )
    return (
        FigureSummary.objects.filter(investigation_id=investigation_id)
        .exclude(generation=current)
        .exists()
    )


def refresh(investigation_id):
    """Recompute the investigation's kept summaries that are stale; return how many."""
    investigation = Investigation.objects.filter(pk=investigation_id).first()
    if investigation is None:
        return 0
    refreshed = 0
    kept = FigureSummary.objects.filter(investigation=investigation)
    for include_suggestions, per_page in kept.values_list("with_suggestions", "per_page"):
        current, summary = _read(investigation.pk, include_suggestions)
        if summary is None or summary.generation != current:
            _recompute(investigation, include_suggestions, per_page, current)
            refreshed += 1
    return refreshed


@task
def refresh_summaries(investigation_id):
    """The background task: refresh one investigation's kept summaries (see refresh())."""
    return refresh(investigation_id)


class _Refresh:
    """An on-commit callback that enqueues the refresh of one investigation; equal to another
    for the same investigation, so that a transaction asks once."""

    def __init__(self, investigation_id):
        self.investigation_id = investigation_id

    def __call__(self):
        # After the commit, one query: a change that moved no figure (or an investigation
        # whose numbers page nobody opened) puts nothing in the worker's queue.
        if _stale(self.investigation_id):
            refresh_summaries.enqueue(self.investigation_id)

    def __eq__(self, other):
        return isinstance(other, _Refresh) and other.investigation_id == self.investigation_id

    def __hash__(self):
        return hash(self.investigation_id)


def queue_refresh(investigation_id):
    """Ask the worker to refresh the investigation's summaries once the current transaction
    commits; asked at most once per transaction (a rolled-back savepoint takes its ask along,
    as Django drops its callbacks)."""
    callback = _Refresh(investigation_id)
    # Django keeps (savepoint ids, callback, robust) per pending callback.
    if connection.in_atomic_block and any(
        pending[1] == callback for pending in connection.run_on_commit
    ):
        return
    transaction.on_commit(callback)


def queue_refresh_for(event):
    """queue_refresh() for an audited change that may have moved figures (audit.record)."""
    if event.object_type in _FIGURE_OBJECTS and event.action not in _NO_FIGURES:
        queue_refresh(event.investigation_id)
