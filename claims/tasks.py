"""Background tasks. Each takes ids, loads rows and calls a domain function, nothing more."""

from django.tasks import task

from claims import capture, marking
from claims.models import Snapshot, Source


@task
def capture_snapshot(snapshot_id):
    snapshot = Snapshot.objects.select_related("evidence", "requested_by").get(pk=snapshot_id)
    capture.run_capture(snapshot)


@task
def extract_source(source_id):
    marking.run_extraction(Source.objects.select_related("investigation").get(pk=source_id))
