"""Exercise pictures: what an upload must be, and what is stored.

An upload is checked by its content (Pillow reads it), never by its name: a
JPEG, PNG or WebP picture of at most MAX_UPLOAD_MB. What is stored is a fresh
encoding of the pixels only, at most MAX_SIDE_PX on the long side, turned
upright by its EXIF orientation first: no EXIF (camera, GPS position, date),
no embedded profile or text chunks survive, and nothing but pixels reaches
the patient's page.
"""

import io
import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_MB = 5
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
# A phone or tablet screen at 2x, and a sharp A4 print at the size the
# printout uses; anything larger is only slower to load.
MAX_SIDE_PX = 1200
# Above what cameras save by default (a phone's 12 to 50 megapixels), and it
# stops a small file that claims a huge canvas ("decompression bomb") before
# anything decodes it: decoding 100 megapixels takes seconds.
MAX_PIXELS = 50_000_000
# Pillow format name -> (stored file's extension, save options).
FORMATS = {
    "JPEG": ("jpg", {"quality": 85, "optimize": True}),
    "PNG": ("png", {"optimize": True}),
    "WEBP": ("webp", {"quality": 85}),
}
ACCEPTED = "JPEG, PNG or WebP"


def _too_many_pixels(width=None, height=None, *, pixels=None) -> ValidationError:
    if width and height:
        size = f"This picture is {width:,} × {height:,} pixels; "
    elif pixels:
        size = f"This picture is {pixels / 1_000_000:,.0f} megapixels; "
    else:
        size = "This picture is too large in pixels; "
    return ValidationError(
        f"{size}the largest accepted is {MAX_PIXELS // 1_000_000} megapixels (for example 8,000 × 6,000). "
        f"Save it smaller (for example {MAX_SIDE_PX} pixels wide) and upload it again.", code="picture_pixels")


def picture_size_check(file) -> None:
    """Refuse a picture of more than MAX_PIXELS from its header alone, before
    anything (Django's image field included) decodes it. Other problems are
    left to the full check."""
    file.seek(0)
    try:
        with Image.open(file) as image:  # reads the header only
            width, height = image.size
    except Image.DecompressionBombError as error:
        # Pillow refuses it before saying its size, but names its pixel count.
        counted = re.search(r"\((\d+) pixels\)", str(error))
        raise _too_many_pixels(pixels=int(counted.group(1)) if counted else None) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return
    finally:
        file.seek(0)
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(width, height)


def _open(file) -> Image.Image:
    picture_size_check(file)
    file.seek(0)
    try:
        image = Image.open(file)  # reads the header only
        image.load()
    except Image.DecompressionBombError as error:
        raise _too_many_pixels() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(f"This file is not a picture Kinetic can read. Upload a {ACCEPTED} picture.",
                              code="picture_type") from error
    finally:
        file.seek(0)
    return image


def validate_exercise_picture(value) -> None:
    """The model field's validator: a new upload must be a JPEG, PNG or WebP
    picture (by its content) of at most MAX_UPLOAD_MB. A picture already
    stored (editing another field) is not read again."""
    if not value or getattr(value, "_committed", False):
        return
    size = value.size
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"This picture is {size / 1024 / 1024:.1f} MB; the largest accepted is {MAX_UPLOAD_MB} MB. "
            f"Save it smaller (for example {MAX_SIDE_PX} pixels wide) and upload it again.",
            code="picture_size",
        )
    image = _open(value)
    if image.format not in FORMATS:
        kind = image.format or "unknown"
        raise ValidationError(f"This is a {kind} picture. Upload a {ACCEPTED} picture.", code="picture_type")


def picture_prepare(file) -> ContentFile:
    """The picture to store for an upload: upright, at most MAX_SIDE_PX on its
    long side, re-encoded in its own format with no metadata."""
    image = _open(file)
    kind = image.format if image.format in FORMATS else "JPEG"
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX), Image.Resampling.LANCZOS)
    if kind == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        # Palette and CMYK pictures: transparency kept, palette tricks dropped.
        image = image.convert("RGBA")
    # Only the pixels: a copy without info carries no EXIF, ICC profile,
    # XMP or PNG text chunk into the encoder.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    extension, options = FORMATS[kind]
    buffer = io.BytesIO()
    clean.save(buffer, format=kind, **options)
    return ContentFile(buffer.getvalue(), name=f"picture.{extension}")


def exercise_picture_path(instance, filename: str) -> str:
    """Where a picture is stored: a random name (never the uploader's file
    name), so its URL says nothing and cannot be guessed."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"exercises/{uuid.uuid4().hex}.{extension}"


class PictureFormField(forms.ImageField):
    """Django's image field, after the pixel check: a canvas too large is
    refused in words before Django decodes it to verify it (which took
    seconds, or ended in "not an image or a corrupted image")."""

    def to_python(self, data):
        if data not in self.empty_values and hasattr(data, "seek"):
            picture_size_check(data)
        return super().to_python(data)


class ExercisePictureField(models.ImageField):
    """An ImageField that stores picture_prepare's version of each new upload,
    whichever way it arrives (the admin, the shell, a factory)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PictureFormField, **kwargs})

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            file.save(file.name, picture_prepare(file), save=False)
            return file
        return super().pre_save(model_instance, add)
