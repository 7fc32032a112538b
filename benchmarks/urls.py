"""The project's URLs plus a logged-in bare view, the web benchmark's second baseline.

/healthz skips the session and the user (it is login_not_required), which every page a member
opens pays for. This view pays for them and nothing else: the middleware loads the session,
LoginRequiredMiddleware demands a user, the view reads it and renders no template, so a
page's requests per second can be read against what any logged-in page costs at the least.
"""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from factcheck.urls import handler500  # noqa: F401 (Django reads it from this module)
from factcheck.urls import urlpatterns as project_urlpatterns


@never_cache
@require_GET
def logged_in_bare(request):
    # Touching the user loads it (AuthenticationMiddleware makes it lazy).
    return HttpResponse(f"ok {request.user.pk}\n", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/logged-in/", logged_in_bare, name="bench-logged-in"),
    *project_urlpatterns,
]
