"""The account page: who you are, the investigations you belong to, your password, your
second factor and the email notifications you want."""

from django.contrib import messages
from django.contrib.auth.views import PasswordResetView
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from claims.access import second_factor
from claims.forms import (
    NotificationSettingsForm,
    SecondFactorOffForm,
    ThrottledPasswordResetForm,
)
from claims.models import Membership
from claims.review import notifications


def account_context(user, *, verified, notification_form=None, second_factor_off_form=None):
    """The account page's context; `verified`: whether this session passed the second factor,
    which changing it needs."""
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("investigation")
        .order_by("investigation__title")
    )
    form = notification_form or NotificationSettingsForm(modes=notifications.modes_for(user))
    return {
        "memberships": memberships,
        "notification_form": form,
        "has_second_factor": second_factor.has_second_factor(user),
        "can_change_second_factor": verified,
        "second_factor_off_form": second_factor_off_form or SecondFactorOffForm(),
    }


@require_GET
def account(request):
    context = account_context(request.user, verified=request.user.is_verified())
    return render(request, "claims/account.html", context)


@require_POST
def account_notifications(request):
    form = NotificationSettingsForm(request.POST, modes=notifications.modes_for(request.user))
    if not form.is_valid():
        context = account_context(
            request.user, verified=request.user.is_verified(), notification_form=form
        )
        return render(request, "claims/account.html", context, status=400)
    notifications.set_modes(request.user, form.cleaned_data)
    messages.success(request, "Notification settings saved.")
    return redirect("account")


class ThrottledPasswordResetView(PasswordResetView):
    """Django's password reset request, given the request so that its form can throttle
    per client address (claims/access/throttling.py)."""

    form_class = ThrottledPasswordResetForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
