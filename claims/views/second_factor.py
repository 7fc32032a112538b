"""The second factor's pages: set up a phone app (with recovery codes), the code step at
log-in, new recovery codes, and turning it off."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.http import require_http_methods, require_POST

from claims.access import second_factor
from claims.forms import NextForm, SecondFactorForm, SecondFactorSetupForm


@require_http_methods(["GET", "POST"])
def setup(request):
    """Show the QR code of a new, unconfirmed device; a right first code confirms it and
    shows the recovery codes, once."""
    device = second_factor.start_setup(request.user)
    form = SecondFactorSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.confirm_setup(request.user, device, form.cleaned_data["code"])
        if codes is not None:
            # The session that set it up has passed it.
            second_factor.complete(request, device)
            return render(request, "claims/second_factor_codes.html", {"codes": codes})
        form.add_error(
            "code", "That code is not right. Check the phone's clock, and try the next one."
        )
    context = {
        "form": form,
        "qr_svg": second_factor.setup_qr_svg(device),
        "secret": second_factor.secret_text(device),
        "has_second_factor": second_factor.has_second_factor(request.user),
    }
    return render(request, "claims/second_factor_setup.html", context)


@require_POST
def recovery_codes(request):
    """New recovery codes (the old ones stop working), for a session that passed the factor."""
    if not request.user.is_verified():
        messages.error(request, "Log in with your second factor first.")
        return redirect("account")
    codes = second_factor.new_recovery_codes(request.user)
    return render(request, "claims/second_factor_codes.html", {"codes": codes})


@require_POST
def disable(request):
    """Turn the second factor off: only from a session that passed it."""
    if not request.user.is_verified():
        messages.error(request, "Log in with your second factor first.")
        return redirect("account")
    second_factor.disable(request.user)
    messages.success(request, "Second factor turned off.")
    return redirect("account")


@require_http_methods(["GET", "POST"])
def verify(request):
    """The log-in's second step: a code from the phone app or a recovery code."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    target = NextForm(request.POST if request.method == "POST" else request.GET, request=request)
    following = target.cleaned_data.get("next", "") if target.is_valid() else ""
    if not second_factor.is_pending(request):
        return redirect(following or resolve_url("claims:investigation-list"))
    form = SecondFactorForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        second_factor.complete(request, form.device)
        return redirect(following or resolve_url("claims:investigation-list"))
    return render(request, "claims/second_factor_verify.html", {"form": form, "next": following})


@require_POST
def cancel(request):
    """Give up at the code step: log out."""
    logout(request)
    return redirect("login")
