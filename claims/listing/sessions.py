"""Django's database sessions, read in the same query as the data version.

A kept page (page_cache.py) needs the data version read before anything it shows, and that
read cost every cached page a query of its own. The session is loaded first on every logged-in
request, before the user and the page's rows, and is itself shown on no page: reading the
counter in the same statement keeps the order the data version's argument needs and saves the
query. page_cache.ticket() takes the version from here when it may (see there).
"""

from django.contrib.sessions.backends import db
from django.utils import timezone

from claims.listing import data_version


class SessionStore(db.SessionStore):
    """Database sessions; `loaded_version` is (version, keep) as read with the session, or
    None until the session is loaded (or when it was loaded by the async path, which keeps
    Django's own query)."""

    loaded_version: tuple[str, bool] | None = None

    def load(self):
        if self.session_key is None:
            return {}
        self.loaded_version, session_data = data_version.for_keeping_with_session(
            self.session_key, timezone.now()
        )
        if session_data is None:  # unknown or expired: a new session, as Django's store does
            self._session_key = None
            return {}
        return self.decode(session_data)  # corrupt data decodes to an empty session
