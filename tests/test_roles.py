"""The role table as plain data: no database, no request."""

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest

from claims.access import roles
from claims.access.roles import Action, allows, member_allows, roles_allowed
from claims.models import Membership, Role

CLAIMS = Path(roles.__file__).resolve().parents[1]


def test_roles_are_ordered_from_viewer_to_owner():
    assert roles.ORDER == (Role.VIEWER, Role.REVIEWER, Role.EDITOR, Role.OWNER)
    assert set(roles.ORDER) == set(Role)


def test_every_action_has_exactly_one_minimum_role():
    assert set(roles.MINIMUM_ROLE) == set(Action)


@pytest.mark.parametrize("action", list(Action))
def test_a_higher_role_may_do_all_a_lower_one_may(action):
    allowed = [allows(role, action) for role in roles.ORDER]
    assert allowed == sorted(allowed), f"{action}: {allowed}"
    assert allowed[-1], f"not even an owner may {action}"


@pytest.mark.parametrize("action", list(Action))
def test_someone_who_is_not_a_member_may_do_nothing(action):
    assert not allows(None, action)
    assert not member_allows(None, action)


def test_role_values_as_stored_are_accepted():
    assert allows("reviewer", "move_claim")
    assert not allows("viewer", Action.MOVE_CLAIM)


@pytest.mark.parametrize(
    ("action", "lowest"),
    [
        (Action.VIEW, Role.VIEWER),
        (Action.REQUEST_REPORT, Role.VIEWER),
        # Stand-ins of old, now each its own action with its own line in the table.
        (Action.MOVE_CLAIM, Role.REVIEWER),
        (Action.BULK_CHANGE, Role.REVIEWER),
        (Action.TAKE_CLAIM, Role.REVIEWER),
        (Action.START_REVIEW, Role.REVIEWER),
        (Action.DISMISS_SUGGESTION, Role.REVIEWER),
        (Action.ADJUST_SUGGESTION, Role.REVIEWER),
        (Action.EDIT_CITATION, Role.REVIEWER),
        (Action.ARCHIVE_EVIDENCE, Role.REVIEWER),
        (Action.RETRACT_OWN_CITATION, Role.REVIEWER),
        (Action.SEND_BACK_VERDICT, Role.REVIEWER),
        (Action.ADJUST_CLAIM, Role.EDITOR),
        (Action.DISPUTE_CLAIM, Role.EDITOR),
        (Action.RESTORE_CLAIM, Role.EDITOR),
        (Action.RUN_EXTRACTION, Role.EDITOR),
        (Action.IMPORT_SOURCE, Role.EDITOR),
        (Action.ASSIGN, Role.EDITOR),
        (Action.RETRACT_ANY_CITATION, Role.EDITOR),
        (Action.MANAGE_MEMBERS, Role.OWNER),
    ],
)
def test_lowest_role_of_each_action(action, lowest):
    assert roles_allowed(action) == roles.ORDER[roles.ORDER.index(lowest) :]


def test_member_allows_reads_the_membership_role():
    assert member_allows(SimpleNamespace(role=Role.EDITOR), Action.ASSIGN)
    assert not member_allows(SimpleNamespace(role=Role.REVIEWER), Action.ASSIGN)


def test_capabilities_name_every_action():
    can = roles.capabilities(Role.REVIEWER)
    assert set(can) == {action.value for action in Action}
    assert can["take_claim"]
    assert not can["assign"]
    assert not any(roles.capabilities(None).values())


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_roles_module_knows_nothing_of_http():
    imported = set(_imports(CLAIMS / "access" / "roles.py"))
    assert not {name for name in imported if name.startswith(("django.http", "django.shortcuts"))}
    assert "claims.access.permissions" not in imported


DOMAIN = ["review", "sources", "evidence", "reporting", "listing", "corroboration", "devdata"]


@pytest.mark.parametrize("package", DOMAIN)
def test_domain_modules_use_roles_never_the_http_doors(package):
    offenders = [
        path.name
        for path in sorted((CLAIMS / package).glob("*.py"))
        if any(name.startswith("claims.access.permissions") for name in _imports(path))
    ]
    assert not offenders, f"{package}: import claims.access.roles instead in {offenders}"


def test_a_membership_with_its_archived_investigation_allows_reading_only(investigation, alice):
    investigation.archived_at = investigation.created_at
    membership = Membership.objects.get(user=alice)
    membership.investigation = investigation
    assert member_allows(membership, Action.VIEW)
    assert member_allows(membership, Action.ARCHIVE_INVESTIGATION)
    assert not member_allows(membership, Action.PROPOSE_VERDICT)
    assert not member_allows(membership, Action.MANAGE_MEMBERS)
