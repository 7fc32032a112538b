"""Root URL map: login, the admin, health checks, the site icon, the API and the claims app."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from claims.forms import ThrottledAuthenticationForm
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
    path("admin/", admin.site.urls),
    # Outside claims.urls on purpose: a public, session-free probe, not a page of the app.
    path("healthz", project_views.healthz, name="healthz"),
    # Browsers fetch this address unasked; a 404 there fills the console and the log.
    path("favicon.ico", project_views.favicon, name="favicon"),
    # The REST API: personal tokens, no session (claims/api/).
    path("api/v1/", include("claims.api.urls")),
    path("", include("claims.urls")),
]
