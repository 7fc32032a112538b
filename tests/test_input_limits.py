"""Input at the limits: oversized bodies, binary text, deeply nested markup, long URLs."""

from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from claims import limits
from claims.evidence import citations
from claims.models import ClaimEvidence, Comment, Source, Verdict
from claims.review import editing, mentions, reviews
from tests.factories import make_many_claims, make_source


def _source_data(text, **extra):
    return {"title": "Edge case", "kind": "testimony", "language": "en", "text": text, **extra}


def test_oversized_body_is_refused_before_anything_is_saved(client, erin, investigation, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000
    client.force_login(erin)
    quiet = Client(raise_request_exception=False)
    quiet.force_login(erin)
    url = reverse("claims:source-create", args=[investigation.slug])
    response = quiet.post(url, _source_data("word " * 20_000))
    assert response.status_code == 200
    assert "a form can send" in response.content.decode()
    assert not Source.objects.exists()


def test_an_oversized_post_elsewhere_is_still_a_plain_400(erin, claim, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000
    quiet = Client(raise_request_exception=False)
    quiet.force_login(erin)
    response = quiet.post(reverse("claims:comment-add", args=[claim.pk]), {"body": "x" * 60_000})
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_text_at_the_limit_is_accepted(client, erin, investigation, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000
    client.force_login(erin)
    url = reverse("claims:source-create", args=[investigation.slug])
    response = client.post(url, _source_data("word " * 9_000))
    assert response.status_code == 302
    assert Source.objects.count() == 1


def test_text_with_nul_bytes_is_refused_with_a_message(client, erin, investigation):
    client.force_login(erin)
    url = reverse("claims:source-create", args=[investigation.slug])
    response = client.post(url, _source_data("Before\x00after, binary\x01\x02 junk."))
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not Source.objects.exists()


def test_undecodable_bytes_become_text_not_an_error(client, erin, investigation):
    client.force_login(erin)
    url = reverse("claims:source-create", args=[investigation.slug])
    body = b"title=Bytes&kind=testimony&language=en&text=caf%E9+%FF%FE+bytes+that+are+not+UTF-8"
    response = client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert "\ufffd" in Source.objects.get().text


def test_deeply_nested_html_is_stored_as_text_and_shown_escaped(client, erin, investigation):
    client.force_login(erin)
    depth = 15_000  # about 165,000 characters: still extracted inside the request
    text = "Witness statement.\n\n" + "<div>" * depth + "about 300 people" + "</div>" * depth
    url = reverse("claims:source-create", args=[investigation.slug])
    response = client.post(url, _source_data(text))
    assert response.status_code == 302
    source = Source.objects.get()
    assert source.text == text
    page = client.get(source.get_absolute_url()).content.decode()
    assert page.count("&lt;div&gt;") >= depth
    assert page.count("<div>") < 10  # the layout's own, not the text's


def test_overlong_evidence_url_is_refused(client, bob, claim):
    client.force_login(bob)
    data = {
        "url": "https://example.org/" + "a" * 2100,
        "title": "Long",
        "stance": "supports",
        "reliability": "unrated",
    }
    response = client.post(reverse("claims:evidence-add", args=[claim.pk]), data)
    assert response.status_code == 200
    assert not ClaimEvidence.objects.exists()


# Numbers in query strings and posts: too large for the database, too long for int(), or
# digits that str.isdigit() accepts and int() does not ("²"). None of them may be a 500.
HUGE = "999999999999999999999"
ENDLESS = "9" * 5000
NOT_DECIMAL = "²"


@pytest.mark.parametrize("value", [HUGE, ENDLESS, NOT_DECIMAL, "-3", "1e9"])
def test_claim_list_page_numbers_out_of_range_fall_back(client, bob, investigation, value):
    make_many_claims(investigation, 3)
    client.force_login(bob)
    url = reverse("claims:claim-list", args=[investigation.slug])
    response = client.get(url, {"page": value})
    assert response.status_code == 200
    assert "Item 2: 4 boats sank." in response.content.decode()


@pytest.mark.parametrize("value", [HUGE, ENDLESS, NOT_DECIMAL])
def test_claim_list_source_filter_out_of_range_is_ignored(
    client, bob, investigation, monkeypatch, value
):
    from claims.views import claim_list as claim_views

    # With more sources than the filter lists, a chosen id is looked up on its own.
    monkeypatch.setattr(claim_views, "SOURCE_CHOICES_CAP", 1)
    make_many_claims(investigation, 2, title="First")
    make_many_claims(investigation, 2, title="Second")
    client.force_login(bob)
    url = reverse("claims:claim-list", args=[investigation.slug])
    response = client.get(url, {"source": value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", [HUGE, ENDLESS, NOT_DECIMAL])
def test_investigation_source_pages_out_of_range_fall_back(client, victor, investigation, value):
    make_source(investigation, title="Only source")
    client.force_login(victor)
    response = client.get(investigation.get_absolute_url(), {"sources": value})
    assert response.status_code == 200
    assert "Only source" in response.content.decode()


@pytest.mark.parametrize("value", [HUGE, ENDLESS, NOT_DECIMAL])
def test_activity_pages_out_of_range_fall_back(client, victor, investigation, value):
    make_source(investigation, title="Only source")
    client.force_login(victor)
    response = client.get(reverse("claims:activity", args=[investigation.slug]), {"page": value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", [ENDLESS, NOT_DECIMAL])
def test_posted_numbers_that_int_refuses_are_not_fatal(client, bob, rita, claim, value):
    client.force_login(bob)
    assert client.post(reverse("claims:mentions-read"), {"investigation": value}).status_code == 302
    bulk = reverse("claims:claim-bulk", args=[claim.investigation.slug])
    response = client.post(bulk, {"claims": [value], "action": "assign", "assignee": ""})
    assert response.status_code == 200
    verdict = reviews.propose_verdict(
        claim,
        proposer=rita,
        membership=rita.memberships.get(),
        rating="false",
        rationale="The records say otherwise.",
    )
    sign_off = reverse("claims:verdict-sign-off", args=[verdict.pk])
    assert client.post(sign_off, {"version": value}).status_code in (200, 302)
    respan = reverse("claims:claim-respan", args=[claim.pk])
    data = {"start": claim.start, "end": claim.end, "version": value}
    assert client.post(respan, data).status_code in (200, 302)


# Free text has a length limit at every door: the forms, the domain functions that commands
# and the import call, and model validation that the admin runs.
def _propose(claim, person, rationale="The records say otherwise."):
    return reviews.propose_verdict(
        claim,
        proposer=person,
        membership=person.memberships.get(),
        rating="false",
        rationale=rationale,
    )


def _cite(claim, person, **fields):
    return citations.cite_evidence(
        claim, actor=person, stance="refutes", url="https://example.org/a", title="A", **fields
    )


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("rationale", limits.RATIONALE_MAX_CHARS),
        ("excerpt", limits.EXCERPT_MAX_CHARS),
        ("note", limits.NOTE_MAX_CHARS),
        ("comment", limits.COMMENT_MAX_CHARS),
        ("review_comment", limits.COMMENT_MAX_CHARS),
        ("citation_excerpt", limits.EXCERPT_MAX_CHARS),
        ("statement", limits.STATEMENT_MAX_CHARS),
    ],
)
def test_overlong_text_gets_a_form_message_and_nothing_is_saved(
    client, bob, rita, erin, claim, field, limit
):
    long_text = "x" * (limit + 1)
    client.force_login(bob)
    counts = (Verdict.objects.count(), ClaimEvidence.objects.count(), Comment.objects.count())
    if field == "rationale":
        url, data = "claims:verdict-propose", {"rating": "false", "rationale": long_text}
    elif field in ("excerpt", "note"):
        url = "claims:evidence-add"
        data = {"title": "A", "stance": "refutes", "reliability": "unrated", field: long_text}
    elif field == "comment":
        url, data = "claims:comment-add", {"body": long_text}
    elif field == "statement":
        client.force_login(erin)  # rewording an accepted claim is an editor's job
        claim.refresh_from_db()
        url = "claims:claim-edit"
        data = {"statement": long_text, "attribution": "unknown", "version": claim.version}
    elif field == "review_comment":
        verdict = _propose(claim, rita)
        counts = (1, *counts[1:])
        response = client.post(
            reverse("claims:verdict-send-back", args=[verdict.pk]),
            {"comment": long_text, "version": verdict.version},
        )
        assert response.status_code == 200
        assert f"at most {limit:,} characters" in response.content.decode()
        verdict.refresh_from_db()
        assert verdict.status == "proposed"
        assert verdict.review_comment == ""
        return
    else:
        citation = _cite(claim, rita)
        counts = (counts[0], 1, counts[2])
        prefix = f"citation-{citation.pk}-"
        response = client.post(
            reverse("claims:citation-edit", args=[citation.pk]),
            {
                prefix + "stance": "supports",
                prefix + "excerpt": long_text,
                prefix + "note": "",
                prefix + "version": citation.version,
            },
        )
        assert response.status_code == 200
        citation.refresh_from_db()
        assert citation.excerpt == ""
        assert citation.stance == "refutes"
        return
    response = client.post(reverse(url, args=[claim.pk]), data)
    assert response.status_code == 200
    assert f"at most {limit:,} characters" in response.content.decode()
    assert (Verdict.objects.count(), ClaimEvidence.objects.count(), Comment.objects.count()) == (
        counts
    )
    claim.refresh_from_db()
    assert claim.statement == ""


def test_domain_functions_refuse_overlong_text(bob, rita, claim):
    too_long = "x" * (limits.RATIONALE_MAX_CHARS + 1)
    with pytest.raises(limits.TextTooLong):
        _propose(claim, rita, rationale=too_long)
    with pytest.raises(limits.TextTooLong):
        _cite(claim, rita, excerpt="x" * (limits.EXCERPT_MAX_CHARS + 1))
    with pytest.raises(limits.TextTooLong):
        _cite(claim, rita, note="x" * (limits.NOTE_MAX_CHARS + 1))
    with pytest.raises(limits.TextTooLong):
        mentions.add_comment(claim, author=bob, body="x" * (limits.COMMENT_MAX_CHARS + 1))
    citation = _cite(claim, rita)
    with pytest.raises(limits.TextTooLong):
        editing.edit_citation(
            citation,
            actor=rita,
            expected_version=citation.version,
            stance="refutes",
            excerpt="x" * (limits.EXCERPT_MAX_CHARS + 1),
            note="",
        )
    verdict = _propose(claim, rita)
    with pytest.raises(limits.TextTooLong):
        reviews.send_back_verdict(
            verdict,
            reviewer=bob,
            membership=bob.memberships.get(),
            comment="x" * (limits.COMMENT_MAX_CHARS + 1),
        )
    assert Comment.objects.count() == 0
    assert ClaimEvidence.objects.get().excerpt == ""
    verdict.refresh_from_db()
    assert verdict.status == "proposed"


def test_model_validation_refuses_overlong_text(bob, rita, claim):
    """What the admin's forms and the investigation import run on every row."""
    verdict = Verdict(
        claim=claim,
        rating="false",
        rationale="x" * (limits.RATIONALE_MAX_CHARS + 1),
        proposed_by=bob,
    )
    citation = ClaimEvidence(claim=claim, stance="refutes", note="x" * (limits.NOTE_MAX_CHARS + 1))
    comment = Comment(claim=claim, author=bob, body="x" * (limits.COMMENT_MAX_CHARS + 1))
    for row, field in [(verdict, "rationale"), (citation, "note"), (comment, "body")]:
        with pytest.raises(ValidationError) as error:
            row.full_clean(exclude=["evidence"])
        assert field in error.value.message_dict


def test_invisible_controls_in_a_pasted_text_are_cleaned(client, erin, investigation):
    """Word pastes manual line breaks as U+000B and page breaks as U+000C; terminals paste
    escape sequences. Nobody can see them to remove them, so they are cleaned, not refused."""
    client.force_login(erin)
    url = reverse("claims:source-create", args=[investigation.slug])
    text = "First line\x0bsecond line\x0cnew page \x1b[1mbold\x7f, tab\tkept."
    response = client.post(url, _source_data(text))
    assert response.status_code == 302
    assert Source.objects.get().text == "First line\nsecond line\nnew page [1mbold, tab\tkept."


def test_the_paste_form_sends_text_as_its_utf8_bytes(client, erin, investigation, settings):
    """URL-encoding sends a Cyrillic letter as six bytes (%D0%BF), so a text within the
    character limit could not be sent; multipart sends its two UTF-8 bytes."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 60_000
    client.force_login(erin)
    url = reverse("claims:source-create", args=[investigation.slug])
    assert 'enctype="multipart/form-data"' in client.get(url).content.decode()
    text = "Свидетель сказал, что вода поднялась. " * 600  # 23,400 characters, 43 kB
    response = client.post(url, _source_data(text))  # multipart, as the page now sends it
    assert response.status_code == 302
    assert Source.objects.get().text == text.strip()


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_a_paste_over_the_request_limit_gets_the_form_and_a_message(
    erin, investigation, settings, encoding
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
    browser = Client(enforce_csrf_checks=True)  # the CSRF check reads the body first
    browser.force_login(erin)
    url = reverse("claims:source-create", args=[investigation.slug])
    page = browser.get(url).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    # 2 million characters: as multipart 3.7 MB, URL-encoded 10 MB.
    data = _source_data("Вода поднялась на три метра. " * 70_000, csrfmiddlewaretoken=token)
    if encoding == "multipart":
        response = browser.post(url, data)
    else:
        response = browser.post(url, urlencode(data), "application/x-www-form-urlencoded")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the error below." in body
    assert "The text is larger than the 3 MB a form can send" in body
    assert "about 3.1 million characters of English or 1.6 million of Cyrillic" in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert not Source.objects.exists()


def test_an_outsider_gets_no_form_for_an_oversized_paste(carol, investigation, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    quiet = Client(raise_request_exception=False)
    quiet.force_login(carol)
    url = reverse("claims:source-create", args=[investigation.slug])
    response = quiet.post(url, _source_data("x" * 20_000))
    assert response.status_code == 404
