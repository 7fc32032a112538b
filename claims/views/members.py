"""The members page: who belongs to an investigation; owners add people, invite them by
email, change roles and remove members; any member may leave."""

import logging
import smtplib

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from claims.access import invites, memberships
from claims.access.permissions import (
    Action,
    capabilities,
    get_investigation_for_user,
    get_invite_for_user,
)
from claims.forms import InviteForm, MemberForm
from claims.models import Role

logger = logging.getLogger(__name__)


def members_context(investigation, membership, *, form=None, invite_form=None):
    form = form or MemberForm()
    return {
        "investigation": investigation,
        "membership": membership,
        "can": capabilities(membership),
        "members": investigation.memberships.select_related("user").order_by("user__username"),
        "invites": invites.pending(investigation).select_related("invited_by"),
        "roles": Role.choices,
        "error": form.first_error(),
        # As typed, spaces and all: the field shows what was sent.
        "form_username": form["username"].value() or "",
        "invite_form": invite_form or InviteForm(prefix="invite"),
        "invite_days": settings.INVITE_MAX_AGE_DAYS,
    }


@require_http_methods(["GET", "POST"])
def member_list(request, slug):
    """Owners add people by username and change or remove their roles."""
    investigation, membership = get_investigation_for_user(
        request.user, slug, Action.MANAGE_MEMBERS
    )
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.cleaned_data["user"]
        try:
            memberships.set_role(
                investigation, actor=request.user, user=user, role=form.cleaned_data["role"]
            )
        except memberships.MembershipRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Membership of {user.get_username()} updated.")
            if user == request.user and form.cleaned_data["role"] != Role.OWNER:
                # No longer an owner: this page is closed to them now.
                return redirect(investigation)
            return redirect("claims:member-list", slug=investigation.slug)
    context = members_context(investigation, membership, form=form)
    return render(request, "claims/member_list.html", context)


@require_POST
def invite_create(request, slug):
    """Owners invite an email address with a role; the link goes out by email."""
    investigation, membership = get_investigation_for_user(request.user, slug, Action.INVITE_MEMBER)
    form = InviteForm(request.POST, prefix="invite")
    if form.is_valid():
        try:
            invite, token = invites.create(
                investigation,
                actor=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except invites.InviteRefused as refused:
            form.add_error(None, str(refused))
        else:
            link = request.build_absolute_uri(reverse("claims:invite-accept", args=[token]))
            try:
                invites.send(invite, link)
            except (OSError, smtplib.SMTPException):
                logger.exception("Sending the invitation %s failed", invite.pk)
                messages.error(
                    request,
                    f"The invitation to {invite.email} is saved but the email could not be "
                    "sent. Withdraw it and try again later.",
                )
            else:
                messages.success(request, f"Invitation sent to {invite.email}.")
            return redirect("claims:member-list", slug=investigation.slug)
    context = members_context(investigation, membership, invite_form=form)
    return render(request, "claims/member_list.html", context)


@require_POST
def invite_revoke(request, invite_id):
    """Owners withdraw an invitation that has not been used."""
    invite, _ = get_invite_for_user(request.user, invite_id, Action.INVITE_MEMBER)
    try:
        invites.revoke(invite, actor=request.user)
    except invites.InviteRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Invitation to {invite.email} withdrawn.")
    return redirect("claims:member-list", slug=invite.investigation.slug)


@require_POST
def member_leave(request, slug):
    """A member leaves the investigation (the last owner cannot)."""
    investigation, _ = get_investigation_for_user(request.user, slug, Action.LEAVE_INVESTIGATION)
    try:
        memberships.leave(investigation, user=request.user)
    except memberships.MembershipRefused as refused:
        messages.error(request, str(refused))
        return redirect(investigation)
    messages.success(request, f"You left “{investigation.title}”.")
    return redirect("claims:investigation-list")
