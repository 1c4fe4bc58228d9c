"""Uploaded images: validated (type, size, pixels) and re-encoded into resized WebP renditions with Pillow.

The upload itself is never stored, so the original (with its EXIF data, and possibly huge) is never served.
"""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
MIN_SIDE = 200
# Rendition name → longest side in pixels.
PHOTO_SIZES = {"large": 1200, "medium": 480, "small": 240}


def validate_image_upload(upload, *, min_side: int = MIN_SIDE) -> Image.Image:
    """Return the opened image, or raise ValidationError with a message a shopper or seller can act on."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            _("The photo is %(size).1f MB; the largest allowed is 5 MB.") % {"size": size / 1024 / 1024}
        )
    try:
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in ALLOWED_FORMATS:
            raise ValidationError(_("Upload a JPEG, PNG or WebP photo."))
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(
                _("The photo has %(mp)d megapixels; the largest allowed is 25.")
                % {"mp": image.width * image.height // 1_000_000}
            )
        image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
        raise ValidationError(_("This file is not a photo we can read. Upload a JPEG, PNG or WebP photo.")) from None
    if min(image.width, image.height) < min_side:
        raise ValidationError(
            _("The photo is too small (%(w)dx%(h)d pixels); each side needs at least %(min)d pixels.")
            % {"w": image.width, "h": image.height, "min": min_side}
        )
    return image


def render(image: Image.Image, longest_side: int, name: str) -> ContentFile:
    """A WebP copy whose longest side is at most `longest_side`, turned upright, without metadata."""
    copy = ImageOps.exif_transpose(image).convert("RGB")
    copy.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    copy.save(buffer, format="WEBP", quality=78, method=4)
    return ContentFile(buffer.getvalue(), name=f"{name}.webp")


def photo_renditions(upload, *, name: str) -> dict[str, ContentFile]:
    image = validate_image_upload(upload)
    return {field: render(image, side, f"{name}-{side}") for field, side in PHOTO_SIZES.items()}
