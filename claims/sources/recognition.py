"""Text recognition (OCR) of scans and photos with Tesseract. No database.

A scanned PDF (one without a text layer) or an image (PNG, JPEG, TIFF) becomes text here, in
the task worker: each page is drawn as a picture (`pdftoppm` for PDFs, Pillow for images),
read by the `tesseract` program with its word boxes and confidences (TSV output), and put back
together as lines and paragraphs. The result keeps

- where each page starts in the text, so a claim can say which page it is on;
- the words Tesseract was unsure of (confidence under OCR_DOUBTFUL_BELOW), so the reader can
  mark them for a person to check against the original.

Both programs run as subprocesses with a time limit, on files in a private temporary folder;
the bytes decide what a file is, never its name.
"""

import bisect
import functools
import io
import itertools
import re
import shutil
import statistics
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from PIL import Image, UnidentifiedImageError

IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)
# Resolution PDF pages are drawn at: Tesseract reads best at about 300 dots per inch.
PDF_DPI = 300
_PAGE_TIMEOUT_SECONDS = 120


class RecognitionError(ValueError):
    """The scan cannot be read; str() says why in one sentence."""


@dataclass
class Recognised:
    """The text of a scan, with where each page starts and which words are doubtful."""

    text: str
    page_starts: list[int] = field(default_factory=list)
    # (start, end, confidence) of each word read with low confidence, offsets into `text`.
    doubtful: list[tuple[int, int, int]] = field(default_factory=list)
    mean_confidence: float = 0.0
    engine: str = ""
    # The language packs Tesseract read with ("eng+rus+kaz"): OCR_LANGUAGES, the installed ones.
    languages: str = ""

    def as_record(self):
        """What the Source keeps of the recognition (JSON)."""
        return {
            "engine": self.engine,
            "languages": self.languages or settings.OCR_LANGUAGES,
            "pages": self.page_starts,
            "doubtful": [list(word) for word in self.doubtful],
            "doubtful_below": settings.OCR_DOUBTFUL_BELOW,
            "mean_confidence": round(self.mean_confidence, 1),
        }


def is_available():
    """True when the programs recognition needs are installed."""
    return shutil.which("tesseract") is not None and shutil.which("pdftoppm") is not None


@functools.cache
def installed_languages():
    """The language packs Tesseract has on this machine (`tesseract --list-langs`), read once
    a process; empty when it is not installed."""
    try:
        completed = _run(["tesseract", "--list-langs"], cwd=None, failure="")
    except RecognitionError:
        return frozenset()
    # The first line says where they are; older versions print the list on stderr.
    lines = (completed.stdout or completed.stderr).splitlines()[1:]
    return frozenset(line.strip() for line in lines if line.strip())


def languages():
    """OCR_LANGUAGES without the packs this machine lacks ("eng+rus+kaz" reads as "eng+rus"
    where tesseract-ocr-kaz is not installed); RecognitionError when none is left."""
    installed = installed_languages()
    chosen = [name for name in settings.OCR_LANGUAGES.split("+") if name and name in installed]
    if not chosen:
        raise RecognitionError(
            f"None of the languages set for text recognition ({settings.OCR_LANGUAGES}) is "
            "installed on this server."
        )
    return "+".join(chosen)


def image_kind(data):
    """ "png", "jpeg" or "tiff" when the bytes start like one, else None."""
    for signature, kind in IMAGE_SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def check_image(data):
    """Refuse, before anything is stored, an image that is not one or is too large to read.

    Returns the number of pages (frames of a TIFF). Pillow reads only the header here.
    """
    if image_kind(data) is None:
        raise RecognitionError("The file is not a PNG, JPEG or TIFF image.")
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            pages = getattr(image, "n_frames", 1)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise RecognitionError(
            "The image is damaged or not an image; it could not be read."
        ) from error
    if width * height > settings.OCR_MAX_PIXELS:
        raise RecognitionError(
            f"The image is too large to read ({width} by {height} pixels; "
            f"at most {settings.OCR_MAX_PIXELS:,} pixels)."
        )
    _check_page_count(pages)
    return pages


def _check_page_count(pages):
    if pages > settings.OCR_MAX_PAGES:
        raise RecognitionError(
            f"The scan has {pages} pages; at most {settings.OCR_MAX_PAGES} can be recognised."
        )


def recognise(data, *, kind, on_page: Callable[[int, int], None] | None = None):
    """Read the text of a scanned PDF (`kind` "pdf") or an image ("image").

    `on_page(done, total)` is called before the first page and after each, for progress.
    Raises RecognitionError.
    """
    if not is_available():
        raise RecognitionError("Text recognition is not installed on this server (tesseract).")
    with tempfile.TemporaryDirectory(prefix="factcheck-ocr-") as folder:
        pages = (
            _pdf_pages(data, Path(folder)) if kind == "pdf" else _image_pages(data, Path(folder))
        )
        _check_page_count(len(pages))
        chosen = languages()
        builder = _TextBuilder()
        for number, page in enumerate(pages):
            if on_page:
                on_page(number, len(pages))
            builder.add_page(_tesseract_tsv(page, chosen))
        if on_page:
            on_page(len(pages), len(pages))
    found = builder.result(engine=engine_version())
    found.languages = chosen
    return found


def engine_version():
    """ "tesseract 5.3.0", as the program says of itself."""
    try:
        completed = _run(["tesseract", "--version"], cwd=None, failure="")
    except RecognitionError:
        return "tesseract"
    first_line = (completed.stdout or completed.stderr).splitlines()[:1]
    return first_line[0].strip() if first_line else "tesseract"


def _pdf_pages(data, folder):
    (folder / "scan.pdf").write_bytes(data)
    _run(
        ["pdftoppm", "-r", str(PDF_DPI), "-gray", "-png", "scan.pdf", "page"],
        cwd=folder,
        failure="The PDF's pages could not be drawn for recognition.",
    )
    # pdftoppm numbers pages with as many digits as the last page needs: page-01 ... page-12.
    return sorted(folder.glob("page-*.png"), key=lambda path: int(path.stem.rsplit("-", 1)[1]))


def _image_pages(data, folder):
    check_image(data)
    pages = []
    try:
        with Image.open(io.BytesIO(data)) as image:
            for number in range(getattr(image, "n_frames", 1)):
                image.seek(number)
                path = folder / f"page-{number + 1}.png"
                # Grey PNG: what Tesseract reads best, whatever the mode of the original.
                image.convert("L").save(path)
                pages.append(path)
    except (OSError, ValueError) as error:
        raise RecognitionError("The image is damaged; it could not be read.") from error
    return pages


def _tesseract_tsv(page, chosen):
    completed = _run(
        ["tesseract", str(page), "stdout", "-l", chosen, "tsv"],
        cwd=page.parent,
        failure="Tesseract could not read a page of the scan.",
    )
    return completed.stdout


def _run(command, *, cwd, failure):
    program = shutil.which(command[0])
    if program is None:
        raise RecognitionError(f"{failure} ({command[0]} is not installed)")
    try:
        # A fixed program with arguments we wrote and file names in our own temporary folder:
        # nothing from the upload reaches the command line.
        completed = subprocess.run(  # noqa: S603
            [program, *command[1:]],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=_PAGE_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise RecognitionError(
            f"{failure} (it took longer than {_PAGE_TIMEOUT_SECONDS} s)"
        ) from error
    if completed.returncode != 0:
        raise RecognitionError(failure)
    return completed


class _TextBuilder:
    """Puts Tesseract's words back together: a space between words, a line break between
    lines, a blank line between paragraphs and between pages."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0
        self.page_starts: list[int] = []
        self.doubtful: list[tuple[int, int, int]] = []
        self.confidences: list[float] = []

    def _append(self, piece):
        self.parts.append(piece)
        self.length += len(piece)

    def add_page(self, tsv):
        if self.length:
            self._append("\n\n")
        # An empty page keeps its place too, so later pages keep their numbers.
        self.page_starts.append(self.length)
        lines = _lines_of(tsv)
        for index, (line, opens) in enumerate(zip(lines, _paragraph_starts(lines), strict=True)):
            if index:
                self._append("\n\n" if opens else "\n")
            for number, (word, confidence) in enumerate(line.words):
                if number:
                    self._append(" ")
                start = self.length
                self._append(word)
                self.confidences.append(confidence)
                if confidence < settings.OCR_DOUBTFUL_BELOW:
                    self.doubtful.append((start, self.length, round(confidence)))

    def result(self, *, engine):
        mean = sum(self.confidences) / len(self.confidences) if self.confidences else 0.0
        return Recognised(
            text="".join(self.parts),
            page_starts=self.page_starts,
            doubtful=self.doubtful,
            mean_confidence=mean,
            engine=engine,
        )


@dataclass
class _Line:
    paragraph: tuple[int, int]
    words: list[tuple[str, float]]
    top: int
    bottom: int


def _lines_of(tsv):
    """The lines of one page's TSV in reading order, each with its words and confidences."""
    lines: dict[tuple[int, int, int], _Line] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        word = cells[11].strip()
        if not word:
            continue
        block, paragraph, line_number = int(cells[2]), int(cells[3]), int(cells[4])
        key = (block, paragraph, line_number)
        top, height = int(cells[7]), int(cells[9])
        if key not in lines:
            lines[key] = _Line(paragraph=(block, paragraph), words=[], top=top, bottom=top + height)
        line = lines[key]
        line.words.append((word, float(cells[10])))
        line.top, line.bottom = min(line.top, top), max(line.bottom, top + height)
    for found in lines.values():
        found.words = repair_mixed_script(found.words)
    return list(lines.values())


def _paragraph_starts(lines):
    """Which lines start a new paragraph: Tesseract says so and the page shows it, by a gap
    half again as wide as the page's usual gap between lines. Tesseract now and then cuts a
    block in the middle of a sentence; a blank line there would split it for extraction."""
    gaps = [line.top - previous.bottom for previous, line in itertools.pairwise(lines)]
    usual = statistics.median(gaps) if gaps else 0
    return [
        index > 0
        and line.paragraph != lines[index - 1].paragraph
        and gaps[index - 1] > max(usual * 1.5, 0)
        for index, line in enumerate(lines)
    ]


# Latin letters that look the same as Cyrillic ones, and the Cyrillic letter each stands for.
# With English and Russian both loaded, Tesseract now and then reads a short Russian word in
# these letters ("на" as "Ha"); a search for "на" would not find it.
_LOOKALIKES = str.maketrans(
    "AaBCcEeHKkMOoPpTXxyY",
    "АаВСсЕеНКкМОоРрТХхуУ",
)
_LOOKALIKE_WORD = re.compile(r"[AaBCcEeHKkMOoPpTXxyY]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


def repair_mixed_script(words):
    """Words spelled only with look-alike Latin letters, on a line that is mostly Cyrillic,
    are given their Cyrillic letters. Other words are left exactly as read."""
    cyrillic = sum(1 for word, _ in words if _CYRILLIC.search(word))
    latin = sum(1 for word, _ in words if _LATIN.search(word) and not _CYRILLIC.search(word))
    if cyrillic <= latin:
        return words
    repaired: list[tuple[str, float]] = []
    for word, confidence in words:
        letters = word.strip(".,;:!?«»\"'()—-")
        if letters and _LOOKALIKE_WORD.fullmatch(letters):
            word = word.translate(_LOOKALIKES)
            # Small Cyrillic н, к, м, т look like small capitals, and come back as capitals:
            # "на" is read "Ha". Inside a sentence, such a word is lower case.
            inside = repaired and not repaired[-1][0].endswith((".", "!", "?", "…"))
            if inside and word[:1].isupper() and word[1:].islower():
                word = word.lower()
        repaired.append((word, confidence))
    return repaired


def page_of(page_starts, offset):
    """The 1-based page number of the character at `offset`, or None without a page map."""
    if not page_starts:
        return None
    return max(bisect.bisect_right(page_starts, offset), 1)
