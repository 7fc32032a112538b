"""What a newsroom script does with a token: over HTTP, with nothing but the standard library.

The token comes from `manage.py create_api_token`; the script lists the claims of an
investigation, finds one by its quote and proposes a verdict, which then waits for a second
reviewer's sign-off exactly as one proposed on the claim page does.
"""

import json
import urllib.error
import urllib.request
from io import StringIO

import pytest
from django.core.management import call_command

from claims.models import AuditEvent, ClaimStatus, Verdict
from tests.factories import make_claim, make_source


def _request(base, token, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310
        base + path,
        data=data,
        method="GET" if body is None else "POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    # The base is the live test server's http:// address, never a file: or other scheme.
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, json.loads(response.read())


@pytest.fixture
def token_of_bob(bob, investigation):
    out = StringIO()
    call_command("create_api_token", "--user", "bob", "--name", "verdict script", stdout=out)
    return out.getvalue().strip()


def test_a_script_lists_claims_and_proposes_a_verdict(
    live_server, investigation, alice, token_of_bob
):
    source = make_source(investigation, actor=alice)
    claim = make_claim(source)
    base = live_server.url + "/api/v1"

    status, page = _request(
        base, token_of_bob, f"/investigations/{investigation.slug}/claims/?q=homes"
    )
    assert status == 200
    [found] = [c for c in page["results"] if "1,200 homes" in c["quote"]]
    assert found["id"] == claim.pk

    status, verdict = _request(
        base,
        token_of_bob,
        f"/investigations/{investigation.slug}/claims/{found['id']}/verdicts/",
        {"rating": "mostly_true", "rationale": "The council's count says 1,180 homes."},
    )
    assert status == 201
    assert verdict["proposed_by"] == "bob"
    assert verdict["status"] == "proposed"

    stored = Verdict.objects.get(pk=verdict["id"])
    assert stored.rating == "mostly_true"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERDICT_PROPOSED
    assert AuditEvent.objects.filter(
        claim=claim, action="verdict.propose", actor__username="bob"
    ).exists()


def test_a_script_without_a_valid_token_is_turned_away(live_server, investigation):
    with pytest.raises(urllib.error.HTTPError) as refused:
        _request(live_server.url + "/api/v1", "fcw_not_a_token", "/investigations/")
    assert refused.value.code == 401
