"""Fetch a URL through the guarded capture pipeline and print what would be archived, as JSON.

Nothing is stored. A refused or failed URL exits with status 1 and one readable line.
"""

import hashlib
import json

from django.core.management.base import BaseCommand, CommandError

from claims.evidence import archiving, capture


class Command(BaseCommand):
    help = "Capture URL through the SSRF-guarded fetcher and print the snapshot metadata as JSON."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--text", action="store_true", help="Include the extracted text.")

    def handle(self, *args, url, text, **options):
        try:
            fetched = archiving.fetch(url)
        except archiving.CaptureError as error:
            raise CommandError(str(error)) from error
        if fetched.status >= 400:
            raise CommandError(f"{url}: the server answered HTTP {fetched.status}.")
        page = capture.read_page(fetched)
        record = {
            "url": fetched.url,
            "final_url": fetched.final_url,
            "http_status": fetched.status,
            "content_type": fetched.content_type,
            "fetched_at": fetched.fetched_at.isoformat(),
            "sha256": hashlib.sha256(fetched.body).hexdigest(),
            "bytes": len(fetched.body),
            "address": fetched.address,
            "redirects": fetched.redirects,
            "method": fetched.method,
            "extractor": page.extractor,
            "metadata": page.metadata,
            "text_chars": len(page.text),
        }
        if text:
            record["text"] = page.text
        self.stdout.write(json.dumps(record, indent=2, ensure_ascii=False))
