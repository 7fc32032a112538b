"""How much free text one field may hold, the same at every door.

The database cannot say: these are TextFields, unbounded in both SQLite and PostgreSQL, and a
length given to a TextField would only reach its form, not the admin's bulk paths, commands or
the investigation import. So the limits live here, and the forms (as max_length), the domain
functions and the models' clean() (which the admin and the import run) all read them.

The numbers leave room for the longest honest text and stop one person from making a page
or a report unusable for everybody (an 11 MB rationale made a 22 MB report page):

- a rationale is what the report prints under each claim: a few paragraphs, at most about
  1,500 words;
- an excerpt is the passage of a page that bears on the claim, not the page (the page itself
  is archived); a note says why it matters;
- a comment is a message to the team; a statement restates one quote; a reason explains one
  status change.
"""

from django.core.exceptions import ValidationError

RATIONALE_MAX_CHARS = 10_000
COMMENT_MAX_CHARS = 10_000
EXCERPT_MAX_CHARS = 5_000
NOTE_MAX_CHARS = 5_000
STATEMENT_MAX_CHARS = 5_000
REASON_MAX_CHARS = 2_000


class TextTooLong(ValidationError):
    """A free-text value is longer than its limit; message_dict names the field."""


def too_long_message(limit, length):
    return f"Keep it to at most {limit:,} characters (this has {length:,})."


def form_error_messages(limit):
    """error_messages for a form field with max_length=limit, saying the same as the domain."""
    # Django fills in %(show_value)d, the length typed; the limit is written in with commas.
    return {"max_length": f"Keep it to at most {limit:,} characters (this has %(show_value)d)."}


def check_lengths(**fields):
    """Raise TextTooLong naming each field whose value is over its limit.

    Each keyword is a field name with a (value, limit) pair; None and "" always pass.
    """
    errors = {
        name: too_long_message(limit, len(value))
        for name, (value, limit) in fields.items()
        if value and len(value) > limit
    }
    if errors:
        raise TextTooLong(errors)
