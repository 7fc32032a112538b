"""Comments that mention members: `@username` finds its way into that member's queue.

Only members of the claim's investigation can be mentioned; any other `@word` (an e-mail
address, a handle on another site, a user of another investigation) stays plain text, so a
comment never tells anyone outside the investigation that it exists.
"""

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from claims import limits, rows
from claims.models import Comment
from claims.review import audit

# Django usernames are letters, digits and @ . + - _; the mark must not follow a word
# character, so "ana@example.org" is not a mention of "example.org".
CANDIDATE = re.compile(r"(?<![\w.+@-])@([\w.@+-]+)")
TRAILING = ".@+-"


@dataclass(frozen=True)
class Part:
    text: str
    username: str = ""  # set when the part is a mention of this member


def find_mentions(body, usernames):
    """Return the spans of `body` that mention one of `usernames`: [(start, end, username)].

    Matching ignores case; punctuation that ends a sentence ("@rita.") is not part of the name.
    """
    by_lower = {name.lower(): name for name in usernames}
    found = []
    for match in CANDIDATE.finditer(body):
        name = match.group(1)
        while name and name.lower() not in by_lower and name[-1] in TRAILING:
            name = name[:-1]
        if name.lower() in by_lower:
            start = match.start()
            found.append((start, start + 1 + len(name), by_lower[name.lower()]))
    return found


def split_mentions(body, usernames):
    """Cut `body` into Parts, mentions apart, for a template to escape and emphasise."""
    parts, position = [], 0
    for start, end, username in find_mentions(body, usernames):
        if start > position:
            parts.append(Part(body[position:start]))
        parts.append(Part(body[start:end], username))
        position = end
    if position < len(body):
        parts.append(Part(body[position:]))
    return parts


def add_comment(claim, *, author, body):
    """Store a comment on `claim` with the members it mentions; return the Comment.

    Raises limits.TextTooLong for a body over the limit.
    """
    limits.check_lengths(body=(body, limits.COMMENT_MAX_CHARS))
    members = get_user_model().objects.filter(memberships__investigation=claim.investigation_id)
    by_name = {user.get_username(): user for user in members}
    mentioned = {
        username: by_name[username]
        for _, _, username in find_mentions(body, by_name)
        if by_name[username] != author
    }
    with transaction.atomic():
        comment = Comment.objects.create(claim=claim, author=author, body=body)
        if mentioned:
            # add(), not set(): the comment is new, so there is nothing to compare with.
            comment.mentions.add(*mentioned.values())
        audit.record(
            author,
            "comment.add",
            comment,
            investigation=claim.investigation,
            claim=claim,
            after={"body": body, **({"mentions": sorted(mentioned)} if mentioned else {})},
        )
    return comment


_USER = get_user_model()
_COMMENT = rows.Columns(Comment, "comment")
_AUTHOR = rows.Columns(_USER, "author", [_USER.USERNAME_FIELD])
# Only table and column names from _meta are formatted in; values go as parameters.
_COMMENTS_SQL = f"""
SELECT {_COMMENT.sql}, {_AUTHOR.sql}
FROM {_COMMENT.table} comment
LEFT JOIN {_AUTHOR.table} author ON author.id = comment.author_id
WHERE comment.claim_id = %s
ORDER BY comment.created_at, comment.id
"""  # noqa: S608


def load_comments(claim, usernames):
    """The claim's comments, oldest first, with their authors' names and each body split into
    `parts` with the mentions of `usernames` marked. Hand-written SQL (claims/rows.py), as
    the claim page reads it on every load."""
    comments = []
    for row in rows.fetch(_COMMENTS_SQL, [claim.pk]):
        comment = _COMMENT.build(row)
        rows.cache_related(comment, "author", _AUTHOR.build(row, _COMMENT.width))
        rows.cache_related(comment, "claim", claim)
        comment.parts = split_mentions(comment.body, usernames)
        comments.append(comment)
    return comments
