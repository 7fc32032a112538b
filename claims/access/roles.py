"""The role policy: which role may take which action, as data and pure functions.

Nothing here reads a request or the database. Views reach the policy through permissions.py
(the doors from a URL id to an object); domain modules (workflow, reviews, marking, citations,
queues) import this module directly, never permissions.py.

Each action names one thing a view or a command does, even where two map to the same role:
the table then says, line by line, who may do what, and changing one rule changes one line.
"""

from enum import StrEnum

from claims.models import Membership, Role

# Lowest first: a role may take every action the roles before it may.
ORDER = (Role.VIEWER, Role.REVIEWER, Role.EDITOR, Role.OWNER)
_RANK = {role: rank for rank, role in enumerate(ORDER)}


class Action(StrEnum):
    # Reading, and what any member may ask for.
    VIEW = "view"
    COMPARE_NUMBERS = "compare_numbers"
    REQUEST_REPORT = "request_report"
    # Sources.
    ADD_SOURCE = "add_source"
    IMPORT_SOURCE = "import_source"
    RUN_EXTRACTION = "run_extraction"
    PAIR_TRANSLATION = "pair_translation"
    SET_LANGUAGE = "set_language"
    # A claim's words and numbers.
    ADD_CLAIM = "add_claim"
    EDIT_CLAIM = "edit_claim"
    ADJUST_SUGGESTION = "adjust_suggestion"
    ADJUST_CLAIM = "adjust_claim"
    LINK_TRANSLATION = "link_translation"
    SET_MEASURE = "set_measure"
    # Moving a claim: the move form's door, then one action per move.
    MOVE_CLAIM = "move_claim"
    ACCEPT_SUGGESTION = "accept_suggestion"
    DISMISS_SUGGESTION = "dismiss_suggestion"
    START_REVIEW = "start_review"
    DISPUTE_CLAIM = "dispute_claim"
    DISMISS_CLAIM = "dismiss_claim"
    RESTORE_CLAIM = "restore_claim"
    REOPEN_CLAIM = "reopen_claim"
    BULK_CHANGE = "bulk_change"
    # Triage.
    TAKE_CLAIM = "take_claim"
    ASSIGN = "assign"
    SET_PRIORITY = "set_priority"
    TAG_CLAIM = "tag_claim"
    COMMENT = "comment"
    # Evidence.
    ADD_EVIDENCE = "add_evidence"
    ARCHIVE_EVIDENCE = "archive_evidence"
    EDIT_CITATION = "edit_citation"
    RETRACT_OWN_CITATION = "retract_own_citation"
    RETRACT_ANY_CITATION = "retract_any_citation"
    RATE_PUBLISHER = "rate_publisher"
    # Similar claims across sources: confirm or reject a suggested link, cite a match.
    DECIDE_LINK = "decide_link"
    CITE_TESTIMONY = "cite_testimony"
    # Verdicts (the four-eyes rule on top of these is reviews.py's).
    PROPOSE_VERDICT = "propose_verdict"
    SIGN_OFF_VERDICT = "sign_off_verdict"
    SEND_BACK_VERDICT = "send_back_verdict"
    # The investigation itself.
    EDIT_INVESTIGATION = "edit_investigation"
    ARCHIVE_INVESTIGATION = "archive_investigation"
    REQUIRE_SECOND_FACTOR = "require_second_factor"
    DELETE_INVESTIGATION = "delete_investigation"
    MANAGE_MEMBERS = "manage_members"
    INVITE_MEMBER = "invite_member"
    LEAVE_INVESTIGATION = "leave_investigation"


# The lowest role that may take each action.
MINIMUM_ROLE = {
    Action.VIEW: Role.VIEWER,
    # Lining figures up across sources only reads what every member may already read.
    Action.COMPARE_NUMBERS: Role.VIEWER,
    # Anyone who may read the report may have a file of it made.
    Action.REQUEST_REPORT: Role.VIEWER,
    Action.ADD_SOURCE: Role.EDITOR,
    Action.IMPORT_SOURCE: Role.EDITOR,
    Action.RUN_EXTRACTION: Role.EDITOR,
    # Saying one source translates another is describing the sources, like adding them.
    Action.PAIR_TRANSLATION: Role.EDITOR,
    # The language picks the extraction rules, so whoever may re-run extraction may set it.
    Action.SET_LANGUAGE: Role.EDITOR,
    Action.ADD_CLAIM: Role.REVIEWER,
    Action.EDIT_CLAIM: Role.EDITOR,
    # A suggestion is still the reviewer's to shape; an accepted claim is an editor's.
    Action.ADJUST_SUGGESTION: Role.REVIEWER,
    Action.ADJUST_CLAIM: Role.EDITOR,
    # Marking a claim's words in the translation beside it is marking a claim.
    Action.LINK_TRANSLATION: Role.REVIEWER,
    # Saying what a number counts is part of reading the claim, like tagging.
    Action.SET_MEASURE: Role.REVIEWER,
    # The move form is open to reviewers; each move then checks its own action.
    Action.MOVE_CLAIM: Role.REVIEWER,
    Action.ACCEPT_SUGGESTION: Role.REVIEWER,
    Action.DISMISS_SUGGESTION: Role.REVIEWER,
    Action.START_REVIEW: Role.REVIEWER,
    Action.DISPUTE_CLAIM: Role.EDITOR,
    Action.DISMISS_CLAIM: Role.EDITOR,
    Action.RESTORE_CLAIM: Role.EDITOR,
    Action.REOPEN_CLAIM: Role.EDITOR,
    # The bulk form is open to reviewers; each claim's change checks its own action.
    Action.BULK_CHANGE: Role.REVIEWER,
    # Taking a claim yourself (or giving back your own) is a reviewer's; assigning others,
    # an editor's. Whoever may take a claim may also be given one.
    Action.TAKE_CLAIM: Role.REVIEWER,
    Action.ASSIGN: Role.EDITOR,
    # Tagging is note-taking while reviewing; priority is triage, an editor's call.
    Action.SET_PRIORITY: Role.EDITOR,
    Action.TAG_CLAIM: Role.REVIEWER,
    Action.COMMENT: Role.REVIEWER,
    Action.ADD_EVIDENCE: Role.REVIEWER,
    Action.ARCHIVE_EVIDENCE: Role.REVIEWER,
    Action.EDIT_CITATION: Role.REVIEWER,
    # Anyone who cites may take their own citation back; anyone's, an editor.
    Action.RETRACT_OWN_CITATION: Role.REVIEWER,
    Action.RETRACT_ANY_CITATION: Role.EDITOR,
    Action.RATE_PUBLISHER: Role.EDITOR,
    # Saying two claims are the same (or opposite) is reading them, a reviewer's work; citing
    # one as evidence is adding evidence.
    Action.DECIDE_LINK: Role.REVIEWER,
    Action.CITE_TESTIMONY: Role.REVIEWER,
    Action.PROPOSE_VERDICT: Role.REVIEWER,
    Action.SIGN_OFF_VERDICT: Role.REVIEWER,
    Action.SEND_BACK_VERDICT: Role.REVIEWER,
    # Title and description are the editors' to keep right, like the claims' wording.
    Action.EDIT_INVESTIGATION: Role.EDITOR,
    Action.ARCHIVE_INVESTIGATION: Role.OWNER,
    Action.REQUIRE_SECOND_FACTOR: Role.OWNER,
    Action.DELETE_INVESTIGATION: Role.OWNER,
    Action.MANAGE_MEMBERS: Role.OWNER,
    Action.INVITE_MEMBER: Role.OWNER,
    # Anyone may leave (memberships.py keeps the last owner from leaving).
    Action.LEAVE_INVESTIGATION: Role.VIEWER,
}

# What stays open while an investigation is archived: reading it, and the owner's way back
# (restoring it) or out (deleting it). Every other action is a write and is refused.
OPEN_WHILE_ARCHIVED = frozenset(
    {
        Action.VIEW,
        Action.COMPARE_NUMBERS,
        # A report file only reads the investigation; its row is not investigation data.
        Action.REQUEST_REPORT,
        Action.ARCHIVE_INVESTIGATION,
        Action.DELETE_INVESTIGATION,
    }
)


def at_least(role, minimum):
    """True when `role` ranks at or above `minimum`; None (not a member) ranks below all."""
    return role is not None and _RANK[Role(role)] >= _RANK[Role(minimum)]


def allows(role, action, *, archived=False):
    """True when a member with `role` may take `action`; None (not a member) may take none.

    With `archived`, only the actions OPEN_WHILE_ARCHIVED are allowed, to any role.
    """
    if archived and Action(action) not in OPEN_WHILE_ARCHIVED:
        return False
    return at_least(role, MINIMUM_ROLE[Action(action)])


def refused_as_archived(action, *, archived):
    """True when `action` is refused only because the investigation is archived."""
    return archived and Action(action) not in OPEN_WHILE_ARCHIVED


def member_allows(membership, action):
    """allows() for a Membership row, or None for someone who is not a member.

    Refuses writes in an archived investigation when the row comes with its investigation
    loaded, as every door in permissions.py hands it out, so that the buttons a page offers
    follow the archive too. (The policy reads no database: a row without its investigation
    is judged by role alone, and audit.record refuses the write itself.)
    """
    if membership is None:
        return False
    archived = (
        isinstance(membership, Membership)
        and Membership.investigation.is_cached(membership)
        and membership.investigation.is_archived
    )
    return allows(membership.role, action, archived=archived)


def roles_allowed(action):
    """The roles that may take `action`, lowest first: for filtering memberships in a query."""
    return tuple(role for role in ORDER if allows(role, action))


def capabilities(role, *, archived=False):
    """{action name: bool} for one role, so templates show only what the views will accept."""
    return {action.value: allows(role, action, archived=archived) for action in Action}
