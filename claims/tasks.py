"""Background tasks. Each takes ids, loads rows and calls a domain function, nothing more."""

from django.tasks import task

from claims import capture, marking, report_files
from claims.models import ReportFile, Snapshot, Source


@task
def capture_snapshot(snapshot_id):
    snapshot = Snapshot.objects.select_related("evidence", "requested_by").get(pk=snapshot_id)
    capture.run_capture(snapshot)


@task
def extract_source(source_id):
    marking.run_extraction(Source.objects.select_related("investigation").get(pk=source_id))


@task
def build_report_file(report_file_id):
    report_files.build_report_file(
        ReportFile.objects.select_related("investigation").get(pk=report_file_id)
    )
