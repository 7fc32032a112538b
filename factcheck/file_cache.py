"""The default cache (settings CACHE=files): Django's file cache, where a failing disk costs a
miss instead of the page.

Kept pages and counts are a shortcut, never the only copy of anything. A full disk, a file
cut short by a crash outside the write-then-rename Django does, or one damaged on disk must
not turn a claim page into a server error: reading such an entry is a miss, failing to keep
one is logged once per failure and the page is served as drawn.
"""

import contextlib
import logging
import pickle
import zlib

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

logger = logging.getLogger(__name__)

# What reading or writing a damaged entry, or a disk that refuses, can raise.
_DISK_TROUBLE = (OSError, EOFError, zlib.error, pickle.UnpicklingError, ValueError)


class FileCache(FileBasedCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except _DISK_TROUBLE as error:
            logger.warning("cache entry not read, drawn afresh: %r", error)
            self._forget(key, version)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except _DISK_TROUBLE as error:
            logger.warning("cache entry not kept: %r", error)

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except _DISK_TROUBLE:
            self._forget(key, version)
            return False

    def clear(self):
        try:
            super().clear()
        except OSError as error:
            logger.warning("cache not emptied: %r", error)

    def _forget(self, key, version):
        with contextlib.suppress(OSError):
            self.delete(key, version)
