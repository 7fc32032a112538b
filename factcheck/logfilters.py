"""Logging filters: a refused request is logged as one line, not as a crash.

Django logs every PermissionDenied with its traceback (django.request, WARNING). A 403 is the
permission check doing its job, and twenty lines of stack in the development log read like a
failure; this keeps the line Django writes and adds the reason the check gave instead.
"""

import logging

from django.core.exceptions import PermissionDenied


class OneLineForbidden(logging.Filter):
    """Drop the traceback of a 403 caused by PermissionDenied, and append its reason."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if getattr(record, "status_code", None) == 403 and isinstance(error, PermissionDenied):
            reason = str(error)
            if reason:
                # Escaped as Django escapes the path, so no reason can forge a log line.
                record.msg = f"{record.msg} (%s)"
                record.args = (*(record.args or ()), reason.encode("unicode_escape").decode())
            record.exc_info = None
            record.exc_text = None
        return True
