"""The account page: who you are, the investigations you belong to, your password and the
email notifications you want."""

from django.contrib import messages
from django.contrib.auth.views import PasswordResetView
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from claims.access import second_factor
from claims.forms import NotificationSettingsForm, ThrottledPasswordResetForm
from claims.models import Membership
from claims.review import notifications


def account_context(user, notification_form=None):
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
    }


@require_GET
def account(request):
    return render(request, "claims/account.html", account_context(request.user))


@require_POST
def account_notifications(request):
    form = NotificationSettingsForm(request.POST, modes=notifications.modes_for(request.user))
    if not form.is_valid():
        context = account_context(request.user, notification_form=form)
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
