"""Pictures cited as evidence: what a photo says about itself, a safe copy, and a fingerprint.

A photo from outside carries two kinds of risk. Its bytes were written by someone else, so the
workbench never shows them as they are: browsers get a copy decoded and encoded again here
(the "published copy", full size, and a thumbnail), turned upright by its EXIF orientation and
holding no metadata at all. And its metadata may name a person or a place (GPS, the camera's
serial number, its owner): it is read into plain values, shown to members, and left out of
published reports unless the exporter asks for it (PERSONAL_KEYS).

The fingerprint is a 64-bit difference hash (dHash): the upright picture shrunk to 9 by 8 grey
pixels, one bit per pair of neighbours in a row, set when the left one is brighter. Shrinking
throws away what re-encoding, resizing and light compression change, so copies of one photo
differ in a few bits while different photos differ in about half of them (32 of 64).
DUPLICATE_DISTANCE is the most bits two pictures may differ in to count as the same picture:
6. Copies of one picture resized to a quarter and saved at JPEG quality 30 differ in 0 to 2
bits (tests/test_pictures.py); the closest pair among 40 different drawn street scenes, all
sky above buildings above people, differs in 10, and unrelated pictures in 31 on average. So 6
leaves room for light edits (a crop of a few pixels, a brightness change) without calling
two photos of the same kind of scene the same picture.

Plain Python and Pillow; no database. HEIC is read through pillow-heif when it is installed.
"""

import io
from dataclasses import dataclass, field

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

try:  # pragma: no branch - either installed or not on a given machine
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIC_READABLE = True
except ImportError:  # pragma: no cover
    HEIC_READABLE = False

THUMBNAIL_EDGE = 320
DUPLICATE_DISTANCE = 6
# A hash with almost every bit equal comes from a picture without features (one colour, a
# plain gradient): all of those look alike to dHash, so they are never called duplicates.
FEATURELESS_BITS = 4
JPEG_QUALITY = 90
THUMBNAIL_QUALITY = 80

# Metadata that can identify a person or a place: left out of published reports by default.
PERSONAL_KEYS = ("gps", "camera_serial", "lens_serial", "owner", "artist")
# Text values are cut here: metadata is written by cameras and editors, and by anyone else.
VALUE_MAX_CHARS = 200

_EXIF = {
    "camera_make": ExifTags.Base.Make,
    "camera_model": ExifTags.Base.Model,
    "software": ExifTags.Base.Software,
    "artist": ExifTags.Base.Artist,
}
_EXIF_IFD = {
    "owner": ExifTags.Base.CameraOwnerName,
    "camera_serial": ExifTags.Base.BodySerialNumber,
    "lens_serial": ExifTags.Base.LensSerialNumber,
}


class PictureError(ValueError):
    """The bytes are not a picture that can be read, or one too large to read safely."""


@dataclass(frozen=True)
class Picture:
    """What the workbench keeps of a picture besides its original bytes."""

    width: int
    height: int
    metadata: dict
    dhash: str
    copy: bytes
    copy_type: str
    thumbnail: bytes
    thumbnail_type: str = "image/jpeg"
    notes: list[str] = field(default_factory=list)


def read_picture(data, *, max_pixels):
    """Decode `data` (bytes of a PNG, JPEG, WebP or HEIC) into a Picture.

    The size is checked from the header before any pixel is decoded, so a small file that
    would unpack to billions of pixels (a decompression bomb) is refused without the memory.
    Raises PictureError for a damaged, truncated or oversized picture.
    """
    _check_complete(data)
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise PictureError(
                    f"The picture is too large to read safely ({width:,} by {height:,} pixels; "
                    f"at most {max_pixels:,} pixels)."
                )
            metadata = read_metadata(image)
            image.load()
            upright = ImageOps.exif_transpose(image)
            clean = _without_metadata(upright)
    except PictureError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        raise PictureError("The picture is damaged or truncated; it could not be read.") from error
    except Image.DecompressionBombError as error:
        raise PictureError("The picture is too large to read safely.") from error
    has_alpha = clean.mode in ("RGBA", "LA")
    copy_type = "image/png" if has_alpha else "image/jpeg"
    copy = _encode(clean, copy_type, JPEG_QUALITY)
    small = clean.copy()
    small.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE), Image.Resampling.LANCZOS)
    thumbnail_type = "image/png" if has_alpha else "image/jpeg"
    return Picture(
        width=clean.width,
        height=clean.height,
        metadata=metadata,
        dhash=dhash(small),
        copy=copy,
        copy_type=copy_type,
        thumbnail=_encode(small, thumbnail_type, THUMBNAIL_QUALITY),
        thumbnail_type=thumbnail_type,
    )


def _check_complete(data):
    """Refuse a PNG, JPEG or WebP cut short, whatever Pillow is told to do with one.

    Pillow decodes a truncated picture without complaint once ImageFile.LOAD_TRUNCATED_IMAGES
    is set, and WeasyPrint sets it for the whole process when it is imported (for the PDF
    reports), so the end of the file is checked here: a PNG ends with its IEND chunk, a JPEG
    with its end-of-image marker, a WebP is as long as its RIFF header says.
    """
    tail = data[-64:].rstrip(b"\x00\r\n ")
    if (
        (data.startswith(b"\x89PNG") and b"IEND" not in tail)
        or (data.startswith(b"\xff\xd8") and b"\xff\xd9" not in tail)
        or (data.startswith(b"RIFF") and int.from_bytes(data[4:8], "little") + 8 > len(data))
    ):
        complete = False
    else:
        complete = True
    if not complete:
        raise PictureError("The picture is damaged or truncated; it could not be read.")


def _without_metadata(image):
    """A new image of the same pixels and nothing else (no EXIF, ICC, comments, text chunks).

    Built from the raw pixels, so no `info` entry of the original can ride along into a save.
    """
    mode = image.mode
    if mode in ("P", "PA"):
        mode = "RGBA" if "transparency" in image.info or mode == "PA" else "RGB"
    elif mode not in ("RGB", "RGBA", "L", "LA"):
        mode = "RGBA" if "A" in mode else "RGB"
    converted = image.convert(mode) if mode != image.mode else image
    return Image.frombytes(mode, converted.size, converted.tobytes())


def _encode(image, content_type, quality):
    output = io.BytesIO()
    if content_type == "image/png":
        image.save(output, format="PNG")
    else:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(output, format="JPEG", quality=quality, optimize=True)
    return output.getvalue()


def dhash(image):
    """The 64-bit difference hash of `image` as 16 hex digits (see the module's docstring)."""
    grey = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = grey.tobytes()
    bits = 0
    for row in range(8):
        for column in range(8):
            left, right = pixels[row * 9 + column], pixels[row * 9 + column + 1]
            bits = (bits << 1) | (left > right)
    return f"{bits:016x}"


def distance(first, second):
    """How many of the 64 bits two hashes differ in."""
    return (int(first, 16) ^ int(second, 16)).bit_count()


def is_featureless(hash_hex):
    ones = int(hash_hex, 16).bit_count()
    return ones <= FEATURELESS_BITS or ones >= 64 - FEATURELESS_BITS


def look_alike(first, second):
    """True when two dHashes are the same picture by DUPLICATE_DISTANCE (never featureless)."""
    if not first or not second or is_featureless(first) or is_featureless(second):
        return False
    return distance(first, second) <= DUPLICATE_DISTANCE


# --- Metadata ------------------------------------------------------------------------------


def read_metadata(image):
    """The picture's own account of itself, as plain JSON values; missing ones left out.

    Keys: taken_at (ISO 8601 as the camera wrote it, with its offset when given), camera_make,
    camera_model, software, and the personal ones (PERSONAL_KEYS): gps {latitude, longitude}
    in decimal degrees (south and west negative), camera_serial, lens_serial, owner, artist.
    Damaged metadata is skipped, never fatal: the pixels are the evidence.
    """
    try:
        exif = image.getexif()
        exif_ifd = exif.get_ifd(ExifTags.IFD.Exif)
        gps_ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except (OSError, ValueError, SyntaxError, KeyError, TypeError):
        return {}
    found = {}
    taken = _text(exif_ifd.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime))
    if taken:
        found["taken_at"] = _iso_time(taken, _text(exif_ifd.get(ExifTags.Base.OffsetTimeOriginal)))
    for key, tag in _EXIF.items():
        if value := _text(exif.get(tag)):
            found[key] = value
    for key, tag in _EXIF_IFD.items():
        if value := _text(exif_ifd.get(tag)):
            found[key] = value
    if position := _gps(gps_ifd):
        found["gps"] = position
    return found


def public_metadata(metadata):
    """`metadata` without PERSONAL_KEYS: what a report publishes by default."""
    return {key: value for key, value in metadata.items() if key not in PERSONAL_KEYS}


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = "".join(ch for ch in str(value) if ch.isprintable())
    return text.strip()[:VALUE_MAX_CHARS]


def _iso_time(value, offset):
    """ "2022:01:05 14:03:07" -> "2022-01-05T14:03:07" (+ "+06:00"); other text as written."""
    date, _, time = value.partition(" ")
    parts = date.split(":")
    if len(parts) != 3 or not all(part.isdigit() for part in parts) or not time:
        return value
    stamp = f"{'-'.join(parts)}T{time}"
    if offset and len(offset) == 6 and offset[0] in "+-":
        stamp += offset
    return stamp


def _gps(gps_ifd):
    try:
        latitude = _degrees(
            gps_ifd[ExifTags.GPS.GPSLatitude], gps_ifd.get(ExifTags.GPS.GPSLatitudeRef)
        )
        longitude = _degrees(
            gps_ifd[ExifTags.GPS.GPSLongitude], gps_ifd.get(ExifTags.GPS.GPSLongitudeRef)
        )
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return {"latitude": round(latitude, 6), "longitude": round(longitude, 6)}


def _degrees(parts, reference):
    degrees, minutes, seconds = (float(part) for part in parts)
    value = degrees + minutes / 60 + seconds / 3600
    if _text(reference).upper() in ("S", "W"):
        value = -value
    return value
