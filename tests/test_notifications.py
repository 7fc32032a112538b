"""Email notifications: who hears of a mention, an assignment, a verdict waiting for sign-off
and a verdict sent back; at once, in a digest or not at all; sent by the worker, once."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import (
    Membership,
    Notification,
    NotificationKind,
    NotificationMode,
)
from claims.review import mentions, notifications, reviews, workflow
from tests.factories import make_claim, make_source, make_users


@pytest.fixture
def people(alice, bob, rita, erin, victor, carol):
    """Everyone gets an address: whoever hears nothing hears nothing for a reason."""
    for user in (alice, bob, rita, erin, victor, carol):
        user.email = f"{user.username}@example.org"
        user.save()


def member(user):
    return Membership.objects.get(user=user)


def sent_to(outbox=None):
    return sorted(address for message in (outbox or mail.outbox) for address in message.to)


def test_a_mention_emails_the_member_mentioned_and_not_the_author(
    claim, bob, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mentions.add_comment(claim, author=bob, body="@rita can you check? @bob @carol")
    # Carol is no member; Bob wrote it.
    assert sent_to() == ["rita@example.org"]
    (message,) = mail.outbox
    assert "Vessa flood" in message.subject
    assert "bob mentioned you" in message.body
    assert claim.get_absolute_url() in message.body
    assert "/account/" in message.body


def test_an_assignment_emails_the_assignee_unless_they_took_it(
    claim, erin, rita, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign(claim, actor=erin, membership=member(erin), assignee=rita)
    assert sent_to() == ["rita@example.org"]
    assert "erin assigned you the claim" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign(claim, actor=rita, membership=member(rita), assignee=None)
        workflow.assign(claim, actor=rita, membership=member(rita), assignee=rita)
    assert mail.outbox == []


def test_a_proposal_emails_those_who_may_sign_it_off_and_a_send_back_its_proposer(
    claim, bob, rita, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        verdict = reviews.propose_verdict(
            claim, proposer=bob, membership=member(bob), rating="false", rationale="Counts."
        )
    # Whoever may sign it off (reviewer, editor, owner), not the proposer; not the viewer.
    assert sent_to() == ["alice@example.org", "erin@example.org", "rita@example.org"]
    assert "needs a second reviewer" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reviews.send_back_verdict(
            verdict, reviewer=rita, membership=member(rita), comment="Which count?"
        )
    assert sent_to() == ["bob@example.org"]
    assert "rita sent back your verdict" in mail.outbox[0].body
    assert "Which count?" in mail.outbox[0].body


def test_a_change_that_rolls_back_owes_nobody_an_email(claim, bob, people):
    def comment_then_fail():
        with transaction.atomic():
            mentions.add_comment(claim, author=bob, body="@rita look")
            raise RuntimeError("the change fails after its event")

    with pytest.raises(RuntimeError):
        comment_then_fail()
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_off_digest_and_immediate_are_honoured(
    claim, bob, rita, erin, alice, people, django_capture_on_commit_callbacks
):
    notifications.set_modes(rita, {"sign_off": NotificationMode.OFF})
    notifications.set_modes(erin, {"sign_off": NotificationMode.OFF})
    notifications.set_modes(alice, {"sign_off": NotificationMode.DIGEST})
    with django_capture_on_commit_callbacks(execute=True):
        reviews.propose_verdict(
            claim, proposer=bob, membership=member(bob), rating="false", rationale="Counts."
        )
    assert mail.outbox == []  # Rita turned it off, Alice waits for her digest
    assert not Notification.objects.filter(recipient=rita).exists()
    out = io.StringIO()
    call_command("send_digests", stdout=out)
    assert sent_to() == ["alice@example.org"]
    assert "1 update for you" in mail.outbox[0].subject
    assert "Vessa flood" in mail.outbox[0].body
    assert out.getvalue().strip() == "1 email sent."
    # Idempotent: nothing is sent twice.
    call_command("send_digests", stdout=io.StringIO())
    assert len(mail.outbox) == 1


def test_a_digest_gathers_everything_in_one_email(
    claim, source, bob, erin, rita, people, django_capture_on_commit_callbacks
):
    notifications.set_modes(rita, {kind: NotificationMode.DIGEST for kind in NotificationKind})
    with django_capture_on_commit_callbacks(execute=True):
        mentions.add_comment(claim, author=bob, body="@rita first")
        mentions.add_comment(claim, author=erin, body="@rita second")
        workflow.assign(claim, actor=erin, membership=member(erin), assignee=rita)
    assert mail.outbox == []
    assert notifications.send_digests() == 1
    (message,) = mail.outbox
    assert "3 updates for you" in message.subject
    for words in ("bob mentioned you", "erin mentioned you", "erin assigned you"):
        assert words in message.body


def test_nothing_is_sent_during_the_request_only_by_the_task_after(
    client, claim, bob, people, settings, django_capture_on_commit_callbacks
):
    client.force_login(bob)
    url = reverse("claims:comment-add", args=[claim.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, {"body": "@rita please look"})
    assert response.status_code in (200, 302)
    assert mail.outbox == []  # the response went out without any mail
    (waiting,) = Notification.objects.filter(sent_at__isnull=True)
    for callback in callbacks:
        callback()  # the commit: the task is enqueued (the immediate backend runs it)
    assert sent_to() == ["rita@example.org"]
    waiting.refresh_from_db()
    assert waiting.sent_at is not None


def test_a_notification_is_sent_once_however_often_the_task_runs(claim, bob, people):
    mentions.add_comment(claim, author=bob, body="@rita look")  # on_commit never runs here
    (waiting,) = Notification.objects.all()
    assert notifications.send_one(waiting.pk) is True
    assert notifications.send_one(waiting.pk) is False
    notifications.send_notifications.call([waiting.pk])
    assert notifications.send_digests() == 0
    assert len(mail.outbox) == 1


def test_a_removed_member_gets_nothing(claim, bob, rita, people):
    mentions.add_comment(claim, author=bob, body="@rita look")
    Membership.objects.filter(user=rita).delete()
    (waiting,) = Notification.objects.all()
    assert notifications.send_one(waiting.pk) is False
    waiting.refresh_from_db()
    assert waiting.dropped == "no longer a member of the investigation"
    assert mail.outbox == []


def test_a_refused_mail_is_given_back_and_retried_by_the_digest_run(
    claim, bob, people, monkeypatch
):
    mentions.add_comment(claim, author=bob, body="@rita look")
    (waiting,) = Notification.objects.all()

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    with pytest.raises(ConnectionRefusedError):
        notifications.send_one(waiting.pk)
    waiting.refresh_from_db()
    assert waiting.sent_at is None
    monkeypatch.undo()
    later = waiting.created_at + notifications.RETRY_AFTER * 2
    assert notifications.send_digests(now=later) == 1
    assert sent_to() == ["rita@example.org"]


def test_telling_many_recipients_costs_no_more_queries_than_telling_one(bob, investigation, people):
    def propose_counting(extra):
        reviewers = make_users([f"reviewer{extra}-{n}" for n in range(extra)])
        Membership.objects.bulk_create(
            Membership(investigation=investigation, user=user, role="reviewer")
            for user in reviewers
        )
        claim = make_claim(make_source(investigation), actor=bob)
        with CaptureQueriesContext(connection) as captured:
            reviews.propose_verdict(
                claim, proposer=bob, membership=member(bob), rating="false", rationale="N."
            )
        return len(captured), Notification.objects.filter(claim=claim).count()

    few, told_few = propose_counting(1)
    many, told_many = propose_counting(20)
    assert told_many == told_few + 20
    assert many == few


def test_the_account_page_saves_settings_and_refuses_values_it_never_offers(client, rita, people):
    client.force_login(rita)
    page = client.get(reverse("account")).content.decode()
    assert "Email notifications" in page
    url = reverse("account-notifications")
    every = {kind.value: "digest" for kind in NotificationKind}
    response = client.post(url, {**every, "mention": "sms"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert notifications.modes_for(rita)["mention"] == NotificationMode.IMMEDIATE
    response = client.post(url, {**every, "sent_back": "off"})
    assert response.status_code == 302
    modes = notifications.modes_for(rita)
    assert modes["mention"] == NotificationMode.DIGEST
    assert modes["sent_back"] == NotificationMode.OFF


def test_loading_the_demo_emails_nobody(db):
    call_command("load_demo", stdout=io.StringIO())
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_a_worker_killed_between_claim_and_mail_loses_nothing(claim, bob, people, monkeypatch):
    """At least once: a claimed row whose sender died is sent by a later run, once the claim
    has expired; a sender that is merely slow keeps its row until then."""
    mentions.add_comment(claim, author=bob, body="@rita look")
    (waiting,) = Notification.objects.all()

    class Killed(BaseException):
        """What a SIGKILL looks like from inside: nothing after it runs, no handler."""

    def die(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(notifications, "send_mail", die)
    with pytest.raises(Killed):
        notifications.send_one(waiting.pk)
    monkeypatch.undo()
    waiting.refresh_from_db()
    assert waiting.sent_at is None
    assert waiting.claimed_at is not None
    # Within the claim's life the row is its sender's: nobody sends it twice.
    soon = waiting.claimed_at + notifications.CLAIM_EXPIRES / 2
    assert notifications.send_one(waiting.pk, now=soon) is False
    assert notifications.send_digests(now=soon) == 0
    assert mail.outbox == []
    # After it, the next run sends it, once.
    later = waiting.claimed_at + notifications.CLAIM_EXPIRES * 2
    assert notifications.send_digests(now=later) == 1
    assert notifications.send_digests(now=later) == 0
    assert sent_to() == ["rita@example.org"]
    waiting.refresh_from_db()
    assert waiting.sent_at is not None


def test_a_claim_is_finished_only_by_its_own_sender(claim, bob, people, monkeypatch):
    """A sender whose claim expired and was taken over does not mark the row as sent by it:
    the row is the newer sender's."""
    mentions.add_comment(claim, author=bob, body="@rita look")
    (waiting,) = Notification.objects.all()
    first = notifications._claim(Notification.objects.filter(pk=waiting.pk))
    assert len(first) == 1
    later = timezone.now() + notifications.CLAIM_EXPIRES * 2
    second = notifications._claim(Notification.objects.filter(pk=waiting.pk), now=later)
    assert len(second) == 1
    assert notifications._finish(first) == 0  # the stale claim no longer owns the row
    assert notifications._finish(second) == 1


def test_the_outbox_is_readable_in_the_admin_and_never_writable(admin_client, claim, bob, people):
    mentions.add_comment(claim, author=bob, body="@rita look")
    (waiting,) = Notification.objects.all()
    listing = admin_client.get(reverse("admin:claims_notification_changelist") + "?q=rita")
    assert listing.status_code == 200
    assert [row.pk for row in listing.context["cl"].result_list] == [waiting.pk]
    change = reverse("admin:claims_notification_change", args=[waiting.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"dropped": "edited"}).status_code == 403
    assert admin_client.get(reverse("admin:claims_notification_add")).status_code == 403
    delete = reverse("admin:claims_notification_delete", args=[waiting.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    waiting.refresh_from_db()
    assert waiting.dropped == ""
