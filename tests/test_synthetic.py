from django.core.management import call_command

from claims.devdata import synthetic
from claims.extraction import measure_of, occasion_of
from claims.models import (
    AuditEvent,
    Claim,
    ClaimEvidence,
    Comment,
    Investigation,
    Membership,
    Quantity,
    Verdict,
)
from claims.review import audit
from claims.sources import marking
from tests.factories import make_investigation


def _fingerprint(investigation):
    return list(
        Claim.objects.filter(investigation=investigation)
        .order_by("pk")
        .values_list("quote", "prefix", "suffix", "status", "speaker", "statement")
    )


def test_every_claim_is_anchored_to_its_source_text(db):
    investigation = make_investigation(slug="synthetic")
    synthetic.generate(investigation, claims=300, evidence_per_claim=2, seed=7)
    claims = Claim.objects.filter(investigation=investigation).select_related("source")
    assert claims.count() == 300
    for claim in claims:
        claim.check_anchor()
        assert claim.source.text[claim.start - len(claim.prefix) : claim.start] == claim.prefix
        assert claim.source.text[claim.end : claim.end + len(claim.suffix)] == claim.suffix
    for quantity in Quantity.objects.filter(claim__investigation=investigation):
        quantity.clean()


def test_verdicts_keep_four_eyes_and_statuses_vary(db):
    investigation = make_investigation(slug="synthetic")
    synthetic.generate(investigation, claims=400, seed=3)
    statuses = set(Claim.objects.values_list("status", flat=True))
    assert len(statuses) >= 6
    signed = Verdict.objects.filter(status=Verdict.Status.SIGNED_OFF)
    assert signed.exists()
    assert all(v.signed_off_by_id != v.proposed_by_id for v in signed)
    for claim in Claim.objects.filter(status="verified"):
        assert claim.verdicts.filter(status=Verdict.Status.SIGNED_OFF).count() == 1
    assert Comment.objects.exists()
    assert ClaimEvidence.objects.exists()
    assert AuditEvent.objects.filter(action="claim.mark").exists()


def test_same_seed_gives_the_same_data(db):
    first = make_investigation(slug="first")
    second = make_investigation(slug="second")
    synthetic.generate(first, claims=120, seed=11)
    synthetic.generate(second, claims=120, seed=11)
    assert _fingerprint(first) == _fingerprint(second)
    other = make_investigation(slug="other")
    synthetic.generate(other, claims=120, seed=12)
    assert _fingerprint(first) != _fingerprint(other)


def test_command_creates_investigation_and_team(db, capsys):
    call_command("generate_synthetic", investigation="scale", claims=60, seed=1)
    investigation = Investigation.objects.get(slug="scale")
    assert Claim.objects.filter(investigation=investigation).count() == 60
    roles = set(
        Membership.objects.filter(investigation=investigation).values_list("role", flat=True)
    )
    assert roles == {"owner", "editor", "reviewer", "viewer"}
    call_command("generate_synthetic", investigation="scale", claims=40, seed=2)
    assert Claim.objects.filter(investigation=investigation).count() == 100
    assert "Extended 'scale': 40 claims" in capsys.readouterr().out


def test_verified_claims_carry_a_sign_off_that_matches_what_they_show(db):
    """generate_synthetic writes rows directly, so it must write sign-offs as reviews.py does:
    each verified claim's verdict records its content, and that content is the claim's own."""
    from claims.models import ClaimStatus
    from claims.review import reviews, signoff

    investigation = make_investigation(slug="synthetic")
    synthetic.generate(investigation, claims=200, evidence_per_claim=2, seed=5)
    verified = Claim.objects.filter(investigation=investigation, status=ClaimStatus.VERIFIED)
    assert verified.exists()
    for claim in verified:
        [verdict] = claim.verdicts.filter(status=Verdict.Status.SIGNED_OFF)
        assert verdict.signed_sha256 == signoff.content_sha256(verdict.signed_content)
        assert verdict.signed_sha256 == reviews.current_sha256(claim, verdict)
    assert not ClaimEvidence.objects.exclude(retraction_reason="").exists()


def test_the_history_is_one_chain_across_batches_and_runs(db, monkeypatch):
    monkeypatch.setattr(synthetic, "SOURCES_PER_BATCH", 2)
    investigation = make_investigation(slug="synthetic")
    marking.add_source(investigation, actor=None, text="A first source.", title="By hand")
    synthetic.generate(investigation, claims=200, seed=5)
    synthetic.generate(investigation, claims=50, seed=6)
    result = audit.verify(investigation)
    assert result.is_intact, result.problem
    assert result.events == AuditEvent.objects.filter(investigation=investigation).count()
    assert result.events > 250
    assert AuditEvent.objects.filter(actor_username="synthetic-editor").exists()


def test_numbers_count_what_extraction_reads_in_their_words(db):
    # The numbers page at scale must compare real figures: a synthetic number gets the
    # measure, date and place that extraction's own rules read at its offsets.
    investigation = make_investigation(slug="synthetic")
    synthetic.generate(investigation, claims=200, seed=5)
    quantities = Quantity.objects.filter(claim__investigation=investigation).select_related(
        "claim__source"
    )
    measures = set()
    for quantity in quantities:
        source = quantity.claim.source
        measure = measure_of(
            source.text, quantity.start, quantity.end, quantity.kind, quantity.unit
        )
        occasion = occasion_of(
            source.text, quantity.start, quantity.end, source.published_on, quantity.kind
        )
        assert (quantity.measure, quantity.measure_reason) == (measure.name, measure.reason)
        assert (quantity.stated_on, quantity.place) == (occasion.on, occasion.place)
        assert not quantity.measure_set_by_reviewer
        measures.add(quantity.measure)
    assert {"crowd", "detained", "injured", "share", "duration"} <= measures
    assert quantities.exclude(stated_on=None).exists()
    assert quantities.exclude(place="").exists()
