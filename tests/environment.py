"""Loaded by pytest as a plugin (pyproject addopts `-p tests.environment`) before Django starts.

Tests run with DEBUG off, as production does; they only need a throwaway secret key.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-deployment-7f3a9c")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

# Kept pages go to a cache directory of this run's own (the settings' default is files under
# var/cache): two runs at once, on SQLite and PostgreSQL, must not share one.
if not os.environ.get("CACHE_DIR"):
    os.environ["CACHE_DIR"] = tempfile.mkdtemp(prefix="factcheck-test-cache-")
    atexit.register(shutil.rmtree, os.environ["CACHE_DIR"], ignore_errors=True)
