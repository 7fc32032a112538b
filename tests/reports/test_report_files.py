"""PDF and bundle of large investigations: prepared by the task worker, then downloaded."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from claims.models import ReportFile
from claims.reporting import report_files
from tests.clients import HTMX
from tests.factories import make_bulk_claims, make_investigation, make_report_file, make_user


@pytest.fixture
def large(settings):
    """Make the six-claim report world count as too slow to build in a request."""
    settings.REPORT_INLINE_SECONDS = 0


def _prepare(format_name, slug="flood-2026"):
    return reverse("claims:report-file-create", args=[slug, format_name])


def _detail(report_file):
    return reverse("claims:report-file-detail", args=[report_file.pk])


def _download(report_file):
    return reverse("claims:report-file-download", args=[report_file.pk])


def test_a_small_report_links_every_download_directly(client, victor, report_world):
    client.force_login(victor)
    body = client.get(reverse("claims:report", args=["flood-2026"])).content.decode()
    assert "Download PDF" in body
    assert "Download Bundle (zip)" in body
    assert "Prepare PDF" not in body


def test_a_large_report_offers_to_prepare_pdf_and_bundle(client, victor, report_world, large):
    client.force_login(victor)
    body = client.get(reverse("claims:report", args=["flood-2026"])).content.decode()
    assert "Prepare PDF" in body
    assert "Prepare Bundle (zip)" in body
    assert "Download PDF" not in body
    assert "Download Bundle (zip)" not in body
    assert "Download CSV" in body
    assert f'action="{_prepare("pdf")}"' in body


def test_a_direct_pdf_link_to_a_large_report_leads_to_the_report_page(
    client, victor, report_world, large
):
    client.force_login(victor)
    url = reverse("claims:report-download", args=["flood-2026", "pdf"])
    response = client.get(url, {"redact_reviewers": "on"})
    assert response.status_code == 302
    assert response.url == reverse("claims:report", args=["flood-2026"]) + "?redact_reviewers=on"
    assert not ReportFile.objects.exists()


def test_preparing_a_bundle_builds_it_in_the_worker_and_serves_it(
    client, victor, report_world, large, django_capture_on_commit_callbacks
):
    client.force_login(victor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_prepare("bundle") + "?redact_reviewers=on", **HTMX)
    assert response.status_code == 200
    report_file = ReportFile.objects.get()
    assert report_file.requested_by == victor
    assert report_file.options["redact_reviewers"] is True
    assert report_file.status == ReportFile.Status.DONE
    body = response.content.decode()
    assert "<html" not in body
    # The response was rendered when the row was still waiting: it polls.
    assert 'hx-trigger="every 2s"' in body
    assert _detail(report_file) in body

    fragment = client.get(_detail(report_file), **HTMX).content.decode()
    assert "hx-trigger" not in fragment
    assert _download(report_file) in fragment

    download = client.get(_download(report_file))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"] == 'attachment; filename="flood-2026-bundle.zip"'
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as bundle:
        document = json.loads(bundle.read("report.json"))
    assert document["options"]["redact_reviewers"] is True
    assert "Quenneville" not in json.dumps(document)


def test_without_htmx_the_request_lands_on_the_status_page(client, victor, report_world, large):
    client.force_login(victor)
    response = client.post(_prepare("pdf"))
    report_file = ReportFile.objects.get()
    assert response.status_code == 302
    assert response.url == _detail(report_file)
    page = client.get(response.url).content.decode()
    assert "<html" in page
    assert "is being prepared" not in page
    assert "waiting for the worker" in page
    assert "Back to the report" in page


def test_a_file_in_progress_is_not_downloadable(client, victor, report_world):
    client.force_login(victor)
    report_file = ReportFile.objects.create(
        investigation=report_world["investigation"], format_name="pdf"
    )
    assert client.get(_download(report_file)).status_code == 404
    ReportFile.objects.filter(pk=report_file.pk).update(status=ReportFile.Status.RUNNING)
    assert "being prepared" in client.get(_detail(report_file), **HTMX).content.decode()


def test_only_pdf_and_bundle_are_prepared(client, victor, report_world, large):
    client.force_login(victor)
    assert client.post(_prepare("csv")).status_code == 404
    assert not ReportFile.objects.exists()


def test_bad_options_are_shown_and_nothing_is_queued(client, victor, report_world, large):
    client.force_login(victor)
    response = client.post(_prepare("pdf") + "?publication_url=ftp://example.org/x")
    assert response.status_code == 200
    assert "http or https" in response.content.decode()
    assert not ReportFile.objects.exists()


def test_a_failed_build_says_so_and_reaches_the_task_log(client, victor, report_world, monkeypatch):
    report_file = ReportFile.objects.create(
        investigation=report_world["investigation"], format_name="pdf"
    )

    def broken(*args, **kwargs):
        raise RuntimeError("Pango is missing")

    monkeypatch.setattr(report_files, "export_report", broken)
    with pytest.raises(RuntimeError):
        report_files.build_report_file(report_file)
    report_file.refresh_from_db()
    assert report_file.status == ReportFile.Status.FAILED
    assert not report_file.file
    client.force_login(victor)
    fragment = client.get(_detail(report_file), **HTMX).content.decode()
    assert "could not be prepared" in fragment
    assert "hx-trigger" not in fragment


def test_a_file_is_built_once(report_world):
    report_file = ReportFile.objects.create(
        investigation=report_world["investigation"], format_name="pdf", status="done"
    )
    assert report_files.build_report_file(report_file).file.name == ""


def test_members_of_another_investigation_get_404(client, report_world):
    stranger = make_user("stranger")
    make_investigation(slug="elsewhere", members=[(stranger, "owner")])
    report_file = ReportFile.objects.create(
        investigation=report_world["investigation"], format_name="pdf", status="done"
    )
    client.force_login(stranger)
    assert client.get(_detail(report_file)).status_code == 404
    assert client.get(_download(report_file)).status_code == 404


@pytest.mark.parametrize("format_name", ["csv", "json", "md", "html"])
def test_other_formats_of_a_large_report_still_download_directly(
    client, victor, report_world, large, format_name
):
    client.force_login(victor)
    response = client.get(reverse("claims:report-download", args=["flood-2026", format_name]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def _stored(investigation, status, age_days, name):
    """A ReportFile with a real stored file, created `age_days` ago."""
    from datetime import UTC, datetime, timedelta

    report_file = make_report_file(
        investigation, content=b"%PDF-1.7 test", name=name, status=status
    )
    created = datetime.now(UTC) - timedelta(days=age_days)
    ReportFile.objects.filter(pk=report_file.pk).update(created_at=created)
    return report_file


def test_pruning_removes_old_finished_files_and_keeps_the_rest(
    report_world, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    investigation = report_world["investigation"]
    old_done = _stored(investigation, "done", 10, "old-done.pdf")
    old_failed = _stored(investigation, "failed", 10, "old-failed.pdf")
    recent = _stored(investigation, "done", 2, "recent.pdf")
    still_building = _stored(investigation, "running", 10, "building.pdf")
    paths = {f.pk: f.file.name for f in (old_done, old_failed, recent, still_building)}

    with django_capture_on_commit_callbacks(execute=True):
        assert report_files.prune_report_files() == 2

    left = set(ReportFile.objects.values_list("pk", flat=True))
    assert left == {recent.pk, still_building.pk}
    assert not default_storage.exists(paths[old_done.pk])
    assert not default_storage.exists(paths[old_failed.pk])
    assert default_storage.exists(paths[recent.pk])
    assert default_storage.exists(paths[still_building.pk])


def test_a_deleted_investigation_takes_its_report_files_off_the_disk(
    report_world, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    investigation = report_world["investigation"]
    path = _stored(investigation, "done", 0, "report.pdf").file.name
    assert default_storage.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        investigation.delete()
    assert not default_storage.exists(path)


def test_a_rolled_back_delete_keeps_the_file(report_world):
    from django.core.files.storage import default_storage
    from django.db import transaction

    report_file = _stored(report_world["investigation"], "done", 0, "kept.pdf")
    pk, path = report_file.pk, report_file.file.name

    class Undo(Exception):
        pass

    def delete_then_fail():
        with transaction.atomic():
            report_file.delete()
            raise Undo

    with pytest.raises(Undo):
        delete_then_fail()
    assert default_storage.exists(path)
    assert ReportFile.objects.filter(pk=pk).exists()


def test_the_prune_command_reports_and_refuses_negative_days(report_world):
    from django.core.management import CommandError, call_command

    _stored(report_world["investigation"], "done", 10, "old.pdf")
    out = io.StringIO()
    call_command("prune_report_files", "--days", "7", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 prepared report file(s) older than 7 day(s)."
    with pytest.raises(CommandError, match="--days must be 0 or more"):
        call_command("prune_report_files", "--days", "-1")


def test_the_estimated_cost_sends_a_480_claim_pdf_to_the_worker(
    client, victor, investigation, bob, rita
):
    """480 claims with three citations each timed out (30 s) when built in the request."""
    make_bulk_claims(investigation, 480, evidence_per_claim=3, proposer=bob, signer=rita)
    client.force_login(victor)
    body = client.get(reverse("claims:report", args=[investigation.slug])).content.decode()
    assert "Prepare PDF" in body
    assert "Prepare Bundle (zip)" in body
    direct = client.get(reverse("claims:report-download", args=[investigation.slug, "pdf"]))
    assert direct.status_code == 302


def test_many_citations_count_too(investigation, bob, rita):
    make_bulk_claims(investigation, 60, evidence_per_claim=1, proposer=bob, signer=rita)
    few = report_files.report_size(investigation)
    assert not report_files.is_built_in_background("pdf", few)
    investigation.sources.all().delete()
    make_bulk_claims(investigation, 60, evidence_per_claim=20, proposer=bob, signer=rita)
    many = report_files.report_size(investigation)
    assert many.claims == few.claims
    assert many.citations == 20 * few.citations
    assert report_files.is_built_in_background("pdf", many)


def test_a_small_report_is_still_built_in_the_request(investigation, bob, rita):
    make_bulk_claims(investigation, 20, evidence_per_claim=3, proposer=bob, signer=rita)
    size = report_files.report_size(investigation)
    assert size[:3] == (20, 60, size.text_chars)
    assert size.unverified == 10  # every other claim of make_bulk_claims is signed off
    assert size.text_chars > 0
    assert not report_files.is_built_in_background("pdf", size)
    assert not report_files.is_built_in_background("csv", size._replace(claims=10**6))


def test_asking_twice_for_the_same_file_reuses_the_build(
    client, victor, alice, report_world, large
):
    client.force_login(victor)
    first = client.post(_prepare("pdf") + "?redact_reviewers=on")
    second = client.post(_prepare("pdf") + "?redact_reviewers=on")
    (report_file,) = ReportFile.objects.all()
    assert first.url == second.url == _detail(report_file)
    client.force_login(alice)  # someone else, same report: the same build
    assert client.post(_prepare("pdf") + "?redact_reviewers=on").url == _detail(report_file)
    client.post(_prepare("pdf"))  # other options: another file
    client.post(_prepare("bundle") + "?redact_reviewers=on")  # another format: another file
    assert ReportFile.objects.count() == 3


def test_a_finished_build_is_not_reused(client, victor, report_world, large):
    client.force_login(victor)
    client.post(_prepare("pdf"))
    ReportFile.objects.update(status=ReportFile.Status.FAILED)
    client.post(_prepare("pdf"))
    assert ReportFile.objects.filter(status="pending").count() == 1


def test_each_person_has_a_few_builds_in_progress_at_most(
    client, victor, alice, report_world, large, settings
):
    settings.REPORT_FILES_PER_USER = 3
    client.force_login(victor)
    for query in ("", "?redact_reviewers=on", "?verified_only=on"):
        assert client.post(_prepare("pdf") + query).status_code == 302
    assert ReportFile.objects.count() == 3

    refused = client.post(_prepare("bundle"), **HTMX)
    assert refused.status_code == 200
    assert "You already have 3 reports being prepared" in refused.content.decode()
    without_htmx = client.post(_prepare("bundle"), follow=True)
    assert "You already have 3 reports being prepared" in without_htmx.content.decode()
    assert ReportFile.objects.count() == 3

    # Asking for one of the three again is no new build, so it is not refused.
    assert client.post(_prepare("pdf")).status_code == 302
    # Someone else has builds of their own.
    client.force_login(alice)
    assert client.post(_prepare("bundle")).status_code == 302
    assert ReportFile.objects.count() == 4
    # Once one of victor's is ready, he may ask for another.
    client.force_login(victor)
    ReportFile.objects.filter(requested_by=victor, options__verified_only=True).update(
        status=ReportFile.Status.DONE
    )
    client.post(_prepare("bundle") + "?verified_only=on")
    assert ReportFile.objects.filter(requested_by=victor).count() == 4


def _retry(report_file):
    return reverse("claims:report-file-retry", args=[report_file.pk])


def test_a_failed_build_can_be_tried_again(
    client, victor, report_world, django_capture_on_commit_callbacks
):
    report_file = ReportFile.objects.create(
        investigation=report_world["investigation"],
        format_name="bundle",
        status="failed",
        error="The report could not be built.",
    )
    client.force_login(victor)
    assert _retry(report_file) in client.get(_detail(report_file), **HTMX).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_retry(report_file))
    assert response.status_code == 302
    assert response.url == _detail(report_file)
    report_file.refresh_from_db()
    assert report_file.status == "done"
    assert report_file.error == ""
    assert report_file.requested_by == victor


def test_a_ready_file_is_left_as_it_is_by_a_retry(client, victor, report_world):
    report_file = _stored(report_world["investigation"], "done", 0, "ready.pdf")
    client.force_login(victor)
    client.post(_retry(report_file))
    report_file.refresh_from_db()
    assert report_file.status == "done"
    assert report_file.file.name.endswith("ready.pdf")


def test_a_retry_counts_towards_the_limit(client, victor, report_world, settings):
    settings.REPORT_FILES_PER_USER = 1
    investigation = report_world["investigation"]
    ReportFile.objects.create(investigation=investigation, format_name="pdf", requested_by=victor)
    failed = ReportFile.objects.create(
        investigation=investigation, format_name="bundle", status="failed"
    )
    client.force_login(victor)
    response = client.post(_retry(failed), **HTMX)
    assert "You already have 1 report being prepared" in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == "failed"
