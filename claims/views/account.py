"""The account page: who you are, the investigations you belong to, and your password."""

from django.contrib.auth.views import PasswordResetView
from django.shortcuts import render
from django.views.decorators.http import require_GET

from claims.forms import ThrottledPasswordResetForm
from claims.models import Membership


@require_GET
def account(request):
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("investigation")
        .order_by("investigation__title")
    )
    return render(request, "claims/account.html", {"memberships": memberships})


class ThrottledPasswordResetView(PasswordResetView):
    """Django's password reset request, given the request so that its form can throttle
    per client address (claims/access/throttling.py)."""

    form_class = ThrottledPasswordResetForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
