"""The report page: options as a form, a preview, and a download per format."""

import json

import pytest
from django.urls import reverse

from claims.models import Membership
from claims.reporting.formats import FORMATS
from claims.review import reviews
from tests.clients import HTMX


def _page(slug="flood-2026"):
    return reverse("claims:report", args=[slug])


def _download(format_name, slug="flood-2026"):
    return reverse("claims:report-download", args=[slug, format_name])


def test_page_shows_options_preview_and_every_download(client, victor, report_world):
    client.force_login(victor)
    body = client.get(_page()).content.decode()
    assert "Verified claims only" in body
    assert "Pseudonymize witnesses" in body
    assert 'class="report-document"' in body
    for report_format in FORMATS.values():
        assert f"Download {report_format.label}" in body
    assert reverse("claims:report-json", args=["flood-2026"]) in body


def test_options_carry_into_preview_and_download_links(client, victor, report_world):
    client.force_login(victor)
    body = client.get(_page(), {"pseudonymize": "on", "redact_reviewers": "on"}).content.decode()
    assert "Witness A" in body
    assert "Isabarow" not in body
    assert "Quenneville" not in body
    assert "Reviewer 1" in body
    assert f"{_download('csv')}?pseudonymize=on&amp;redact_reviewers=on" in body


def test_htmx_gets_the_workspace_only(client, victor, report_world):
    client.force_login(victor)
    response = client.get(_page(), {"verified_only": "on"}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith('<div id="report-workspace"')
    assert "HX-Request" in response["Vary"]


def test_bad_option_is_shown_next_to_the_field_and_input_kept(client, victor, report_world):
    client.force_login(victor)
    response = client.get(_page(), {"publication_url": "javascript:alert(1)", "title": "Kept"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid URL." in body
    assert 'value="Kept"' in body


def test_download_with_bad_option_shows_the_form_instead(client, victor, report_world):
    client.force_login(victor)
    response = client.get(_download("pdf"), {"publication_url": "ftp://x"})
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response


@pytest.mark.parametrize("format_name", list(FORMATS))
def test_viewer_downloads_every_format(client, victor, report_world, format_name):
    client.force_login(victor)
    response = client.get(_download(format_name))
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[format_name].content_type
    expected = f'attachment; filename="flood-2026-{FORMATS[format_name].filename}"'
    assert response["Content-Disposition"] == expected
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data


def test_csv_and_json_downloads_stream(client, victor, report_world):
    client.force_login(victor)
    for format_name in ("csv", "json"):
        assert client.get(_download(format_name)).streaming


def test_claimreview_never_points_at_the_workbench(client, victor, report_world):
    # The workbench is private: a review linking to it sends readers and crawlers to a
    # log-in page. Without a publication address the reviews carry no url.
    client.force_login(victor)
    for format_name in ("claimreview", "annotations", "json", "md"):
        response = client.get(_download(format_name))
        body = b"".join(response) if response.streaming else response.content
        assert b"testserver" not in body, format_name
    reviews = json.loads(client.get(_download("claimreview")).content)
    assert reviews
    assert all("url" not in review for review in reviews)


def test_claimreview_links_to_the_publication_address_given(client, victor, report_world):
    client.force_login(victor)
    response = client.get(_download("claimreview"), {"publication_url": "news.example/almaty"})
    review = json.loads(response.content)[0]
    assert review["url"].startswith("https://news.example/almaty#claim-")


def test_unknown_format_is_404(client, victor, report_world):
    client.force_login(victor)
    assert client.get(_download("docx")).status_code == 404


def test_outsider_gets_404_for_every_format(client, carol, report_world):
    client.force_login(carol)
    for format_name in FORMATS:
        assert client.get(_download(format_name)).status_code == 404


def test_report_page_query_budget(client, victor, report_world, django_assert_max_num_queries):
    client.force_login(victor)
    with django_assert_max_num_queries(25):
        client.get(_page())


def propose(claim, user):
    return reviews.propose_verdict(
        claim,
        proposer=user,
        membership=Membership.objects.get(user=user),
        rating="mostly_true",
        rationale="Ministry figures agree within 5%.",
    )


def test_report_json_carries_signed_off_verdict(client, alice, bob, rita, claim):
    verdict = propose(claim, bob)
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=Membership.objects.get(user=rita))
    client.force_login(alice)
    response = client.get(reverse("claims:report-json", args=[claim.investigation.slug]))
    data = json.loads(b"".join(response.streaming_content))
    claims = data["sources"][0]["claims"]
    assert claims[0]["quote"] == claim.quote
    assert claims[0]["verdict"]["rating"] == "mostly_true"
    assert claims[0]["verdict"]["signed_off_by"] == "rita"


def test_the_preview_of_a_report_with_unverified_claims_says_it_is_a_draft(
    client, victor, report_world
):
    # The fullest report is the default (a link naming some switches means just those), so
    # the preview a desk opens holds work in progress: it must say so before anyone copies it.
    from claims.models import Claim, ClaimStatus

    investigation = report_world["investigation"]
    reported = Claim.objects.filter(investigation=investigation).exclude(
        status__in=[ClaimStatus.SUGGESTED, ClaimStatus.DISMISSED]
    )
    unverified = reported.exclude(status=ClaimStatus.VERIFIED).count()
    assert 0 < unverified < reported.count()
    client.force_login(victor)
    body = client.get(_page()).content.decode()
    assert "Draft" in body
    # The preview's own notice, which every download carries too.
    assert f"{unverified} of the {reported.count()} claims in this report are not verified" in body
    assert "To publish, tick “Verified claims only”" in body

    assert f"Draft: {unverified} claims are not verified yet." in body  # beside the downloads
    verified_only = client.get(_page(), {"verified_only": "on"}).content.decode()
    assert "Draft" not in verified_only
    assert "not verified yet" not in verified_only
