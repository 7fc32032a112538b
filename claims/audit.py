"""The append-only history: every change to investigation data writes one AuditEvent."""

from claims.models import AuditEvent, Claim, Investigation


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


def scope_of(obj):
    """(investigation, claim) whose history a change to `obj` belongs in.

    Follows the object's own links: a claim is its own scope, rows that hang off a claim
    (comments, quantities, verdicts, citations) belong to that claim, rows that hang off an
    evidence item or an investigation belong to the investigation. (None, None) for rows
    outside any investigation, which have no history page to appear on.
    """
    if isinstance(obj, Investigation):
        return obj, None
    if isinstance(obj, Claim):
        return obj.investigation, obj
    claim = getattr(obj, "claim", None)
    if isinstance(claim, Claim):
        return claim.investigation, claim
    evidence = getattr(obj, "evidence", None)
    if evidence is not None and hasattr(evidence, "investigation"):
        return evidence.investigation, None
    investigation = getattr(obj, "investigation", None)
    if isinstance(investigation, Investigation):
        return investigation, None
    return None, None


def column_values(obj, names=None):
    """snapshot_fields() over `obj`'s plain columns (or those of `names` that are columns)."""
    columns = [field.name for field in obj._meta.concrete_fields if not field.primary_key]
    if names is not None:
        columns = [name for name in columns if name in names]
    return snapshot_fields(obj, columns)
