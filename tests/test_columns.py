"""Whole-row copies read their column lists from the models: a new field is copied, or the
copy fails, never silently dropped."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from claims import models
from claims.columns import columns, data_columns
from claims.devdata import synthetic
from claims.reporting import transfer


def _concrete(model):
    return [field.name for field in model._meta.concrete_fields]


def _links(model):
    return {f.name for f in model._meta.concrete_fields if f.primary_key or f.is_relation}


# What each copy leaves out on purpose; anything else a model gains must be copied.
TRANSFER_LEAVES_OUT = {
    "_SOURCE_FIELDS": (
        models.Source,
        {
            "original_file",
            "extraction_status",
            "extraction_error",
            "extraction_queued_at",
            "extraction_started_at",
        },
    ),
    "_CLAIM_FIELDS": (models.Claim, set()),
    "_QUANTITY_FIELDS": (models.Quantity, set()),
    "_EVIDENCE_FIELDS": (models.Evidence, set()),
    "_CITATION_FIELDS": (models.ClaimEvidence, set()),
    "_SNAPSHOT_FIELDS": (models.Snapshot, {"body", "started_at"}),
    "_VERDICT_FIELDS": (models.Verdict, set()),
    "_COMMENT_FIELDS": (models.Comment, set()),
    "_AUDIT_FIELDS": (models.AuditEvent, set(transfer._AUDIT_CHAIN_FIELDS)),
}
SYNTHETIC_LEAVES_OUT = {
    "SOURCE_FIELDS": (
        models.Source,
        {
            "captured_at",
            "extraction_status",
            "extraction_error",
            "extraction_queued_at",
            "extraction_started_at",
            "recognition",
            "translation_of",
        },
    ),
    "CLAIM_FIELDS": (models.Claim, {"original"}),
    "QUANTITY_FIELDS": (models.Quantity, {"id", "measure_set_by_reviewer"}),
    "EVIDENCE_FIELDS": (models.Evidence, {"latest_snapshot", "archived_snapshot", "testimony"}),
    "CITATION_FIELDS": (models.ClaimEvidence, {"retracted_at", "retracted_by"}),
    "VERDICT_FIELDS": (models.Verdict, {"resubmission_of", "voided_at", "voided_by"}),
    "COMMENT_FIELDS": (models.Comment, set()),
    "EVENT_FIELDS": (models.AuditEvent, {"id"}),
}


@pytest.mark.parametrize("name", sorted(TRANSFER_LEAVES_OUT))
def test_transfer_carries_every_field_but_the_stated_ones(name):
    model, left_out = TRANSFER_LEAVES_OUT[name]
    expected = [n for n in _concrete(model) if n not in left_out | _links(model)]
    assert getattr(transfer, name) == expected


@pytest.mark.parametrize("name", sorted(SYNTHETIC_LEAVES_OUT))
def test_synthetic_rows_fill_every_column_but_the_stated_ones(name):
    model, left_out = SYNTHETIC_LEAVES_OUT[name]
    assert getattr(synthetic, name) == [n for n in _concrete(model) if n not in left_out]


def _model_with(*fields):
    """A stand-in with just what columns() reads: a name and _meta.concrete_fields."""
    made = [
        SimpleNamespace(name=name, primary_key=name == "id", is_relation=name == "owner")
        for name in fields
    ]
    return type("Row", (), {"_meta": SimpleNamespace(concrete_fields=made)})


def test_a_field_added_later_is_listed():
    before = _model_with("id", "owner", "title")
    after = _model_with("id", "owner", "title", "subtitle")
    assert data_columns(before) == ["title"]
    assert data_columns(after) == ["title", "subtitle"]
    assert columns(after, without=["id"]) == ["owner", "title", "subtitle"]


def test_an_exclusion_of_a_field_that_is_gone_is_an_error():
    with pytest.raises(ImproperlyConfigured, match="subtitle"):
        columns(_model_with("id", "title"), without=["subtitle"])
