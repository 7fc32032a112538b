"""Email notifications: who hears of what, and how the mail leaves.

Four events reach people who are not looking at the page: a mention in a comment, a claim
assigned to them, a verdict waiting for their sign-off, their verdict sent back. Each is told
from its audit event (audit.record calls queue_for), so every door that records one — pages,
htmx, the API, bulk changes, the admin, commands — notifies alike, with nothing to forget.

The outbox rows are written in the event's own transaction: a change that rolls back owes
no mail. The task worker sends them after the commit, never the request; a person may
choose, per kind, email at once, a daily digest (`send_digests`, for cron) or nothing.

Sending is at least once, and once in the normal course: a sender claims a row (`claimed_at`
and a token of its own, in a guarded update), mails it, then marks it sent. Two workers, or a
task run twice, never both hold a row, so neither sends it twice. A worker killed between the
claim and the mark leaves the row claimed; after CLAIM_EXPIRES the next `send_digests` takes
it over and sends it, so a crash can repeat one email but never lose one. A mail the server
refuses is given back (claim cleared) and `send_digests` tries it again.
"""

import secrets
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from claims.access.roles import Action, roles_allowed
from claims.models import (
    Membership,
    Notification,
    NotificationKind,
    NotificationMode,
    NotificationSetting,
    Verdict,
)

# Immediate notifications still unsent this long after the event (a worker was down, or the
# mail server refused them) are sent by the next `send_digests` run.
RETRY_AFTER = timedelta(minutes=10)
# How long a sender owns a row it claimed: far longer than a mail takes (EMAIL_TIMEOUT), so
# only a sender that died loses its claim.
CLAIM_EXPIRES = timedelta(minutes=10)
EXCERPT_CHARS = 200


def modes_for(user):
    """{kind: mode} for every kind, the defaults (at once) filled in."""
    chosen = dict(user.notification_settings.values_list("kind", "mode"))
    return {kind: chosen.get(kind, NotificationMode.IMMEDIATE) for kind in NotificationKind}


def set_modes(user, modes):
    """Store `modes` ({kind: mode}) as the user's choices."""
    with transaction.atomic():
        for kind, mode in modes.items():
            NotificationSetting.objects.update_or_create(
                user=user, kind=NotificationKind(kind), defaults={"mode": NotificationMode(mode)}
            )


# --- Who hears of an event -----------------------------------------------------------------


_muted: ContextVar[bool] = ContextVar("notifications_muted", default=False)


@contextmanager
def muted():
    """Within it, events notify nobody: for made-up history such as the demo's."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def queue_for(event):
    """Write the outbox rows `event` (an AuditEvent just saved) owes; send the immediate
    ones once the transaction commits. A handful of queries, however many recipients."""
    if _muted.get():
        return
    kind, people = _recipients(event)
    if kind is None:
        return
    # Who, with their choice for this kind, in one query: the recipients' ids are a subquery.
    chosen = NotificationSetting.objects.filter(user=OuterRef("pk"), kind=kind).values("mode")
    recipients = (
        get_user_model()
        .objects.filter(pk__in=people)
        .exclude(pk=event.actor_id)  # nobody hears of their own action
        .annotate(mode=Subquery(chosen[:1]))
        .values_list("pk", "mode")
    )
    rows = [
        Notification(
            recipient_id=user_id,
            kind=kind,
            digest=mode == NotificationMode.DIGEST,
            investigation_id=event.investigation_id,
            claim_id=event.claim_id,
            actor_name=event.actor_username or "The workbench",
            summary=_summary(event, kind)[:500],
        )
        for user_id, mode in recipients
        if mode != NotificationMode.OFF
    ]
    if not rows:
        return
    created = Notification.objects.bulk_create(rows)
    now = [row.pk for row in created if not row.digest]
    if now:
        transaction.on_commit(lambda: send_notifications.enqueue(now))


def _recipients(event):
    """(kind, a query of the user ids to tell) for an event that notifies; (None, None) else."""
    after = event.after or {}
    if event.action == "comment.add" and after.get("mentions"):
        return NotificationKind.MENTION, _members(event, usernames=after["mentions"])
    if event.action == "claim.assign" and after.get("assignee"):
        return NotificationKind.ASSIGNMENT, _members(event, usernames=[after["assignee"]])
    if event.action == "verdict.propose":
        signers = _members(event, roles=roles_allowed(Action.SIGN_OFF_VERDICT))
        return NotificationKind.SIGN_OFF, signers
    if event.action == "verdict.send_back":
        proposer = Verdict.objects.filter(pk=event.object_id).values("proposed_by_id")
        return NotificationKind.SENT_BACK, proposer
    return None, None


def _members(event, *, usernames=None, roles=None):
    members = Membership.objects.filter(investigation_id=event.investigation_id)
    if usernames is not None:
        members = members.filter(**{f"user__{get_user_model().USERNAME_FIELD}__in": usernames})
    if roles is not None:
        members = members.filter(role__in=roles)
    return members.values("user_id")


def _summary(event, kind):
    who = event.actor_username or "The workbench"
    claim = event.claim.statement or event.claim.quote if event.claim_id else ""
    excerpt = _excerpt(claim)
    if kind == NotificationKind.MENTION:
        return f"{who} mentioned you: “{_excerpt(event.after.get('body', ''))}” on “{excerpt}”"
    if kind == NotificationKind.ASSIGNMENT:
        return f"{who} assigned you the claim “{excerpt}”"
    if kind == NotificationKind.SIGN_OFF:
        rating = event.after.get("rating", "").replace("_", " ")
        return f"{who} proposed the verdict “{rating}” on “{excerpt}”; it needs a second reviewer"
    return (
        f"{who} sent back your verdict on “{excerpt}”: “{_excerpt(event.after.get('comment', ''))}”"
    )


def _excerpt(text):
    text = " ".join(str(text).split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


# --- Sending ------------------------------------------------------------------------------


@task
def send_notifications(notification_ids):
    """The background task: send each of these notifications at once, each at most once."""
    for pk in notification_ids:
        send_one(pk)


def send_one(pk, now=None):
    """Claim notification `pk` and mail it; False when it was not this call's to send."""
    claimed = _claim(Notification.objects.filter(pk=pk), now=now)
    if not claimed:
        return False
    (notification,) = claimed
    if _drop(notification):
        return False
    subject = f"[{notification.investigation.title}] {NotificationKind(notification.kind).label}"
    _mail(notification.recipient, subject[:200], claimed)
    return True


def send_digests(now=None):
    """Send each person one email of their waiting digest notifications, and retry immediate
    ones left unsent or left claimed by a sender that died; returns how many emails went out.
    Safe to run at any time, twice."""
    now = now or timezone.now()
    waiting = _unsent(now).exclude(digest=False, created_at__gt=now - RETRY_AFTER)
    sent = 0
    for recipient_id in waiting.values_list("recipient_id", flat=True).distinct().order_by():
        claimed = _claim(waiting.filter(recipient_id=recipient_id), now=now)
        kept = [row for row in claimed if not _drop(row)]
        if kept:
            count = len(kept)
            subject = f"Factcheck Workbench: {count} update{'s' if count != 1 else ''} for you"
            _mail(kept[0].recipient, subject, kept)
            sent += 1
    return sent


def _unsent(now):
    """Rows owed and free to claim: never sent nor dropped, and unclaimed or claimed by a
    sender that has had CLAIM_EXPIRES to finish."""
    return Notification.objects.filter(sent_at__isnull=True, dropped="").filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_EXPIRES)
    )


def _claim(rows, now=None):
    """The rows of `rows` this caller now owns for sending, each marked with its token."""
    now = now or timezone.now()
    token = secrets.token_hex(16)
    with transaction.atomic():
        ids = list(rows.filter(pk__in=_unsent(now)).values_list("pk", flat=True))
        # Guarded: a row another sender claimed meanwhile no longer matches.
        _unsent(now).filter(pk__in=ids).update(claimed_at=now, claim_token=token)
        return list(
            Notification.objects.filter(pk__in=ids, claim_token=token)
            .select_related("recipient", "investigation", "claim")
            .order_by("investigation__title", "created_at", "pk")
        )


def _finish(claimed):
    """Mark `claimed` sent, those rows still held by this claim's token; how many."""
    if not claimed:
        return 0
    return Notification.objects.filter(
        pk__in=[row.pk for row in claimed], claim_token=claimed[0].claim_token
    ).update(sent_at=timezone.now())


def _give_back(claimed):
    Notification.objects.filter(
        pk__in=[row.pk for row in claimed], claim_token=claimed[0].claim_token
    ).update(claimed_at=None, claim_token="")


def _drop(notification):
    reason = _drop_reason(notification)
    if reason:
        Notification.objects.filter(pk=notification.pk).update(dropped=reason)
    return bool(reason)


def _drop_reason(notification):
    """Why this notification must not go out now, or ""."""
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email:
        return "no active account with an email address"
    if not Membership.objects.filter(
        investigation_id=notification.investigation_id, user=recipient
    ).exists():
        return "no longer a member of the investigation"
    if modes_for(recipient)[notification.kind] == NotificationMode.OFF:
        return "turned off since"
    return ""


def _mail(recipient, subject, notifications):
    base = settings.SITE_URL.rstrip("/")
    by_investigation = defaultdict(list)
    for notification in notifications:
        notification.link = (
            base + notification.claim.get_absolute_url() if notification.claim_id else ""
        )
        by_investigation[notification.investigation].append(notification)
    context = {
        "recipient": recipient,
        "groups": [
            (investigation, base + investigation.get_absolute_url(), rows)
            for investigation, rows in by_investigation.items()
        ],
        "account_url": base + reverse("account"),
    }
    body = render_to_string("claims/email/notifications.txt", context)
    try:
        send_mail(subject, body, None, [recipient.email])
    except Exception:
        # Given back for the next run of send_digests, then raised for the worker's log.
        _give_back(notifications)
        raise
    _finish(notifications)
