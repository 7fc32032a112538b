"""An investigation's own life in the domain: created with an owner, edited, archived (and
then read-only at every door: pages, domain functions, commands, the admin), deleted."""

import logging

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.access import investigations
from claims.access.investigations import InvestigationRefused
from claims.evidence import citations
from claims.models import (
    AuditEvent,
    Claim,
    Investigation,
    InvestigationArchived,
    Membership,
    Role,
    Source,
)
from claims.review import audit, reviews
from tests.factories import make_claim, make_source, make_user
from tests.test_admin_audit import admin_form_data


def _actions(investigation):
    return list(
        AuditEvent.objects.filter(investigation=investigation)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_the_creator_becomes_owner_and_it_is_audited(carol):
    investigation = investigations.create(
        actor=carol, title="Harbour fire", slug="harbour-fire", description="Who saw it."
    )
    assert Membership.objects.get(investigation=investigation, user=carol).role == Role.OWNER
    assert investigation.created_by == carol
    assert _actions(investigation) == ["investigation.create"]
    assert audit.verify(investigation).is_intact


def test_staff_only_creation_refuses_other_users(settings, carol):
    settings.INVESTIGATION_CREATION = "staff"
    with pytest.raises(InvestigationRefused, match="Only staff"):
        investigations.create(actor=carol, title="T", slug="t")
    assert not Investigation.objects.filter(slug="t").exists()
    staff = make_user("stella", is_staff=True)
    assert investigations.create(actor=staff, title="T", slug="t").slug == "t"


def test_a_taken_slug_is_refused(investigation, carol):
    with pytest.raises(InvestigationRefused, match="taken"):
        investigations.create(actor=carol, title="Other", slug=investigation.slug)
    assert not Membership.objects.filter(user=carol).exists()


def test_editors_edit_and_reviewers_cannot(investigation, erin, bob):
    investigations.edit(investigation, actor=erin, title="Vessa flood, 2026", description="")
    investigation.refresh_from_db()
    assert investigation.title == "Vessa flood, 2026"
    event = AuditEvent.objects.get(investigation=investigation, action="investigation.edit")
    assert event.before == {"title": "Vessa flood"}
    assert event.after == {"title": "Vessa flood, 2026"}
    with pytest.raises(InvestigationRefused):
        investigations.edit(investigation, actor=bob, title="Mine", description="")


@pytest.mark.parametrize("actor_name", ["erin", "bob", "victor", "carol"])
def test_only_owners_archive(request, investigation, actor_name):
    with pytest.raises(InvestigationRefused, match="Only an owner"):
        investigations.set_archived(
            investigation, actor=request.getfixturevalue(actor_name), archived=True
        )
    investigation.refresh_from_db()
    assert not investigation.is_archived


def test_archive_and_restore_are_audited_and_reversible(investigation, alice, bob, source):
    investigations.set_archived(investigation, actor=alice, archived=True)
    investigation.refresh_from_db()
    assert investigation.is_archived
    investigations.set_archived(investigation, actor=alice, archived=False)
    investigation.refresh_from_db()
    assert not investigation.is_archived
    make_claim(source, actor=bob)  # writes work again
    assert _actions(investigation)[-3:-1] == ["investigation.archive", "investigation.restore"]
    assert audit.verify(investigation).is_intact


def test_an_archived_investigation_refuses_domain_writes(investigation, alice, bob, claim):
    membership = Membership.objects.get(user=bob)
    investigations.set_archived(investigation, actor=alice, archived=True)
    events = AuditEvent.objects.filter(investigation=investigation).count()
    with pytest.raises(InvestigationArchived):
        reviews.propose_verdict(
            claim, proposer=bob, membership=membership, rating="true", rationale="Because."
        )
    with pytest.raises(InvestigationArchived):
        citations.cite_evidence(claim, actor=bob, stance="supports", title="Leaflet")
    with pytest.raises(InvestigationArchived):
        make_source(investigation, title="Late")
    with pytest.raises(InvestigationArchived):
        investigations.edit(investigation, actor=alice, title="Renamed", description="")
    # Nothing half-written: each refusal took its change with it.
    assert not claim.verdicts.exists()
    assert not claim.citations.exists()
    assert not Source.objects.filter(title="Late").exists()
    investigation.refresh_from_db()
    assert investigation.title == "Vessa flood"
    assert AuditEvent.objects.filter(investigation=investigation).count() == events


def test_an_archived_investigation_refuses_the_import_command(investigation, alice, tmp_path):
    investigations.set_archived(investigation, actor=alice, archived=True)
    path = tmp_path / "note.txt"
    path.write_text("About 300 people gathered in the square.")
    with pytest.raises(CommandError, match="archived"):
        call_command("import_source", path, investigation=investigation.slug)
    assert not investigation.sources.exists()


def test_an_archived_investigation_refuses_admin_changes_but_the_admin_may_restore(
    admin_client, investigation, alice, claim
):
    investigations.set_archived(investigation, actor=alice, archived=True)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = admin_form_data(admin_client.get(url))
    data["statement"] = "Changed in the admin"
    assert admin_client.post(url, data).status_code == 403
    claim.refresh_from_db()
    assert claim.statement != "Changed in the admin"
    url = reverse("admin:claims_investigation_change", args=[investigation.pk])
    data = admin_form_data(admin_client.get(url))
    data["archived_at_0"] = data["archived_at_1"] = ""
    assert admin_client.post(url, data).status_code == 302
    investigation.refresh_from_db()
    assert not investigation.is_archived


def test_only_owners_delete_and_only_with_the_slug(investigation, alice, erin, claim, caplog):
    with pytest.raises(InvestigationRefused, match="Only an owner"):
        investigations.delete(investigation, actor=erin, confirmation=investigation.slug)
    with pytest.raises(InvestigationRefused, match="exactly"):
        investigations.delete(investigation, actor=alice, confirmation="flood")
    assert Investigation.objects.filter(pk=investigation.pk).exists()
    with caplog.at_level(logging.WARNING, logger="claims.access.investigations"):
        investigations.delete(investigation, actor=alice, confirmation=investigation.slug)
    assert not Investigation.objects.filter(pk=investigation.pk).exists()
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert "investigation.delete slug=flood-2026 by=alice" in caplog.text
