"""The API's role table, checked for every route of claims/api/urls.py.

Adding a route without an expectation here fails `test_every_api_route_has_an_expectation`.
The doors are the pages' (claims/access/permissions.py): outsiders 404, a role too low 403.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from claims.access import roles, tokens
from claims.access.roles import Action
from claims.api.urls import urlpatterns
from claims.models import Membership, Role
from claims.review import reviews
from tests.factories import make_claim, make_investigation, make_source, make_user

ROLES = ["viewer", "reviewer", "editor", "owner"]

# route name -> (method, object it addresses, the action its door asks for)
EXPECTATIONS = {
    "investigation-list": ("GET", None, None),
    "investigation-detail": ("GET", "investigation", Action.VIEW),
    "member-list": ("GET", "investigation", Action.MANAGE_MEMBERS),
    "source-list": ("GET", "investigation", Action.VIEW),
    "source-detail": ("GET", "source", Action.VIEW),
    "claim-list": ("GET", "investigation", Action.VIEW),
    "claim-detail": ("GET", "claim", Action.VIEW),
    "quantity-list": ("GET", "claim", Action.VIEW),
    "citation-list": ("GET", "claim", Action.VIEW),
    "verdict-list": ("GET", "claim", Action.VIEW),
    "comment-list": ("GET", "claim", Action.VIEW),
    "evidence-list": ("GET", "investigation", Action.VIEW),
    "verdict-detail": ("GET", "verdict", Action.VIEW),
    "verdict-sign-off": ("POST", "verdict", Action.SIGN_OFF_VERDICT),
    "verdict-send-back": ("POST", "verdict", Action.SEND_BACK_VERDICT),
    "report-download": ("GET", "investigation", Action.VIEW),
}
# The same routes' writes (POST beside a GET).
WRITES = {
    "source-list": Action.ADD_SOURCE,
    "claim-list": Action.ADD_CLAIM,
    "citation-list": Action.ADD_EVIDENCE,
    "verdict-list": Action.PROPOSE_VERDICT,
    "comment-list": Action.COMMENT,
}
# Open to anyone: they describe the API and hold no data.
PUBLIC = {"schema", "docs"}
EXTRA_ARGS = {"report-download": ["csv"]}


def test_every_api_route_has_an_expectation():
    assert {pattern.name for pattern in urlpatterns} == set(EXPECTATIONS) | PUBLIC


def _cases():
    for name, (method, target, action) in EXPECTATIONS.items():
        yield name, method, target, action
    for name, action in WRITES.items():
        yield name, "POST", EXPECTATIONS[name][1], action


CASES = sorted(_cases(), key=lambda case: (case[0], case[1]))
IDS = [f"{method} {name}" for name, method, _, _ in CASES]


@pytest.fixture
def world(db, settings):
    settings.API_THROTTLE_RATE = "100000/minute"
    users = {role: make_user(role) for role in ROLES}
    proposer, outsider = make_user("proposer"), make_user("outsider")
    investigation = make_investigation(
        members=[(users[role], role) for role in ROLES] + [(proposer, "reviewer")]
    )
    source = make_source(investigation)
    claim = make_claim(source)
    verdict = reviews.propose_verdict(
        claim,
        proposer=proposer,
        membership=Membership.objects.get(user=proposer),
        rating="true",
        rationale="Because.",
    )
    objects = {"investigation": investigation, "source": source, "claim": claim, "verdict": verdict}
    return users, outsider, objects


def _url(name, target, objects):
    if target is None:
        return reverse(f"api:{name}")
    slug = objects["investigation"].slug
    args = [slug] if target == "investigation" else [slug, objects[target].pk]
    return reverse(f"api:{name}", args=[*args, *EXTRA_ARGS.get(name, [])])


def _call(method, url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if method == "GET":
        return Client().get(url, headers=headers)
    return Client().post(url, json.dumps({}), content_type="application/json", headers=headers)


def _token(user, read_only=False):
    return tokens.create_token(user, name="matrix", is_read_only=read_only)[1]


@pytest.mark.parametrize(("name", "method", "target", "action"), CASES, ids=IDS)
def test_without_a_token_every_route_is_401(world, name, method, target, action):
    assert _call(method, _url(name, target, world[2])).status_code == 401


@pytest.mark.parametrize(
    ("name", "method", "target", "action"),
    [c for c in CASES if c[2]],
    ids=[i for c, i in zip(CASES, IDS, strict=True) if c[2]],
)
def test_outsiders_get_404(world, name, method, target, action):
    assert _call(method, _url(name, target, world[2]), _token(world[1])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "target", "action"), CASES, ids=IDS)
def test_role_table(world, name, method, target, action, role):
    users, _, objects = world
    status = _call(method, _url(name, target, objects), _token(users[role])).status_code
    if action is None or roles.allows(role, action):
        # Past the door: an empty body is then invalid input (400) or refused by the domain
        # (409), never a refusal of the person.
        assert status in (200, 201, 400, 409), f"{role} should pass {method} {name}: {status}"
    else:
        assert status == 403, f"{role} should be refused {method} {name}, got {status}"


@pytest.mark.parametrize(
    ("name", "method", "target", "action"),
    [c for c in CASES if c[3]],
    ids=[i for c, i in zip(CASES, IDS, strict=True) if c[3]],
)
def test_each_route_asks_for_its_own_action(world, monkeypatch, name, method, target, action):
    """Raised to owners only, the route's action refuses an editor."""
    users, _, objects = world
    monkeypatch.setitem(roles.MINIMUM_ROLE, action, Role.OWNER)
    url = _url(name, target, objects)
    assert _call(method, url, _token(users["editor"])).status_code == 403
    assert _call(method, url, _token(users["owner"])).status_code in (200, 201, 400, 409)


@pytest.mark.parametrize(
    ("name", "method", "target", "action"),
    [c for c in CASES if c[1] == "POST"],
    ids=[i for c, i in zip(CASES, IDS, strict=True) if c[1] == "POST"],
)
def test_a_read_only_token_cannot_write_anywhere(world, name, method, target, action):
    response = _call(method, _url(name, target, world[2]), _token(world[0]["owner"], True))
    assert response.status_code == 403
    assert response.json()["detail"] == "This token is read-only."


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_schema_and_docs_are_public(db, name):
    assert Client().get(reverse(f"api:{name}")).status_code == 200


def test_the_api_takes_no_method_it_does_not_name(world):
    users, _, objects = world
    url = _url("claim-detail", "claim", objects)
    response = Client().delete(url, headers={"Authorization": f"Bearer {_token(users['owner'])}"})
    assert response.status_code == 405
