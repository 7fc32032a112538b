"""Photos drawn for the demo and the tests: a scene of shapes, with the EXIF a camera writes.

Each seed draws a different scene (sky, buildings, a crowd of figures), so two seeds are two
different photos to a perceptual hash, while one seed saved at another size or quality is the
same photo. Nothing is downloaded; only Pillow draws.
"""

import io
import random

from PIL import ExifTags, Image, ImageDraw, ImageFilter


def draw_scene(seed, size=(1200, 800)):
    """An RGB picture of a street scene made of shapes, different for every seed."""
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    top = (rng.randrange(60, 200), rng.randrange(90, 200), rng.randrange(160, 255))
    for y in range(height):  # sky fading to the ground
        shade = y / height
        colour = tuple(int(c * (1 - shade) + 60 * shade) for c in top)
        draw.line([(0, y), (width, y)], fill=colour)
    x = 0
    while x < width:
        building_width = rng.randrange(width // 12, width // 4)
        building_top = rng.randrange(height // 6, height // 2)
        grey = rng.randrange(40, 220)
        draw.rectangle(
            [x, building_top, x + building_width, height], fill=(grey, grey - 10, grey - 20)
        )
        for wy in range(building_top + 20, height - 40, 60):
            for wx in range(x + 15, x + building_width - 25, 45):
                if rng.random() < 0.6:
                    draw.rectangle([wx, wy, wx + 20, wy + 30], fill=(250, 230, 150))
        x += building_width + rng.randrange(0, width // 20)
    for _ in range(rng.randrange(20, 40)):  # people
        px, py = rng.randrange(0, width), rng.randrange(int(height * 0.7), height)
        r = rng.randrange(8, 20)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse([px - r, py - 3 * r, px + r, py - r], fill=(230, 190, 160))
        draw.rectangle([px - r, py - r, px + r, py + 2 * r], fill=colour)
    return image.filter(ImageFilter.GaussianBlur(1))


def exif_for(*, taken_at="", make="", model="", gps=None, serial="", owner="", orientation=None):
    """An Exif block as a camera writes it; `gps` is (latitude, longitude) in degrees."""
    exif = Image.Exif()
    if make:
        exif[ExifTags.Base.Make] = make
    if model:
        exif[ExifTags.Base.Model] = model
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    details = exif.get_ifd(ExifTags.IFD.Exif)
    if taken_at:
        details[ExifTags.Base.DateTimeOriginal] = taken_at
    if serial:
        details[ExifTags.Base.BodySerialNumber] = serial
    if owner:
        details[ExifTags.Base.CameraOwnerName] = owner
    if gps:
        position = exif.get_ifd(ExifTags.IFD.GPSInfo)
        latitude, longitude = gps
        position[ExifTags.GPS.GPSLatitudeRef] = "N" if latitude >= 0 else "S"
        position[ExifTags.GPS.GPSLatitude] = _dms(abs(latitude))
        position[ExifTags.GPS.GPSLongitudeRef] = "E" if longitude >= 0 else "W"
        position[ExifTags.GPS.GPSLongitude] = _dms(abs(longitude))
    return exif


def _dms(value):
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 2)
    return (float(degrees), float(minutes), seconds)


def photo_bytes(seed=1, *, size=None, image_format="JPEG", quality=90, **exif):
    """The bytes of draw_scene(seed), resized to `size` if given (the same photo, smaller),
    saved as `image_format` with exif_for(**exif)."""
    image = draw_scene(seed)
    if size is not None:
        image = image.resize(size, Image.Resampling.LANCZOS)
    output = io.BytesIO()
    options = {"exif": exif_for(**exif)} if exif else {}
    if image_format == "JPEG":
        options["quality"] = quality
    image.save(output, format=image_format, **options)
    return output.getvalue()
