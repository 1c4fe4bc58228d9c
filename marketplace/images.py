"""Marketplace images: the product photo renditions. Validation and re-encoding are the kernel's (opop.uploads).

The upload itself is never stored, so the original (with its EXIF data, and possibly huge) is never served.
"""

from django.core.files.base import ContentFile
from PIL import Image

from opop import uploads

MIN_SIDE = 200
# Rendition name → longest side in pixels.
PHOTO_SIZES = {"large": 1200, "medium": 480, "small": 240}


def validate_image_upload(upload, *, min_side: int = MIN_SIDE) -> Image.Image:
    """Return the decoded image, or raise ValidationError with a message a shopper or seller can act on."""
    return uploads.image_open(upload, min_side=min_side)


def render(image: Image.Image, longest_side: int, name: str) -> ContentFile:
    """A WebP copy whose longest side is at most `longest_side`, turned upright, without metadata."""
    return uploads.image_encode(image, longest_side=longest_side, name=name)


def photo_renditions(upload, *, name: str) -> dict[str, ContentFile]:
    image = validate_image_upload(upload)
    return {field: render(image, side, f"{name}-{side}") for field, side in PHOTO_SIZES.items()}
