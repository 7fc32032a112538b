"""One-row rules the models enforce whatever code path writes them."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from claims.models import AuditEvent, Claim, Source, Verdict
from claims.sources.anchoring import sha256_text


def test_source_hash_is_the_sha256_of_its_text(source):
    assert source.text_sha256 == sha256_text(source.text)
    assert len(source.text_sha256) == 64


def test_source_text_cannot_change_after_saving(source):
    source.text = source.text.replace("3.2", "9.9")
    with pytest.raises(ValidationError, match="cannot change"):
        source.save()
    source.refresh_from_db()
    assert "3.2 metres" in source.text


def test_source_other_fields_can_change(source):
    source.title = "Renamed"
    source.save()
    source.refresh_from_db()
    assert source.title == "Renamed"


def test_claim_quote_must_match_its_offsets(source):
    start = source.text.index("about 1,200")
    claim = Claim(source=source, start=start, end=start + 11, quote="about 1,300")
    with pytest.raises(ValidationError, match="does not match"):
        claim.save()
    assert not Claim.objects.exists()


def test_claim_offsets_must_lie_inside_the_text(source):
    claim = Claim(source=source, start=5, end=len(source.text) + 3, quote="x")
    with pytest.raises(ValidationError):
        claim.save()


def test_claim_gets_prefix_suffix_and_investigation(claim, source):
    assert source.text[claim.start : claim.end] == claim.quote
    assert claim.prefix == source.text[max(0, claim.start - 32) : claim.start]
    assert claim.suffix == source.text[claim.end : claim.end + 32]
    assert claim.investigation_id == source.investigation_id


def test_claim_quantities_are_parsed_when_marked(claim):
    values = [q.value for q in claim.quantities.all()]
    assert 1200 in values


def test_database_refuses_a_proposer_signing_off(claim, bob):
    verdict = Verdict.objects.create(claim=claim, rating="true", rationale="x", proposed_by=bob)
    verdict.signed_off_by = bob
    verdict.status = Verdict.Status.SIGNED_OFF
    with pytest.raises(IntegrityError), transaction.atomic():
        verdict.save()


def test_database_refuses_an_empty_rationale(claim, bob):
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.create(claim=claim, rating="true", rationale="", proposed_by=bob)


def test_only_one_current_verdict_per_claim(claim, bob):
    Verdict.objects.create(claim=claim, rating="true", rationale="a", proposed_by=bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.create(claim=claim, rating="false", rationale="b", proposed_by=bob)


def test_audit_events_are_append_only(claim):
    event = AuditEvent.objects.filter(claim=claim).first()
    assert event is not None
    event.action = "tampered"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


def test_deleting_a_source_keeps_no_orphans(source, claim):
    Source.objects.filter(pk=source.pk).delete()
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_the_models_and_their_migrations_agree():
    """A change to a model (even list to tuple in Meta) comes with its migration."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
