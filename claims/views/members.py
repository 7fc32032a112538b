"""The members page: who belongs to an investigation; owners add people and set roles."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from claims.access import memberships
from claims.access.permissions import Action, get_investigation_for_user
from claims.forms import MemberForm
from claims.models import Role


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
            return redirect("claims:member-list", slug=investigation.slug)
    members = investigation.memberships.select_related("user").order_by("user__username")
    context = {
        "investigation": investigation,
        "membership": membership,
        "members": members,
        "roles": Role.choices,
        "error": form.first_error(),
        # As typed, spaces and all: the field shows what was sent.
        "form_username": form["username"].value() or "",
    }
    return render(request, "claims/member_list.html", context)
