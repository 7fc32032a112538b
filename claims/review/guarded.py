"""One conditional UPDATE that names what the user saw, for changes two people may race on.

Moving, assigning, editing, signing off and retracting all take the same shape: write the
change only if the row still holds the values the user acted on, re-read it, and record the
change in the audit trail. When the row moved on meanwhile, nothing is written and the
caller's own conflict error is raised, built from the row as it is now, so the message can
say what someone else did.
"""

from claims.review import audit


def guarded_update(obj, *, expect, changes, conflict, event=None, reload=True):
    """Write `changes` to `obj`'s row if its columns still equal `expect`; return `obj`.

    `expect`: {field lookup: value the user saw}, matched with the primary key in one UPDATE.
    `conflict(obj)`: the exception raised when no row matched; `obj` is re-read first (when
    `reload`) so the message can quote the current state.
    `event`: audit.record() keyword arguments (actor, action, before, after), or a function
    of the re-read `obj` that returns them, to record the change under `obj`'s own
    investigation and claim (audit.scope_of); None when the caller records it itself, later
    or only if something changed.
    `reload`: re-read `obj` after the write (Claim.reload keeps its loaded source); False
    for callers that set the written values on `obj` themselves.

    Call it inside the caller's transaction.atomic(): the change, its record and whatever the
    caller writes next land together or not at all. No savepoint of its own, so it costs
    exactly the UPDATE, the re-read and the record.
    """
    updated = type(obj)._default_manager.filter(pk=obj.pk, **expect).update(**changes)
    if reload:
        _reload(obj)
    if not updated:
        raise conflict(obj)
    if event is not None:
        investigation, claim = audit.scope_of(obj)
        fields = event(obj) if callable(event) else event
        audit.record(obj=obj, investigation=investigation, claim=claim, **fields)
    return obj


def _reload(obj):
    reload = getattr(obj, "reload", None)
    if reload is not None:
        reload()
    else:
        obj.refresh_from_db()
