"""The worker's reading of a scanned source: recognise its pages, then fill in its text once.

A scan's source is stored at upload with an empty text and `recognition == {"state":
"pending"}`; its extraction job (marking.run_extraction) calls `read_scan` first. The text of a
saved source never changes (Source.save refuses it); an empty one is filled here exactly once,
by an update that only matches while it is still empty, so two workers cannot both fill it.
"""

from django.db import transaction

from claims.models import Source
from claims.review import audit
from claims.sources import documents, recognition
from claims.sources.anchoring import sha256_text


def read_scan(source):
    """Recognise `source`'s original file and store the text. Raises RecognitionError."""
    with source.original_file.open("rb") as original:
        data = original.read()
    kind = documents.binary_kind(data)
    if kind is None:
        raise recognition.RecognitionError("The original file is not a PDF or an image.")

    def progress(done, total):
        Source.objects.filter(pk=source.pk).update(
            recognition={"state": "running", "pages_done": done, "pages_total": total}
        )

    found = recognition.recognise(data, kind=kind, on_page=progress)
    if not found.text.strip():
        raise recognition.RecognitionError("No text could be recognised in the scan.")
    record = found.as_record() | {"state": "done"}
    with transaction.atomic():
        filled = Source.objects.filter(pk=source.pk, text="").update(
            text=found.text, text_sha256=sha256_text(found.text), recognition=record
        )
        if not filled:
            raise recognition.RecognitionError("The scan's text had been filled in already.")
        # Read again, so the instance knows its text as saved (Source.save compares with it).
        source = Source.objects.select_related("investigation").get(pk=source.pk)
        # The worker read it: no person is the actor. The page cache and counts follow writes
        # through the audit trail, so the filled text is recorded like any change.
        audit.record(
            None,
            "source.recognise",
            source,
            investigation=source.investigation,
            after={
                "sha256": source.text_sha256,
                "pages": len(found.page_starts),
                "engine": found.engine,
                "mean_confidence": record["mean_confidence"],
                "doubtful_words": len(found.doubtful),
            },
        )
    return source
