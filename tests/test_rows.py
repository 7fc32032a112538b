"""The claim page's hand-written reads (claims/rows.py) give what the ORM gives.

Each loader is compared, field by field, with the same rows read through querysets, over
the demo investigation (verdicts signed off, voided and resubmitted; archived pages, an
uploaded photo, a collection log; comments, tags, members), on SQLite and PostgreSQL alike:
dates, times and JSON come back from the two databases differently, and the converters must
make them the same.
"""

import io

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.http import Http404
from django.urls import reverse

from claims.access import memberships, permissions
from claims.access.memberships import members_and_reviewers
from claims.access.permissions import get_claim_for_user
from claims.corroboration import comparison
from claims.evidence import citations
from claims.evidence.citations import load_citations
from claims.listing import queues
from claims.models import (
    Claim,
    Evidence,
    Investigation,
    Membership,
    Quantity,
    Snapshot,
    Tag,
    Verdict,
)
from claims.review import editing, history, mentions, reviews, workflow
from claims.review.history import claim_history, describe_all
from claims.sources import marking
from tests.factories import (
    make_capture_histories,
    make_claim,
    make_investigation,
    make_many_claims,
    make_source,
    make_user,
)

pytestmark = pytest.mark.django_db


def _loaded(instance):
    """{column: value} of the fields `instance` holds (deferred ones left out)."""
    deferred = instance.get_deferred_fields()
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname not in deferred
    }


def _same(hand, orm):
    loaded = _loaded(hand)
    assert loaded, hand
    assert loaded == {name: getattr(orm, name) for name in loaded}


def _name(user):
    return user.get_username() if user else None


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())
    return Investigation.objects.get(slug="almaty-2022")


@pytest.fixture
def synthetic():
    """Many verdicts in every state, resubmissions after a voided sign-off among them."""
    call_command(
        "generate_synthetic", "--investigation", "syn", "--claims", "300", stdout=io.StringIO()
    )
    return Investigation.objects.get(slug="syn")


def _claims(*investigations):
    return list(Claim.objects.filter(investigation__in=investigations).order_by("pk"))


def test_verdicts_match_the_orm(demo, synthetic):
    # A change to a signed-off claim voids its sign-off: the verdict waits again, resubmitted.
    verified = Claim.objects.filter(investigation=demo, status="verified").first()
    editor = Membership.objects.filter(investigation=demo, role="owner").first().user
    editing.edit_claim(
        verified,
        actor=editor,
        expected_version=verified.version,
        statement="A statement changed after sign-off.",
        speaker=verified.speaker,
        attribution=verified.attribution,
    )
    compared = 0
    for claim in _claims(demo, synthetic):
        orm = list(claim.verdicts.all())
        hand = reviews.load_verdicts(claim)
        assert [v.pk for v in hand] == [v.pk for v in orm]
        for mine, theirs in zip(hand, orm, strict=True):
            _same(mine, theirs)
            assert mine.signed_content == theirs.signed_content
            for who in ("proposed_by", "signed_off_by", "voided_by"):
                assert _name(getattr(mine, who)) == _name(getattr(theirs, who))
            if theirs.resubmission_of is None:
                assert mine.resubmission_of is None
            else:
                _same(mine.resubmission_of, theirs.resubmission_of)
                for who in ("signed_off_by", "voided_by"):
                    assert _name(getattr(mine.resubmission_of, who)) == _name(
                        getattr(theirs.resubmission_of, who)
                    )
            compared += 1
    assert compared >= 50
    assert Verdict.objects.filter(resubmission_of__isnull=False).exists()


def test_citations_match_the_orm(demo, synthetic):
    # Archived pages with a failed capture before, a logged re-check and metadata.
    make_capture_histories(list(Evidence.objects.filter(investigation=demo).exclude(url="")))
    Snapshot.objects.filter(status="done").update(metadata={"title": "Kept", "author": "Ana"})
    compared = files = archived = 0
    for claim in _claims(demo, synthetic):
        hand = load_citations(claim)
        orm = list(claim.citations.order_by("created_at", "pk"))
        assert [c.pk for c in hand] == [c.pk for c in orm]
        for mine, theirs in zip(hand, orm, strict=True):
            _same(mine, theirs)
            _same(mine.evidence, theirs.evidence)
            assert _name(mine.added_by) == _name(theirs.added_by)
            assert _name(mine.retracted_by) == _name(theirs.retracted_by)
            for pointer in ("latest_snapshot", "archived_snapshot"):
                if getattr(theirs.evidence, pointer) is None:
                    assert getattr(mine.evidence, pointer) is None
                else:
                    _same(getattr(mine.evidence, pointer), getattr(theirs.evidence, pointer))
                    archived += 1
            if hasattr(theirs.evidence, "file"):
                _same(mine.evidence.file, theirs.evidence.file)
                files += 1
            log = theirs.evidence.collection_log.all()
            assert mine.evidence.log_count == len(log)
            rechecks = [e for e in log if e.action == "recheck"]
            if rechecks:
                newest = max(rechecks, key=lambda e: (e.at, e.pk))
                assert mine.evidence.last_recheck.at == newest.at
            compared += 1
        # Loading one citation by its key gives the same row.
        if hand:
            assert [c.pk for c in load_citations(claim, only=hand[0].pk)] == [hand[0].pk]
    assert compared >= 50
    assert files
    assert archived


def test_comments_history_tags_and_members_match_the_orm(demo):
    users, reviewers = members_and_reviewers(demo)
    memberships = Membership.objects.filter(investigation=demo).select_related("user")
    assert sorted(u.pk for u in users) == sorted(m.user_id for m in memberships)
    assert reviewers
    assert set(reviewers) <= set(users)
    usernames = [u.get_username() for u in users]
    claim = _claims(demo)[0]
    workflow.tag(claim, actor=users[0], membership=memberships[0], add=["crowd"], remove=[])
    for claim in _claims(demo):
        hand = mentions.load_comments(claim, usernames)
        orm = list(claim.comments.all())
        assert [c.pk for c in hand] == [c.pk for c in orm]
        for mine, theirs in zip(hand, orm, strict=True):
            _same(mine, theirs)
            assert _name(mine.author) == _name(theirs.author)
        events = claim.audit_events.order_by("-created_at", "-pk")
        assert claim_history(claim) == describe_all(events)
        on_claim = set(claim.tags.values_list("pk", flat=True))
        tags = workflow.investigation_tags(claim)
        assert [t.pk for t in tags] == list(
            Tag.objects.filter(investigation=demo).values_list("pk", flat=True)
        )
        assert {t.pk for t in tags if t.on_claim} == on_claim
    assert Tag.objects.filter(investigation=demo, claims__isnull=False).exists()


def test_claim_door_matches_the_orm(demo):
    owner = Membership.objects.filter(investigation=demo, role="owner").first().user
    for claim in _claims(demo)[:5]:
        mine, membership = get_claim_for_user(owner, claim.pk)
        _same(mine, claim)
        _same(mine.source, claim.source)
        _same(mine.investigation, claim.investigation)
        assert membership.user_id == owner.pk
        assert membership.investigation is mine.investigation


@pytest.mark.parametrize("claim_id", [0, -1, 2**63, 10**40, "12a", None])
def test_claim_door_refuses_keys_no_row_can_have(claim_id):
    user = make_user("ines")
    with pytest.raises(Http404):
        get_claim_for_user(user, claim_id)


def test_claim_door_hides_claims_of_other_investigations(demo):
    stranger = make_user("stranger")
    make_investigation(slug="other", members=[(stranger, "owner")])
    with pytest.raises(Http404):
        get_claim_for_user(stranger, _claims(demo)[0].pk)


def test_every_writer_gives_a_number_its_claims_investigation(demo, synthetic):
    """Quantity.investigation is always its claim's: the figures elsewhere are found by it."""
    owner = make_user("writer-test-owner")
    other = make_investigation(slug="re-extract", members=[(owner, "owner")])
    source = make_source(other, extract=True)
    claim = make_claim(source, actor=owner)
    marking.replace_quantities(claim)
    start = claim.start
    Quantity(claim=claim, start=start, end=start + 5, text=source.text[start:][:5], value=1).save()
    assert Quantity.objects.count() > 100
    assert Quantity.objects.filter(investigation=other).exists()
    assert not Quantity.objects.exclude(investigation_id=F("claim__investigation_id")).exists()


def test_figures_elsewhere_come_from_the_claims_investigation_only(demo):
    call_command(
        "generate_synthetic", "--investigation", "syn", "--claims", "200", stdout=io.StringIO()
    )
    for claim in _claims(demo):
        own, elsewhere = comparison.claim_figures(claim)
        assert all(q.claim_id == claim.pk for q in own)
        for row in elsewhere:
            for statement, _ in row.others:
                assert Claim.objects.get(pk=statement.claim_id).investigation_id == demo.pk


def test_figures_read_what_the_orm_reads(demo):
    """Each figure's claim and source, read in part by hand, hold the ORM's values."""
    shown = 0
    for claim in _claims(demo):
        own, elsewhere = comparison.claim_figures(claim)
        for quantity in own:
            _same(quantity, Quantity.objects.get(pk=quantity.pk))
        for row in elsewhere:
            for statement, _ in row.others:
                other = Claim.objects.select_related("source").get(pk=statement.claim_id)
                assert statement.speaker == other.speaker
                assert statement.quote == other.quote
                assert statement.attribution == other.get_attribution_display()
                assert statement.source == other.source.title
                shown += 1
    assert shown


def _prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {statement for (statement,) in cursor.fetchall()}


def _as_prepared(sql):
    """`sql` as PostgreSQL keeps it once prepared: $1, $2 in place of the %s."""
    first, *rest = sql.split("%s")
    return (first + "".join(f"${number}{part}" for number, part in enumerate(rest, 1))).replace(
        "%%", "%"
    )


PREPARED = [
    permissions._CLAIM_SQL,
    reviews._VERDICTS_SQL,
    citations._CITATIONS_SQL.format(only=""),
    comparison._FIGURES_SQL,
    mentions._COMMENTS_SQL,
    memberships._MEMBERS_SQL,
    workflow._TAGS_SQL,
    history._CLAIM_HISTORY_SQL,
    # The top bar's investigations and queue counts, compiled once by the ORM.
    queues._compiled_counts_query(connection.vendor, queues.BADGE_CAP)[0],
]
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements: PostgreSQL"
)


@on_postgresql
def test_the_claim_pages_reads_are_prepared_once_per_connection(
    client, bob, investigation, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # drawn on every load
    first, second = make_many_claims(investigation, 2)
    client.force_login(bob)
    client.get(reverse("claims:claim-detail", args=[first.pk]))
    prepared = _prepared_statements()
    assert [sql for sql in PREPARED if _as_prepared(sql) not in prepared] == []
    # Another claim runs the same statements with other values: nothing more is prepared.
    client.get(reverse("claims:claim-detail", args=[second.pk]))
    assert _prepared_statements() == prepared


@on_postgresql
@pytest.mark.parametrize("prepare", [True, False])
def test_prepared_statements_can_be_turned_off(client, bob, investigation, settings, prepare):
    settings.PAGE_CACHE_SECONDS = 0
    settings.PREPARED_STATEMENTS = prepare
    [claim] = make_many_claims(investigation, 1)
    client.force_login(bob)
    bound_on_the_server = []

    def record(execute, sql, params, many, context):
        # Django's own cursors bind values on the client, and psycopg never prepares those.
        if not isinstance(context["cursor"].cursor, psycopg.ClientCursor):
            bound_on_the_server.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(reverse("claims:claim-detail", args=[claim.pk]))
    assert response.status_code == 200
    assert sorted(bound_on_the_server) == (sorted(PREPARED) if prepare else [])
