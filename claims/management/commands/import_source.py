"""Import a file or a web page as a source of an investigation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.models import Investigation, InvestigationArchived
from claims.sources import importing
from claims.weblinks import is_web_link


class Command(BaseCommand):
    help = "Import a .txt, .md, .html, .pdf or .docx file, or a URL, as a source."

    def add_arguments(self, parser):
        parser.add_argument("--investigation", metavar="SLUG", required=True)
        parser.add_argument("path_or_url", metavar="PATH_OR_URL")
        parser.add_argument("--title", default="", help="Defaults to the document's own title.")
        parser.add_argument(
            "--extract", action="store_true", help="Also propose claims from the text."
        )

    def handle(self, *args, investigation, path_or_url, title, extract, **options):
        found = Investigation.objects.filter(slug=investigation).first()
        if found is None:
            raise CommandError(f"No investigation with the slug {investigation!r}.")
        if found.is_archived:
            raise CommandError(f"{investigation} is archived; restore it to add sources.")
        try:
            if is_web_link(path_or_url):
                source = importing.import_url(
                    found, actor=None, url=path_or_url, title=title, run_extraction=extract
                )
            else:
                path = Path(path_or_url)
                if not path.is_file():
                    raise CommandError(f"{path_or_url}: no such file.")
                source = importing.import_file(
                    found,
                    actor=None,
                    filename=path.name,
                    data=path.read_bytes(),
                    title=title,
                    run_extraction=extract,
                )
        except importing.SourceImportError as error:
            raise CommandError(f"{path_or_url}: {error}") from error
        except InvestigationArchived as error:  # archived while the file was read
            raise CommandError(f"{investigation}: {error}") from error
        self.stdout.write(
            f"Imported source {source.pk} “{source.title}”: {len(source.text):,} characters, "
            f"text SHA-256 {source.text_sha256}, original SHA-256 {source.original_sha256}, "
            f"{source.claims.count()} suggested claim(s)."
        )
