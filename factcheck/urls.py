"""Root URL map: login, the admin, health checks, the site icon, the API and the claims app."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from claims.forms import ThrottledAuthenticationForm
from claims.views import account, second_factor
from factcheck import views as project_views

# A database outage answers 503 with Retry-After instead of a bare 500 (factcheck/views.py).
handler500 = project_views.server_error

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=ThrottledAuthenticationForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", account.account, name="account"),
    path("account/second-factor/", second_factor.setup, name="second-factor-setup"),
    path(
        "account/second-factor/recovery-codes/",
        second_factor.recovery_codes,
        name="second-factor-recovery-codes",
    ),
    path("account/second-factor/off/", second_factor.disable, name="second-factor-disable"),
    path("accounts/second-factor/", second_factor.verify, name="second-factor-verify"),
    path("accounts/second-factor/cancel/", second_factor.cancel, name="second-factor-cancel"),
    path("account/notifications/", account.account_notifications, name="account-notifications"),
    # Django's own password views, with templates under templates/registration/.
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password-reset/",
        account.ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    # Outside claims.urls on purpose: a public, session-free probe, not a page of the app.
    path("healthz", project_views.healthz, name="healthz"),
    # Browsers fetch this address unasked; a 404 there fills the console and the log.
    path("favicon.ico", project_views.favicon, name="favicon"),
    # The REST API: personal tokens, no session (claims/api/).
    path("api/v1/", include("claims.api.urls")),
    path("", include("claims.urls")),
]
