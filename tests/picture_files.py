"""Picture files for tests, made with Pillow: real encodings, chosen names."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def picture_bytes(kind="JPEG", size=(1600, 900), *, colour=(40, 120, 200), gps=False, orientation=None) -> bytes:
    image = Image.new("RGB", size, colour)
    # A marker in the top-left corner, to check the orientation was applied.
    image.paste((250, 20, 20), (0, 0, size[0] // 4, size[1] // 4))
    options = {}
    if kind in ("JPEG", "WEBP", "PNG") and (gps or orientation):
        exif = Image.Exif()
        exif[0x010F] = "Camera maker"
        if orientation:
            exif[ORIENTATION] = orientation
        if gps:
            exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
        options["exif"] = exif.tobytes()
    buffer = io.BytesIO()
    image.save(buffer, format=kind, **options)
    return buffer.getvalue()


def picture_upload(name="bridge.jpg", kind="JPEG", **options) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, picture_bytes(kind, **options), content_type="image/jpeg")
