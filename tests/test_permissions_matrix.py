"""The role table, checked for every URL pattern of the app.

Adding a view without an expectation here fails `test_every_url_has_an_expectation`.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.access import investigations, invites, roles
from claims.access.roles import Action, member_allows
from claims.evidence import citations, files
from claims.models import Claim, ClaimLink, Membership, Role
from claims.review import reviews
from claims.review.workflow import TRANSITIONS
from claims.urls import urlpatterns
from tests.factories import (
    make_claim,
    make_investigation,
    make_report_file,
    make_snapshot,
    make_source,
    make_user,
)
from tests.test_evidence_files import png_bytes

ROLES = ["viewer", "reviewer", "editor", "owner"]

# url name -> (method, object the URL points at, lowest role allowed)
EXPECTATIONS = {
    "investigation-list": ("GET", None, "viewer"),
    "queue": ("GET", None, "viewer"),
    "investigation-detail": ("GET", "investigation", "viewer"),
    "member-list": ("GET", "investigation", "owner"),
    "source-create": ("GET", "investigation", "editor"),
    "claim-list": ("GET", "investigation", "viewer"),
    "report": ("GET", "investigation", "viewer"),
    "report-json": ("GET", "investigation", "viewer"),
    "report-download": ("GET", "investigation", "viewer"),
    "report-file-create": ("POST", "investigation", "viewer"),
    "report-file-detail": ("GET", "report_file", "viewer"),
    "report-file-download": ("GET", "report_file", "viewer"),
    "report-file-retry": ("POST", "report_file", "viewer"),
    "source-detail": ("GET", "source", "viewer"),
    "source-original": ("GET", "source", "viewer"),
    "claim-mark": ("POST", "source", "reviewer"),
    "claim-detail": ("GET", "claim", "viewer"),
    "claim-edit": ("POST", "claim", "editor"),
    "claim-transition": ("POST", "claim", "reviewer"),
    "evidence-add": ("POST", "claim", "reviewer"),
    "verdict-propose": ("POST", "claim", "reviewer"),
    "comment-add": ("POST", "claim", "reviewer"),
    "verdict-sign-off": ("POST", "verdict", "reviewer"),
    "verdict-send-back": ("POST", "verdict", "reviewer"),
    "source-extract": ("POST", "source", "editor"),
    "source-language": ("POST", "source", "editor"),
    "source-extraction-status": ("GET", "source", "viewer"),
    "claim-respan": ("POST", "claim", "reviewer"),
    "quantity-edit": ("POST", "quantity", "reviewer"),
    "quantity-measure": ("POST", "quantity", "reviewer"),
    "source-import": ("GET", "investigation", "editor"),
    "publisher-list": ("GET", "investigation", "editor"),
    "evidence-capture": ("POST", "claim", "reviewer"),
    "citation-detail": ("GET", "citation", "viewer"),
    "citation-log": ("GET", "citation", "viewer"),
    "evidence-archive": ("POST", "citation", "reviewer"),
    "snapshot-download": ("GET", "snapshot", "viewer"),
    "evidence-upload": ("POST", "claim", "reviewer"),
    "citation-same-picture": ("GET", "picture_citation", "viewer"),
    "evidence-file-download": ("GET", "evidence_file", "viewer"),
    "evidence-file-thumbnail": ("GET", "evidence_file", "viewer"),
    "evidence-file-picture": ("GET", "evidence_file", "viewer"),
    "activity": ("GET", "investigation", "viewer"),
    "investigation-numbers": ("GET", "investigation", "viewer"),
    "mentions-read": ("POST", None, "viewer"),
    "claim-bulk": ("POST", "investigation", "reviewer"),
    "claim-assign": ("POST", "claim", "reviewer"),
    "claim-priority": ("POST", "claim", "editor"),
    "claim-tag": ("POST", "claim", "reviewer"),
    "citation-edit": ("POST", "citation", "reviewer"),
    # Editors retract anyone's citation; a reviewer only their own (the world's citation is
    # the proposer's), see test_reviewers_retract_only_their_own_citations.
    "citation-retract": ("POST", "citation", "editor"),
    "claim-similar": ("GET", "claim", "viewer"),
    "link-decide": ("POST", "link", "reviewer"),
    "link-cite": ("POST", "link", "reviewer"),
    "source-side-by-side": ("GET", "source", "viewer"),
    "source-translation-of": ("POST", "source", "editor"),
    "claim-translation": ("GET", "claim", "viewer"),
    "claim-translation-link": ("POST", "claim", "reviewer"),
    "investigation-charts": ("GET", "investigation", "viewer"),
    # Every signed-in person manages their own API tokens (none of anyone else's).
    "api-tokens": ("GET", None, "viewer"),
    "api-token-revoke": ("POST", None, "viewer"),
    "investigation-create": ("GET", None, "viewer"),
    "investigation-settings": ("GET", "investigation", "editor"),
    "investigation-archive": ("POST", "investigation", "owner"),
    "investigation-second-factor": ("POST", "investigation", "owner"),
    "investigation-delete": ("POST", "investigation", "owner"),
    "invite-create": ("POST", "investigation", "owner"),
    "invite-revoke": ("POST", "invite", "owner"),
    "member-leave": ("POST", "investigation", "viewer"),
    # The signed link is the permission: anyone holding it may open it (tests/test_invites.py).
    "invite-accept": ("GET", "invite_token", "viewer"),
}

# Pages open without logging in.
PUBLIC = {"invite-accept"}

# POST views whose GET draws the form itself, for a claim-page box opened (form-box.html):
# the GET asks the door the POST asks, so nobody sees a form they could not send.
FORM_GETS = {"claim-edit", "citation-edit", "citation-retract"}


# url name -> the action its door asks for (None: no object, being logged in is enough).
DOOR_ACTIONS = {
    "investigation-list": None,
    "queue": None,
    "mentions-read": None,
    "investigation-detail": Action.VIEW,
    "member-list": Action.MANAGE_MEMBERS,
    "source-create": Action.ADD_SOURCE,
    "source-import": Action.IMPORT_SOURCE,
    "claim-list": Action.VIEW,
    "report": Action.VIEW,
    "report-json": Action.VIEW,
    "report-download": Action.VIEW,
    "report-file-create": Action.REQUEST_REPORT,
    "report-file-detail": Action.VIEW,
    "report-file-download": Action.VIEW,
    "report-file-retry": Action.REQUEST_REPORT,
    "source-detail": Action.VIEW,
    "source-original": Action.VIEW,
    "source-extract": Action.RUN_EXTRACTION,
    "source-language": Action.SET_LANGUAGE,
    "source-extraction-status": Action.VIEW,
    "claim-mark": Action.ADD_CLAIM,
    "claim-detail": Action.VIEW,
    "claim-edit": Action.EDIT_CLAIM,
    "claim-transition": Action.MOVE_CLAIM,
    "claim-respan": Action.ADJUST_SUGGESTION,
    "quantity-edit": Action.ADJUST_SUGGESTION,
    "quantity-measure": Action.SET_MEASURE,
    "claim-bulk": Action.BULK_CHANGE,
    "claim-assign": Action.TAKE_CLAIM,
    "claim-priority": Action.SET_PRIORITY,
    "claim-tag": Action.TAG_CLAIM,
    "comment-add": Action.COMMENT,
    "evidence-add": Action.ADD_EVIDENCE,
    "evidence-capture": Action.ADD_EVIDENCE,
    "evidence-archive": Action.ARCHIVE_EVIDENCE,
    "citation-detail": Action.VIEW,
    "citation-log": Action.VIEW,
    "citation-edit": Action.EDIT_CITATION,
    "citation-retract": Action.RETRACT_OWN_CITATION,
    "snapshot-download": Action.VIEW,
    "evidence-upload": Action.ADD_EVIDENCE,
    "citation-same-picture": Action.VIEW,
    "evidence-file-download": Action.VIEW,
    "evidence-file-thumbnail": Action.VIEW,
    "evidence-file-picture": Action.VIEW,
    "publisher-list": Action.RATE_PUBLISHER,
    "activity": Action.VIEW,
    "investigation-numbers": Action.COMPARE_NUMBERS,
    "verdict-propose": Action.PROPOSE_VERDICT,
    "verdict-sign-off": Action.SIGN_OFF_VERDICT,
    "verdict-send-back": Action.SEND_BACK_VERDICT,
    "claim-similar": Action.VIEW,
    "link-decide": Action.DECIDE_LINK,
    "link-cite": Action.CITE_TESTIMONY,
    "source-side-by-side": Action.VIEW,
    "source-translation-of": Action.PAIR_TRANSLATION,
    "claim-translation": Action.VIEW,
    "claim-translation-link": Action.LINK_TRANSLATION,
    "investigation-charts": Action.VIEW,
    "api-tokens": None,
    "api-token-revoke": None,
    "investigation-create": None,
    "investigation-settings": Action.EDIT_INVESTIGATION,
    "investigation-archive": Action.ARCHIVE_INVESTIGATION,
    "investigation-second-factor": Action.REQUIRE_SECOND_FACTOR,
    "investigation-delete": Action.DELETE_INVESTIGATION,
    "invite-create": Action.INVITE_MEMBER,
    "invite-revoke": Action.INVITE_MEMBER,
    "member-leave": Action.LEAVE_INVESTIGATION,
    "invite-accept": None,
}

# Actions a view checks past its door, on the object: url names where each is decided.
INSIDE_ACTIONS = {
    Action.RETRACT_ANY_CITATION: ["citation-retract"],  # the world's citation is another's
    Action.ADJUST_CLAIM: ["claim-respan", "quantity-edit"],  # an accepted claim
    Action.ASSIGN: ["claim-assign"],  # giving the claim to someone else
}


# Further URL arguments after the object's, for views that take more than one.
EXTRA_ARGS = {"report-download": ["csv"], "report-file-create": ["pdf"]}


def test_every_url_has_an_expectation():
    names = {pattern.name for pattern in urlpatterns}
    assert names == set(EXPECTATIONS), "add the new view to EXPECTATIONS"


def test_every_url_names_its_action():
    assert set(DOOR_ACTIONS) == set(EXPECTATIONS)


def test_every_action_is_taken_somewhere():
    """Each action of the table guards a view's door, a check inside a view, or a move."""
    used = {action for action in DOOR_ACTIONS.values() if action}
    used |= set(INSIDE_ACTIONS)
    used |= {move.action for move in TRANSITIONS.values() if move.action}
    assert used == set(Action)


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_expected_lowest_role_is_the_tables(name):
    action = DOOR_ACTIONS[name]
    inside = [a for a, names in INSIDE_ACTIONS.items() if name in names]
    if name == "citation-retract":
        action = inside[0]  # refused past the door: the citation is not the member's own
    lowest = "viewer" if action is None else roles.MINIMUM_ROLE[action]
    assert EXPECTATIONS[name][2] == lowest


@pytest.fixture
def world(db):
    """One investigation with one user per role, a proposer, and an outsider."""
    users = {role: make_user(role) for role in ROLES}
    proposer = make_user("proposer")
    outsider = make_user("outsider")
    investigation = make_investigation(
        members=[(users[role], role) for role in ROLES] + [(proposer, "reviewer")]
    )
    source = make_source(investigation)
    source.original_file.save("original.html", ContentFile(b"<p>kept</p>"))
    claim = make_claim(source)
    membership = Membership.objects.get(user=proposer)
    verdict = reviews.propose_verdict(
        claim, proposer=proposer, membership=membership, rating="true", rationale="Because."
    )
    # Evidence without a link: archiving it is refused politely, so no test reaches a network.
    citation = citations.cite_evidence(
        claim, actor=proposer, stance="supports", title="Offline leaflet"
    )
    snapshot = make_snapshot(
        citation.evidence, sha256="0" * 64, body=ContentFile(b"kept", name="kept.gz")
    )
    report_file = make_report_file(investigation, content=b"%PDF-1.7")
    picture = files.attach_file(
        claim,
        actor=proposer,
        upload=SimpleUploadedFile("photo.png", png_bytes()),
        stance="context",
    )
    wire = make_source(investigation, text="About 1,200 homes were flooded in Marrow.")
    other = make_claim(wire, "About 1,200 homes were flooded in Marrow.")
    link = ClaimLink.objects.create(
        claim_a=claim, claim_b=other, relation="same", score=0.9, reason="shared words"
    )
    invite, token = invites.create(
        investigation, actor=users["owner"], email="new@example.org", role="viewer"
    )
    objects = {
        "invite": invite,
        "invite_token": token,
        "link": link,
        "report_file": report_file,
        "investigation": investigation,
        "source": source,
        "claim": claim,
        "verdict": verdict,
        "quantity": claim.quantities.first(),
        "citation": citation,
        "snapshot": snapshot,
        "evidence_file": picture.evidence.file,
        "picture_citation": picture,
    }
    return users, outsider, objects


def _url(name, target, objects):
    if target is None:
        return reverse(f"claims:{name}")
    obj = objects[target]
    arg = obj if isinstance(obj, str) else (obj.slug if target == "investigation" else obj.pk)
    return reverse(f"claims:{name}", args=[arg, *EXTRA_ARGS.get(name, [])])


def _call(client, method, url):
    return client.get(url) if method == "GET" else client.post(url, {})


@pytest.mark.parametrize("name", sorted(set(EXPECTATIONS) - PUBLIC))
def test_anonymous_is_sent_to_login(client, world, name):
    method, target, _ = EXPECTATIONS[name]
    response = _call(client, method, _url(name, target, world[2]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "name", sorted(n for n, e in EXPECTATIONS.items() if e[1] and n not in PUBLIC)
)
def test_outsider_gets_404(client, world, name):
    method, target, _ = EXPECTATIONS[name]
    client.force_login(world[1])
    assert _call(client, method, _url(name, target, world[2])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_role_table(client, world, name, role):
    users, _, objects = world
    method, target, lowest = EXPECTATIONS[name]
    client.force_login(users[role])
    status = _call(client, method, _url(name, target, objects)).status_code
    if ROLES.index(role) >= ROLES.index(lowest):
        assert status in (200, 302), f"{role} should be allowed {name}, got {status}"
    else:
        assert status == 403, f"{role} should be refused {name}, got {status}"


@pytest.mark.parametrize("name", sorted(n for n, action in DOOR_ACTIONS.items() if action))
def test_each_view_asks_for_its_own_action(client, world, monkeypatch, name):
    """Raised to owners only, a view's action refuses an editor: the view asks for that
    action, not for a stand-in that happens to need the same role."""
    users, _, objects = world
    method, target, _ = EXPECTATIONS[name]
    monkeypatch.setitem(roles.MINIMUM_ROLE, DOOR_ACTIONS[name], Role.OWNER)
    client.force_login(users["editor"])
    assert _call(client, method, _url(name, target, objects)).status_code == 403
    client.force_login(users["owner"])
    assert _call(client, method, _url(name, target, objects)).status_code in (200, 302)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(FORM_GETS))
def test_a_forms_get_follows_its_posts_role_table(client, world, name, role):
    users, _, objects = world
    _, target, lowest = EXPECTATIONS[name]
    client.force_login(users[role])
    url = _url(name, target, objects)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get(url, **headers)
        if ROLES.index(role) >= ROLES.index(lowest):
            assert response.status_code == 200, f"{role} should see {name}'s form"
            assert f'action="{url}"' in response.content.decode()
        else:
            assert response.status_code == 403, f"{role} should be refused {name}'s form"


@pytest.mark.parametrize("name", sorted(FORM_GETS))
def test_a_forms_get_is_closed_to_outsiders_and_archived_investigations(client, world, name):
    users, outsider, objects = world
    _, target, _ = EXPECTATIONS[name]
    url = _url(name, target, objects)
    assert client.get(url).url.startswith(reverse("login"))
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    investigations.set_archived(objects["investigation"], actor=users["owner"], archived=True)
    client.force_login(users["owner"])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "name", sorted(n for n, e in EXPECTATIONS.items() if e[0] == "POST" and n not in FORM_GETS)
)
def test_get_on_a_post_view_is_405(client, world, name):
    _, target, _ = EXPECTATIONS[name]
    client.force_login(world[0]["owner"])
    assert client.get(_url(name, target, world[2])).status_code == 405


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTATIONS.items() if e[0] == "POST"))
def test_post_without_csrf_token_is_refused(world, name):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    _, target, _ = EXPECTATIONS[name]
    client.force_login(world[0]["owner"])
    assert client.post(_url(name, target, world[2]), {}).status_code == 403


# --- The move form, with every transition name --------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_move_form_with_every_transition(client, world, name, role):
    """Each move tried from a status it starts from: verdict steps are refused to everyone
    (they belong to the Verdict panel), the others follow the role table."""
    users, _, objects = world
    claim, move = objects["claim"], TRANSITIONS[name]
    start = sorted(move.sources)[0]
    Claim.objects.filter(pk=claim.pk).update(status=start)
    client.force_login(users[role])
    response = client.post(
        reverse("claims:claim-transition", args=[claim.pk]),
        {"transition": name, "from_status": start, "reason": "Because the matrix says so."},
    )
    claim.refresh_from_db()
    if role == "viewer":
        assert response.status_code == 403
        assert claim.status == start
    elif move.internal:
        assert response.status_code == 200
        assert "Verdict panel" in response.content.decode()
        assert claim.status == start, f"{role} moved the claim by {name}"
    elif member_allows(Membership.objects.get(user=users[role]), move.action):
        assert response.status_code == 302
        assert claim.status == move.target
    else:
        assert response.status_code == 200
        assert "Your role cannot" in response.content.decode()
        assert claim.status == start


def test_every_verdict_step_is_marked_internal():
    """The moves that touch verdicts are the ones the move form must refuse."""
    internal = {name for name, move in TRANSITIONS.items() if move.internal}
    assert {"propose", "sign_off", "send_back"} <= internal
    assert "reopen" not in internal  # a button; reviews.move_claim supersedes the verdict


# --- An archived investigation: read-only at every door ----------------------------------


# The settings page stays open to owners of an archived investigation: it holds Restore.
WRITE_DOORS = sorted(
    name
    for name, action in DOOR_ACTIONS.items()
    if action and action not in roles.OPEN_WHILE_ARCHIVED and name != "investigation-settings"
)


def test_archived_settings_page_is_the_owners_only(client, world):
    users, _, objects = world
    investigation = objects["investigation"]
    investigations.set_archived(investigation, actor=users["owner"], archived=True)
    url = reverse("claims:investigation-settings", args=[investigation.slug])
    client.force_login(users["editor"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "New", "description": ""}).status_code == 403
    client.force_login(users["owner"])
    page = client.get(url).content.decode()
    assert "Restore investigation" in page
    assert client.post(url, {"title": "New", "description": ""}).status_code == 403
    investigation.refresh_from_db()
    assert investigation.title != "New"


@pytest.mark.parametrize("name", WRITE_DOORS)
def test_archived_investigation_refuses_every_write_door_even_to_its_owner(client, world, name):
    users, _, objects = world
    investigations.set_archived(objects["investigation"], actor=users["owner"], archived=True)
    method, target, _ = EXPECTATIONS[name]
    client.force_login(users["owner"])
    response = _call(client, method, _url(name, target, objects))
    assert response.status_code == 403
    assert "archived" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    sorted(
        name
        for name, action in DOOR_ACTIONS.items()
        if action in roles.OPEN_WHILE_ARCHIVED and EXPECTATIONS[name][0] == "GET"
    ),
)
def test_archived_investigation_stays_readable(client, world, name):
    users, _, objects = world
    investigations.set_archived(objects["investigation"], actor=users["owner"], archived=True)
    method, target, _ = EXPECTATIONS[name]
    client.force_login(users["viewer"])
    assert _call(client, method, _url(name, target, objects)).status_code in (200, 302)


def test_every_write_action_is_refused_while_archived():
    for action in Action:
        if action not in roles.OPEN_WHILE_ARCHIVED:
            assert not roles.allows(Role.OWNER, action, archived=True)


# --- The account pages, outside the claims app --------------------------------------------

# url name -> whether logging in is needed
ACCOUNT_PAGES = {
    "account": True,
    "password_change": True,
    "password_change_done": True,
    "password_reset": False,
    "password_reset_done": False,
    "password_reset_complete": False,
}


@pytest.mark.parametrize("name", sorted(ACCOUNT_PAGES))
def test_account_pages_for_anonymous_and_members(client, world, name):
    url = reverse(name)
    response = client.get(url)
    if ACCOUNT_PAGES[name]:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == 200
    client.force_login(world[0]["viewer"])
    assert client.get(url).status_code == 200
