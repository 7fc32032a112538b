"""Pictures of known text, for testing and measuring text recognition (recognition.py).

`scan_pages(pages)` draws each page's lines in a DejaVu font on white, as a 300 dpi scanner
would see a printed page, and can degrade it the way photos and photocopies are: a slight
tilt, blur, speckle noise and JPEG compression. The text is known, so the recognised text can
be scored against it (benchmarks/ocr.py).
"""

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_FOLDERS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/liberation"),
)
FONT_FILES = ("DejaVuSerif.ttf", "DejaVuSans.ttf", "LiberationSerif-Regular.ttf")


def font(size=34):
    """A font with Latin and Cyrillic letters (Debian's fonts-dejavu-core or fonts-liberation)."""
    for folder in FONT_FOLDERS:
        for name in FONT_FILES:
            if (folder / name).exists():
                return ImageFont.truetype(str(folder / name), size)
    raise FileNotFoundError(
        "No DejaVu or Liberation font found (apt-get install fonts-dejavu-core)"
    )


def scan_page(lines, *, width=1800, tilt=0.0, blur=0.0, noise=0.0, shrink=1.0, seed=0):
    """One greyscale page with `lines` drawn on it, degraded as asked (`shrink` 3 draws it at a
    third of the resolution, as a photo taken from afar, and enlarges it back)."""
    face = font()
    line_height = 58
    height = max(400, 140 + line_height * len(lines))
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    for number, line in enumerate(lines):
        draw.text((80, 70 + number * line_height), line, font=face, fill=20)
    if noise:
        rng = random.Random(seed)
        pixels = page.load()
        for _ in range(int(width * height * noise)):
            x, y = rng.randrange(width), rng.randrange(height)
            pixels[x, y] = rng.choice((0, 255))
    if tilt:
        page = page.rotate(tilt, fillcolor=255, resample=Image.Resampling.BICUBIC)
    if blur:
        page = page.filter(ImageFilter.GaussianBlur(blur))
    if shrink > 1:
        small = page.resize((int(width / shrink), int(height / shrink)), Image.Resampling.BILINEAR)
        page = small.resize((width, height), Image.Resampling.BILINEAR)
    return page


def as_bytes(pages, *, fmt="PNG", quality=85):
    """The pages as one file: PNG or JPEG (first page only), TIFF or PDF (every page)."""
    out = io.BytesIO()
    first, rest = pages[0], pages[1:]
    if fmt in ("TIFF", "PDF"):
        first.save(out, fmt, save_all=True, append_images=rest, resolution=300)
    elif fmt == "JPEG":
        first.save(out, fmt, quality=quality)
    else:
        first.save(out, fmt)
    return out.getvalue()
