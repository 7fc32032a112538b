"""The second factor's pages: set up a phone app (with recovery codes) or move it to another
phone, the code step at log-in, new recovery codes, and turning it off."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.http import require_http_methods, require_POST

from claims.access import second_factor, throttling
from claims.forms import NextForm, SecondFactorForm, SecondFactorOffForm, SecondFactorSetupForm
from claims.views.account import account_context


@require_http_methods(["GET", "POST"])
def setup(request):
    """Show the QR code of a new, unconfirmed device; a right first code confirms it and
    shows the recovery codes, once. Replacing a factor takes a session that passed it."""
    template = "claims/second_factor_setup.html"
    verified = request.user.is_verified()
    try:
        device = second_factor.start_setup(
            request.user,
            verified=verified,
            device_id=request.session.get(second_factor.SETUP_DEVICE),
        )
    except second_factor.SecondFactorRefused as refusal:
        return render(request, template, {"refusal": str(refusal)}, status=403)
    request.session[second_factor.SETUP_DEVICE] = device.pk
    form = SecondFactorSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.confirm_setup(
            request.user,
            device,
            form.cleaned_data["code"],
            verified=verified,
            keep_session_key=request.session.session_key,
        )
        if codes is not None:
            # The session that set it up has passed it (and gets a new key).
            del request.session[second_factor.SETUP_DEVICE]
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
    return render(request, template, context)


@require_POST
def recovery_codes(request):
    """New recovery codes (the old ones stop working), for a session that passed the factor."""
    try:
        codes = second_factor.new_recovery_codes(request.user, verified=request.user.is_verified())
    except second_factor.SecondFactorRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("account")
    return render(request, "claims/second_factor_codes.html", {"codes": codes})


@require_POST
def disable(request):
    """Turn the second factor off: from a session that passed it, with the password or a
    current code in the same request. A refusal shows the account page, nothing changed."""
    form = SecondFactorOffForm(request.POST)
    if form.is_valid():
        try:
            second_factor.turn_off(
                request.user,
                form.cleaned_data["proof"],
                verified=request.user.is_verified(),
                address=throttling.client_address(request.META),
                keep_session_key=request.session.session_key,
            )
        except second_factor.SecondFactorRefused as refusal:
            if request.user.is_verified():
                form.add_error("proof", str(refusal))
            else:  # the page shows no form to such a session: the refusal goes above it
                messages.error(request, str(refusal))
        else:
            request.session.cycle_key()
            messages.success(request, "Second factor turned off.")
            return redirect("account")
    context = account_context(
        request.user, verified=request.user.is_verified(), second_factor_off_form=form
    )
    return render(request, "claims/account.html", context)


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
