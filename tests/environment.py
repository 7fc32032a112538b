"""Loaded by pytest as a plugin (pyproject addopts `-p tests.environment`) before Django starts.

Tests run with DEBUG off, as production does; they only need a throwaway secret key.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-deployment-7f3a9c")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
