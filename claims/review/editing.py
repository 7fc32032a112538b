"""Edits of wording that two people may make at once: a claim's statement, a citation's note.

Each edit names the version of the row it started from and is one conditional UPDATE on
(pk, version). When the row moved on meanwhile, nothing is written and StaleEdit says what
the other person saved, field by field, so the page can show it next to what this user typed.

The statement and the citations are what a sign-off approves: an edit of either, in its own
transaction, voids a sign-off it no longer matches (reviews.void_if_changed).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Field, Model
from django.utils import timezone

from claims import limits
from claims.corroboration.matching import queue_matching
from claims.models import AuditEvent, Claim, ClaimEvidence
from claims.review import audit, reviews
from claims.review.guarded import guarded_update
from claims.review.workflow import EditConflict, TransitionRefused

CLAIM_FIELDS = ("statement", "speaker", "attribution")
CITATION_FIELDS = ("stance", "excerpt", "note")
# The free-text fields among them and their limits (the others are choices).
TEXT_LIMITS = {
    "statement": limits.STATEMENT_MAX_CHARS,
    "excerpt": limits.EXCERPT_MAX_CHARS,
    "note": limits.NOTE_MAX_CHARS,
}


@dataclass(frozen=True)
class Difference:
    label: str
    saved: str
    yours: str


class StaleEdit(EditConflict):
    """The row changed after the user loaded it; `current` is the row as saved now."""

    def __init__(self, message, current, differences, last_change):
        super().__init__(message)
        self.current = current
        self.differences = differences
        self.last_change = last_change


def edit_claim(claim, *, actor, expected_version, **values):
    """Save statement, speaker and attribution if the claim is still at `expected_version`.

    Returns the refreshed claim; raises StaleEdit when someone saved it in between. A new
    statement voids a sign-off that approved the old one.
    """

    def voids(changed):
        if "statement" in changed:
            reviews.void_if_changed(claim, actor=actor, reason="The statement was edited.")
        if {"statement", "speaker"} & set(changed):
            queue_matching([claim.pk])

    return _edit(claim, Claim, CLAIM_FIELDS, "claim.edit", actor, expected_version, values, voids)


def edit_citation(citation, *, actor, expected_version, **values):
    """Save a citation's stance, excerpt and note if it is still at `expected_version`.

    Raises TransitionRefused for a retracted citation (it is kept as it was taken back),
    StaleEdit when someone saved it in between. A change voids a sign-off resting on it.
    """
    if ClaimEvidence.objects.filter(pk=citation.pk, retracted_at__isnull=False).exists():
        raise TransitionRefused("This citation was retracted; it can no longer be edited.")

    def voids(changed):
        names = ", ".join(str(_edited_field(ClaimEvidence, name).verbose_name) for name in changed)
        reason = f"The citation of “{citation.evidence.title}” was edited ({names})."
        reviews.void_if_changed(citation.claim, actor=actor, reason=reason)

    return _edit(
        citation,
        ClaimEvidence,
        CITATION_FIELDS,
        "citation.edit",
        actor,
        expected_version,
        values,
        voids,
    )


class NotAChoice(ValueError):
    """A value for a field with fixed choices (attribution, stance) that is not one of them."""


def _edit(obj, model, fields, action, actor, expected_version, values, on_change):
    values = {name: values[name] for name in fields}
    # Forms offer only the choices; a caller that skips them must not store another value.
    for name, value in values.items():
        choices = _edited_field(model, name).choices
        if choices and value not in {choice for choice, _label in choices}:
            raise NotAChoice(f"{value!r} is not a {name} the workbench knows.")
    limits.check_lengths(
        **{name: (values[name], TEXT_LIMITS[name]) for name in fields if name in TEXT_LIMITS}
    )
    claim = obj if model is Claim else obj.claim
    before = audit.snapshot_fields(obj, fields)
    stamp = {"updated_at": timezone.now()} if model is Claim else {}
    with transaction.atomic():
        guarded_update(
            obj,
            expect={"version": expected_version},
            changes={**values, **stamp, "version": F("version") + 1},
            conflict=lambda current: _stale(current, model, fields, values),
        )
        after = audit.snapshot_fields(obj, fields)
        changed = audit.changed_fields(before, after)
        if changed:
            audit.record(
                actor,
                action,
                obj,
                investigation=claim.investigation,
                claim=claim,
                before={name: before[name] for name in changed},
                after={name: after[name] for name in changed},
            )
            on_change(changed)
    return obj


def _edited_field(model: type[Model], name: str) -> Field:
    """The field `name` of `model`: one of the edited columns, never a reverse relation."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"{model.__name__}.{name} is a reverse relation, not an edited field")
    return field


def _stale(current, model, fields, yours):
    differences = []
    for name in fields:
        field = _edited_field(model, name)
        saved = getattr(current, name)
        if saved != yours[name]:
            choices = dict(field.choices or ())
            differences.append(
                Difference(
                    label=str(field.verbose_name).capitalize(),
                    saved=str(choices.get(saved, saved)),
                    yours=str(choices.get(yours[name], yours[name])),
                )
            )
    last_change = (
        AuditEvent.objects.filter(object_type=model._meta.model_name, object_id=str(current.pk))
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )
    who = last_change.actor.get_username() if last_change and last_change.actor else "Someone"
    return StaleEdit(
        f"{who} saved this while you were editing. What they saved and what you typed are "
        "shown side by side; your text is kept in the form. Save again to replace theirs.",
        current,
        differences,
        last_change,
    )
