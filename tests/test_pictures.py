"""Pictures, without a database: metadata read, a clean upright copy, and the perceptual hash
that tells a resized or re-encoded copy from a different photo."""

import io
import itertools

import pytest
from PIL import Image

from claims.devdata.photos import photo_bytes
from claims.evidence import pictures

LIMIT = 50_000_000


def read(data):
    return pictures.read_picture(data, max_pixels=LIMIT)


def test_capture_time_camera_and_gps_are_read():
    picture = read(
        photo_bytes(
            1,
            taken_at="2022:01:05 14:03:07",
            make="Canon",
            model="EOS 6D",
            gps=(-33.8688, 151.2093),
            serial="083024001234",
            owner="Aigerim K.",
        )
    )
    assert picture.metadata == {
        "taken_at": "2022-01-05T14:03:07",
        "camera_make": "Canon",
        "camera_model": "EOS 6D",
        "gps": {"latitude": -33.8688, "longitude": 151.2093},
        "camera_serial": "083024001234",
        "owner": "Aigerim K.",
    }
    assert pictures.public_metadata(picture.metadata) == {
        "taken_at": "2022-01-05T14:03:07",
        "camera_make": "Canon",
        "camera_model": "EOS 6D",
    }


def test_a_picture_without_exif_has_no_metadata():
    assert read(photo_bytes(1, image_format="PNG", size=(200, 133))).metadata == {}


def test_metadata_with_control_characters_is_cleaned():
    picture = read(photo_bytes(1, make="Can\x00on\x07", model="X" * 500))
    assert picture.metadata["camera_make"] == "Canon"
    assert len(picture.metadata["camera_model"]) == pictures.VALUE_MAX_CHARS


@pytest.mark.parametrize("kind", ["copy", "thumbnail"])
def test_copies_carry_no_metadata(kind):
    data = photo_bytes(1, make="Canon", gps=(43.2, 76.9), owner="Aigerim K.")
    picture = read(data)
    encoded = getattr(picture, kind)
    with Image.open(io.BytesIO(encoded)) as image:
        assert not image.getexif()
        assert "icc_profile" not in image.info
    assert b"Aigerim" not in encoded
    assert b"Canon" not in encoded


def test_exif_orientation_is_applied_to_the_copies():
    # Stored landscape, marked "rotate 90°": shown portrait, as the camera was held.
    picture = read(photo_bytes(1, size=(300, 200), orientation=6))
    assert (picture.width, picture.height) == (200, 300)
    with Image.open(io.BytesIO(picture.thumbnail)) as thumbnail:
        assert thumbnail.height > thumbnail.width
        assert max(thumbnail.size) <= pictures.THUMBNAIL_EDGE


def test_a_transparent_png_keeps_its_transparency():
    output = io.BytesIO()
    Image.new("RGBA", (50, 40), (255, 0, 0, 128)).save(output, format="PNG")
    picture = read(output.getvalue())
    assert picture.copy_type == "image/png"
    with Image.open(io.BytesIO(picture.copy)) as copy:
        assert copy.mode == "RGBA"


@pytest.mark.skipif(not pictures.HEIC_READABLE, reason="pillow-heif is not installed")
def test_a_heic_photo_is_read():
    output = io.BytesIO()
    Image.open(io.BytesIO(photo_bytes(1, size=(300, 200)))).save(output, format="HEIF")
    picture = read(output.getvalue())
    assert (picture.width, picture.height) == (300, 200)
    assert pictures.look_alike(picture.dhash, read(photo_bytes(1)).dhash)


# --- The perceptual hash -------------------------------------------------------------------


@pytest.mark.parametrize(
    "copy",
    [
        {"size": (300, 200), "quality": 30},
        {"size": (600, 400), "quality": 60},
        {"quality": 15},
        {"image_format": "PNG", "size": (400, 267)},
        {"image_format": "WEBP"},
    ],
)
def test_a_resized_or_re_encoded_copy_looks_alike(copy):
    original, duplicate = read(photo_bytes(3)), read(photo_bytes(3, **copy))
    assert pictures.distance(original.dhash, duplicate.dhash) <= 2
    assert pictures.look_alike(original.dhash, duplicate.dhash)


def test_different_photos_do_not_look_alike():
    hashes = [read(photo_bytes(seed, size=(300, 200))).dhash for seed in range(1, 21)]
    for first, second in itertools.combinations(hashes, 2):
        assert not pictures.look_alike(first, second)
        assert pictures.distance(first, second) > pictures.DUPLICATE_DISTANCE


def test_featureless_pictures_never_look_alike():
    flat = Image.new("RGB", (100, 100), (20, 20, 20))
    assert pictures.dhash(flat) == "0000000000000000"
    assert not pictures.look_alike(pictures.dhash(flat), pictures.dhash(flat))


def test_distance_counts_differing_bits():
    assert pictures.distance("0000000000000000", "000000000000000f") == 4
    assert pictures.distance("ffffffffffffffff", "0000000000000000") == 64


def test_the_pixel_limit_is_checked_before_decoding():
    with pytest.raises(pictures.PictureError, match="too large"):
        pictures.read_picture(photo_bytes(1, size=(300, 200)), max_pixels=100)


@pytest.mark.parametrize(
    "data",
    [
        photo_bytes(4, size=(300, 200)),
        photo_bytes(4, size=(300, 200), image_format="PNG"),
        photo_bytes(4, size=(300, 200), image_format="WEBP"),
    ],
)
def test_a_truncated_picture_is_refused_even_where_pillow_would_load_it(data, monkeypatch):
    # WeasyPrint switches this on for the whole process when the PDF renderer is imported.
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    assert read(data).width == 300
    with pytest.raises(pictures.PictureError, match="truncated"):
        read(data[: len(data) * 2 // 3])
