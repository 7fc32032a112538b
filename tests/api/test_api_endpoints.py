"""The API's endpoints: what they answer, what they write, and what they refuse."""

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import AuditEvent, Claim, ClaimStatus, Comment, Membership, Source, Verdict
from claims.reporting.formats import FORMATS
from claims.review import reviews
from tests.factories import make_claim, make_many_claims, make_source


def api(name, *args):
    return reverse(f"api:{name}", args=args)


@pytest.fixture
def source(investigation, alice):
    return make_source(investigation, actor=alice)


@pytest.fixture
def claim(source):
    return make_claim(source)


# --- Who is asking ----------------------------------------------------------------------------


def test_without_a_token_the_answer_is_401_with_a_bearer_challenge(db):
    response = Client().get(api("investigation-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_session_does_not_open_the_api(client, alice, investigation):
    client.force_login(alice)
    assert client.get(api("investigation-list")).status_code == 401


def test_a_wrong_or_revoked_token_is_401(alice, investigation, token_for):
    from claims.access import tokens

    api_client = token_for(alice)
    api_client.token = api_client.token[:-2] + "xx"
    assert api_client.get(api("investigation-list")).status_code == 401
    row, token = tokens.create_token(alice, name="soon revoked")
    tokens.revoke_token(alice, row.pk)
    response = Client().get(api("investigation-list"), headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_token_requests_need_no_csrf_token(bob, claim, token_for):
    api_client = token_for(bob)
    api_client.client = Client(enforce_csrf_checks=True)
    url = api("comment-list", claim.investigation.slug, claim.pk)
    assert api_client.post(url, {"body": "Looks right."}).status_code == 201


def test_a_token_in_a_page_request_signs_nobody_in(alice, investigation, token_for):
    """Pages read the session only: a bearer token there is ignored (sent to log in)."""
    api_client = token_for(alice)
    response = Client().get(
        investigation.get_absolute_url(), headers={"Authorization": f"Bearer {api_client.token}"}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- Reading ---------------------------------------------------------------------------------


def test_investigations_lists_only_mine_with_my_role(bob, carol, investigation, token_for):
    body = token_for(bob).get(api("investigation-list")).json()
    assert [(i["slug"], i["role"]) for i in body["results"]] == [("flood-2026", "reviewer")]
    assert token_for(carol).get(api("investigation-list")).json()["results"] == []


def test_outsiders_get_404_for_every_object(carol, claim, token_for):
    outsider = token_for(carol)
    slug = claim.investigation.slug
    assert outsider.get(api("investigation-detail", slug)).status_code == 404
    assert outsider.get(api("claim-detail", slug, claim.pk)).status_code == 404
    assert outsider.post(api("comment-list", slug, claim.pk), {"body": "hi"}).status_code == 404


def test_an_object_of_another_investigation_is_not_found_under_this_one(alice, claim, token_for):
    from tests.factories import make_investigation

    make_investigation(slug="other", members=[(alice, "owner")])
    assert token_for(alice).get(api("claim-detail", "other", claim.pk)).status_code == 404


def test_members_are_for_owners_as_on_the_members_page(alice, bob, investigation, token_for):
    url = api("member-list", investigation.slug)
    assert token_for(bob).get(url).status_code == 403
    names = [m["username"] for m in token_for(alice).get(url).json()["results"]]
    assert sorted(names) == ["alice", "bob", "erin", "rita", "victor"]


def test_a_claim_carries_its_quote_and_offsets(victor, claim, source, token_for):
    body = token_for(victor).get(api("claim-detail", source.investigation.slug, claim.pk)).json()
    assert body["quote"] == "about 1,200 homes were flooded in Marrow"
    assert source.text[body["start"] : body["end"]] == body["quote"]
    assert body["source"] == source.pk


def test_claims_filter_as_the_claim_list_does(victor, investigation, source, token_for):
    homes = make_claim(source)
    died = make_claim(source, "The regional governor said at least 14 people had died.")
    Claim.objects.filter(pk=died.pk).update(status=ClaimStatus.DISMISSED)
    url = api("claim-list", investigation.slug)
    reader = token_for(victor)
    assert [c["id"] for c in reader.get(url).json()["results"]] == [homes.pk]
    assert [c["id"] for c in reader.get(url, {"status": "dismissed"}).json()["results"]] == [
        died.pk
    ]
    assert [
        c["id"] for c in reader.get(url, {"q": "governor", "status": "all"}).json()["results"]
    ] == [died.pk]


def test_an_invalid_filter_is_refused_with_its_field(victor, investigation, token_for):
    response = token_for(victor).get(api("claim-list", investigation.slug), {"status": "nope"})
    assert response.status_code == 400
    assert "status" in response.json()["errors"]


def test_claims_come_a_cursor_page_at_a_time(victor, investigation, token_for):
    claims = make_many_claims(investigation, 7)
    reader = token_for(victor)
    url = api("claim-list", investigation.slug)
    seen, body = [], reader.get(url, {"page_size": 3}).json()
    while True:
        seen += [c["id"] for c in body["results"]]
        if not body["next"]:
            break
        body = reader.get(body["next"]).json()
    assert seen == [claim.pk for claim in claims]


def test_quantities_citations_and_comments_of_a_claim(bob, claim, token_for):
    reader = token_for(bob)
    slug = claim.investigation.slug
    quantities = reader.get(api("quantity-list", slug, claim.pk)).json()["results"]
    assert [q["text"] for q in quantities] == ["about 1,200"]
    assert reader.get(api("citation-list", slug, claim.pk)).json()["results"] == []
    assert reader.get(api("comment-list", slug, claim.pk)).json()["results"] == []


# --- Writing ---------------------------------------------------------------------------------


def test_an_editor_adds_a_source_from_text_and_extraction_runs(erin, investigation, token_for):
    text = "The mayor said 300 people were evacuated on Monday. Nobody else spoke."
    response = token_for(erin).post(
        api("source-list", investigation.slug), {"title": "Mayor", "text": text}
    )
    assert response.status_code == 201, response.content
    source = Source.objects.get(pk=response.json()["id"])
    assert source.text == text
    assert source.added_by == erin
    assert source.claims.filter(status=ClaimStatus.SUGGESTED).exists()
    assert AuditEvent.objects.filter(action="source.add", actor=erin).exists()


def test_a_source_from_a_file(erin, investigation, token_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("notes.txt", b"About 40 boats left the harbour.")
    response = token_for(erin).post(
        api("source-list", investigation.slug),
        {"title": "Harbour notes", "run_extraction": "false"},
        files={"file": upload},
    )
    assert response.status_code == 201, response.content
    source = Source.objects.get(pk=response.json()["id"])
    assert source.text == "About 40 boats left the harbour."
    assert source.original_sha256


def test_a_file_sent_without_a_language_has_it_detected(erin, investigation, token_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "По словам свидетеля, на площади собралось около двадцати тысяч человек."
    upload = SimpleUploadedFile("ru.txt", text.encode())
    response = token_for(erin).post(
        api("source-list", investigation.slug), {"title": "Показания"}, files={"file": upload}
    )
    assert response.status_code == 201, response.content
    assert Source.objects.get(pk=response.json()["id"]).language == "ru"


def test_a_reviewer_cannot_add_a_source(bob, investigation, token_for):
    response = token_for(bob).post(
        api("source-list", investigation.slug), {"title": "T", "text": "Words."}
    )
    assert response.status_code == 403
    assert not Source.objects.exists()


def test_bad_source_input_says_which_field_and_writes_nothing(erin, investigation, token_for):
    response = token_for(erin).post(api("source-list", investigation.slug), {"title": "T"})
    assert response.status_code == 400
    assert response.json()["errors"]["text"]
    assert not Source.objects.exists()


def test_a_claim_by_quote_and_by_offsets(bob, source, token_for):
    writer = token_for(bob)
    url = api("claim-list", source.investigation.slug)
    by_quote = writer.post(url, {"source": source.pk, "quote": "about 1,200 homes were flooded"})
    assert by_quote.status_code == 201, by_quote.content
    start = source.text.index("The regional governor")
    end = source.text.index("had died.") + len("had died.")
    by_offsets = writer.post(url, {"source": source.pk, "start": start, "end": end})
    assert by_offsets.status_code == 201
    assert by_offsets.json()["quote"] == source.text[start:end]
    assert Claim.objects.get(pk=by_quote.json()["id"]).created_by == bob


def test_a_quote_not_in_the_text_is_a_400_and_a_duplicate_a_409(bob, source, token_for):
    writer = token_for(bob)
    url = api("claim-list", source.investigation.slug)
    missing = writer.post(url, {"source": source.pk, "quote": "words nobody wrote"})
    assert missing.status_code == 400
    assert missing.json()["errors"]["quote"]
    quote = {"source": source.pk, "quote": "about 1,200 homes were flooded"}
    assert writer.post(url, quote).status_code == 201
    assert writer.post(url, quote).status_code == 409
    assert Claim.objects.count() == 1


def test_propose_sign_off_and_the_four_eyes_rule(bob, rita, claim, token_for):
    slug = claim.investigation.slug
    proposer, signer = token_for(bob), token_for(rita)
    proposed = proposer.post(
        api("verdict-list", slug, claim.pk), {"rating": "true", "rationale": "The census says so."}
    )
    assert proposed.status_code == 201, proposed.content
    verdict = proposed.json()
    assert verdict["status"] == "proposed"
    assert len(verdict["content_sha256"]) == 64
    sign_off = {"version": verdict["version"], "content_sha256": verdict["content_sha256"]}
    own = proposer.post(api("verdict-sign-off", slug, verdict["id"]), sign_off)
    assert own.status_code == 409  # nobody signs off their own verdict
    done = signer.post(api("verdict-sign-off", slug, verdict["id"]), sign_off)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "signed_off"
    assert done.json()["signed_off_by"] == "rita"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED
    assert AuditEvent.objects.filter(claim=claim, action__startswith="verdict.").count() == 2


def test_a_sign_off_of_changed_content_is_refused(bob, rita, claim, token_for):
    slug = claim.investigation.slug
    verdict = (
        token_for(bob)
        .post(api("verdict-list", slug, claim.pk), {"rating": "false", "rationale": "No."})
        .json()
    )
    stale = {"version": verdict["version"], "content_sha256": "0" * 64}
    response = token_for(rita).post(api("verdict-sign-off", slug, verdict["id"]), stale)
    assert response.status_code == 409
    assert Verdict.objects.get(pk=verdict["id"]).status == Verdict.Status.PROPOSED


def test_send_back_needs_a_reason(bob, rita, claim, token_for):
    slug = claim.investigation.slug
    membership = Membership.objects.get(user=bob)
    verdict = reviews.propose_verdict(
        claim, proposer=bob, membership=membership, rating="true", rationale="Yes."
    )
    url = api("verdict-send-back", slug, verdict.pk)
    assert token_for(rita).post(url, {"version": verdict.version}).status_code == 400
    response = token_for(rita).post(url, {"version": verdict.version, "comment": "Cite it."})
    assert response.status_code == 200
    assert response.json()["status"] == "returned"


def test_a_viewer_cannot_propose(victor, claim, token_for):
    response = token_for(victor).post(
        api("verdict-list", claim.investigation.slug, claim.pk),
        {"rating": "true", "rationale": "x"},
    )
    assert response.status_code == 403
    assert not Verdict.objects.exists()


def test_citing_evidence_and_commenting(bob, claim, token_for):
    writer = token_for(bob)
    slug = claim.investigation.slug
    cited = writer.post(
        api("citation-list", slug, claim.pk),
        {"title": "Census leaflet", "stance": "supports", "reliability": "unrated"},
    )
    assert cited.status_code == 201, cited.content
    assert cited.json()["evidence"]["title"] == "Census leaflet"
    again = writer.post(
        api("citation-list", slug, claim.pk),
        {"title": "Bad", "stance": "sideways", "reliability": "unrated"},
    )
    assert again.status_code == 400
    assert "stance" in again.json()["errors"]
    comment = writer.post(api("comment-list", slug, claim.pk), {"body": "@rita please check"})
    assert comment.status_code == 201
    assert [u.username for u in Comment.objects.get().mentions.all()] == ["rita"]


def test_a_json_list_body_is_a_400(bob, claim, token_for):
    writer = token_for(bob)
    response = writer.client.post(
        api("comment-list", claim.investigation.slug, claim.pk),
        "[1, 2]",
        content_type="application/json",
        headers={"Authorization": f"Bearer {writer.token}"},
    )
    assert response.status_code == 400


# --- Read-only tokens --------------------------------------------------------------------------


def test_a_read_only_token_reads_but_cannot_write(alice, claim, token_for):
    reader = token_for(alice, read_only=True)
    slug = claim.investigation.slug
    assert reader.get(api("claim-detail", slug, claim.pk)).status_code == 200
    writes = [
        (api("source-list", slug), {"title": "T", "text": "Words."}),
        (api("claim-list", slug), {"source": claim.source_id, "quote": "The river rose"}),
        (api("comment-list", slug, claim.pk), {"body": "hi"}),
        (api("verdict-list", slug, claim.pk), {"rating": "true", "rationale": "x"}),
        (api("citation-list", slug, claim.pk), {"title": "T", "stance": "supports"}),
    ]
    for url, body in writes:
        response = reader.post(url, body)
        assert response.status_code == 403, url
        assert response.json()["detail"] == "This token is read-only."
    assert Comment.objects.count() == 0
    assert Claim.objects.count() == 1


# --- Reports ---------------------------------------------------------------------------------


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_every_report_format_downloads(victor, claim, token_for, format_name):
    response = token_for(victor).get(api("report-download", claim.investigation.slug, format_name))
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[format_name].content_type
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body
    if format_name == "json":
        assert json.loads(body)["sources"][0]["claims"][0]["quote"] == claim.quote
    if format_name == "csv":
        rows = list(csv.reader(io.StringIO(body.decode())))
        assert claim.quote in rows[1]


def test_report_options_are_checked_and_unknown_formats_404(victor, investigation, token_for):
    reader = token_for(victor)
    bad = reader.get(
        api("report-download", investigation.slug, "csv"), {"publication_url": "ftp://x"}
    )
    assert bad.status_code == 400
    assert reader.get(api("report-download", investigation.slug, "docx")).status_code == 404


# --- Throttling ------------------------------------------------------------------------------


def test_each_token_has_its_own_request_budget(settings, alice, investigation, token_for):
    settings.API_THROTTLE_RATE = "3/minute"
    first, second = token_for(alice), token_for(alice)
    url = api("investigation-list")
    assert [first.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert second.get(url).status_code == 200


# --- Query budgets ---------------------------------------------------------------------------


def _queries(api_client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert api_client.get(url).status_code == 200
    return len(captured)


def test_lists_read_a_flat_number_of_queries(alice, bob, investigation, token_for):
    from claims.evidence import citations
    from tests.factories import make_comment

    reader = token_for(alice)
    slug = investigation.slug

    def grow(count):
        claims = make_many_claims(investigation, count, title=f"Batch {count}")
        for claim in claims:
            citations.cite_evidence(claim, actor=bob, stance="supports", title=f"Page {claim.pk}")
            make_comment(claims[0], bob)
        Source.objects.update(added_by=bob)  # a user per source row, as an N+1 would show
        return claims[0]

    first = grow(1)
    reader.get(api("investigation-list"))  # the token's first use writes its last_used_at
    urls = lambda claim: [  # noqa: E731
        api("investigation-list"),
        api("source-list", slug),
        api("claim-list", slug),
        api("evidence-list", slug),
        api("member-list", slug),
        api("citation-list", slug, claim.pk),
        api("comment-list", slug, claim.pk),
        api("quantity-list", slug, claim.pk),
    ]
    before = [_queries(reader, url) for url in urls(first)]
    bigger = grow(6)
    after = [_queries(reader, url) for url in urls(bigger)]
    assert after == before


@pytest.mark.parametrize("sort", ["recent", "priority", "status", "evidence", "fewest-evidence"])
def test_every_sort_pages_through_every_claim_once(victor, bob, investigation, token_for, sort):
    from claims.evidence import citations

    claims = make_many_claims(investigation, 7)
    for claim in claims[::2]:
        citations.cite_evidence(claim, actor=bob, stance="supports", title=f"Page {claim.pk}")
    reader = token_for(victor)
    seen, body = (
        [],
        reader.get(api("claim-list", investigation.slug), {"sort": sort, "page_size": 2}),
    )
    body = body.json()
    while True:
        seen += [c["id"] for c in body["results"]]
        if not body["next"]:
            break
        body = reader.get(body["next"]).json()
    assert sorted(seen) == sorted(claim.pk for claim in claims)
