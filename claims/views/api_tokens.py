"""The API tokens page: make a personal token (shown once), see yours, revoke one."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from claims.access import tokens
from claims.forms import ApiTokenForm, ApiTokenRevokeForm


def _tokens_context(user, form, new_token=None, new_row=None):
    return {
        "form": form,
        "tokens": tokens.tokens_of(user),
        "new_token": new_token,
        "new_row": new_row,
    }


@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """List the user's tokens; a valid POST makes one and shows it this once.

    The new token is rendered in the answer to the POST, not kept for a redirect: storing it
    in the session to show it after a redirect would keep it somewhere beside its hash.
    """
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row, token = tokens.create_token(
                request.user,
                name=form.cleaned_data["name"],
                is_read_only=form.cleaned_data["is_read_only"],
                with_second_factor=request.user.is_verified(),
            )
        except tokens.TokenRefused as refused:
            form.add_error("name", str(refused))
        else:
            context = _tokens_context(request.user, ApiTokenForm(), token, row)
            response = render(request, "claims/api_tokens.html", context)
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "claims/api_tokens.html", _tokens_context(request.user, form))


@require_POST
def api_token_revoke(request):
    form = ApiTokenRevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a token to revoke.")
        return redirect("claims:api-tokens")
    row = tokens.revoke_token(request.user, form.cleaned_data["token"])
    if row is None:
        raise Http404("No such token.")
    messages.success(request, f"Token “{row.name}” revoked: it no longer opens the API.")
    return redirect("claims:api-tokens")
