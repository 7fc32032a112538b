"""The project's settings with one extra URL for the web benchmark (benchmarks/urls.py).

Only benchmarks/web.py uses this module (DJANGO_SETTINGS_MODULE for its gunicorn); the
application itself never serves the extra URL.
"""

from factcheck.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
