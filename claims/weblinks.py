"""What counts as a web link: http or https, nothing else.

Every link the workbench stores is shown as a link, fetched, or both; a page has no business
sending a reader (or the fetcher) anywhere but the web. URLField's own validator also lets
ftp:// through, so forms, models, commands and the fetcher all ask here instead.
"""

from django.core.exceptions import ValidationError

# The schemes allowed, with the port each implies when a link names none.
DEFAULT_PORTS = {"http": 80, "https": 443}
_PREFIXES = tuple(f"{scheme}://" for scheme in DEFAULT_PORTS)
ONLY_WEB_LINKS = "Only http and https links are allowed."


def is_web_link(url):
    """True when `url` starts with http:// or https:// (in any case)."""
    return url.lower().startswith(_PREFIXES)


def validate_web_link(url, message=ONLY_WEB_LINKS):
    """Raise ValidationError(`message`) for a non-empty `url` that is not a web link."""
    if url and not is_web_link(url):
        raise ValidationError(message, code="web_link")
