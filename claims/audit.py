"""The append-only history: every change to investigation data writes one AuditEvent."""

from claims.models import AuditEvent


def snapshot_fields(instance, fields):
    """Plain JSON-able values of `fields` on `instance`, for before/after records."""
    values = {}
    for name in fields:
        value = getattr(instance, name)
        if (
            hasattr(value, "pk")
            or value is not None
            and not isinstance(value, (str, int, float, bool, list, dict))
        ):
            value = str(value)
        values[name] = value
    return values


def record(actor, action, obj, *, investigation, claim=None, before=None, after=None):
    """Insert one audit event and return it.

    Call it inside the same transaction as the change it describes, so that a change and its
    record are written together or not at all.
    """
    return AuditEvent.objects.create(
        investigation=investigation,
        claim=claim,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=before or {},
        after=after or {},
    )


def changed_fields(before, after):
    """Names of the fields whose value differs between two snapshots."""
    return [name for name in after if before.get(name) != after.get(name)]
