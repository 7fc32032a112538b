"""The page an invitation link opens: join the investigation, signing up first if need be.

Open to anyone holding the link (the signed token is the permission); what it grants is
decided by access/invites.py.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from claims.access import invites
from claims.forms import SignUpForm


@login_not_required
@require_http_methods(["GET", "POST"])
def invite_accept(request, token):
    """A logged-in user joins with one button; anyone else creates an account here."""
    try:
        invite = invites.read(token)
    except invites.InviteRefused as refused:
        return render(request, "claims/invite.html", {"problem": str(refused)}, status=410)
    form = None
    if not request.user.is_authenticated:
        form = SignUpForm(request.POST or None)
    if request.method == "POST":
        if form is None:
            return _join(request, token, user=request.user)
        if form.is_valid():
            try:
                user, investigation = invites.sign_up_and_accept(
                    token,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"],
                )
            except invites.InviteRefused as refused:
                form.add_error(None, str(refused))
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, f"Welcome! You joined “{investigation.title}”.")
                return redirect(investigation)
    return render(request, "claims/invite.html", {"invite": invite, "form": form})


def _join(request, token, *, user):
    try:
        investigation = invites.accept(token, user=user)
    except invites.InviteRefused as refused:
        return render(request, "claims/invite.html", {"problem": str(refused)}, status=410)
    messages.success(request, f"You joined “{investigation.title}”.")
    return redirect(investigation)
