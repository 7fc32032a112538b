"""Jobs a dead worker left behind, of every kind at once (the rule itself is in jobs.py).

`manage.py interrupt_stale_jobs` runs this before the worker starts and from cron; each kind's
own module knows how to record one of its jobs as interrupted.
"""

from claims.evidence import capture
from claims.models import ReportFile, Snapshot, Source
from claims.reporting import report_files
from claims.sources import marking

# Each kind of job with the function that interrupts its stale jobs, in the order reported.
SWEEPS = (
    (Snapshot.JOB, capture.fail_stale_captures),
    (Source.EXTRACTION_JOB, marking.interrupt_stale_extractions),
    (ReportFile.JOB, report_files.interrupt_stale_report_files),
)


def interrupt_all(*, window=None):
    """Interrupt the stale jobs of every kind; returns {kind: how many}, in SWEEPS order.

    `window` replaces JOB_STALE_AFTER (see jobs.interrupt_stale_jobs).
    """
    return {kind: sweep(window=window) for kind, sweep in SWEEPS}
