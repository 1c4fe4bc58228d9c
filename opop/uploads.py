"""Every upload of the portal goes through here: images are decoded and re-encoded, documents checked by content.

Images (product photos, store and pesantren logos, transfer proofs, review photos, halal case scans):
- at most `max_bytes` (5 MB unless the caller says less);
- the type is read from the content, never from the name or the browser's content type: only JPEG, PNG and
  WebP are decoded; SVG and HTML (which a browser would run) get their own clear refusal;
- the pixel count is read from the header and capped before anything is decoded, so a decompression bomb
  (a small file declaring 20000 x 20000 pixels) is refused at once instead of eating memory;
- what is stored is always a fresh encoding of the decoded pixels, so EXIF metadata (GPS position, camera
  serial) and anything hidden after the image data (a polyglot HTML/JS/ZIP payload) never reach storage.

Documents (halal certificates and case files, competition proposals): PDF by its `%PDF-` header and a parse
that must find at least one page; DOCX/PPTX as ZIP packages holding the Office part their name claims.
"""

import warnings
import zipfile
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


def _head(upload, size: int = 512) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def _looks_like_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<?xml", b"<svg", b"<!doctype", b"<html", b"<script", b"<body", b"<head", b"<!--"))


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def _check_size(upload, max_bytes: int) -> None:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s MB; the largest allowed is %(max)s MB.")
            % {"size": _megabytes(size), "max": max_bytes // (1024 * 1024)},
            code="too_large",
        )


def image_open(
    upload, *, max_bytes: int | None = None, max_pixels: int | None = None, min_side: int = 1
) -> Image.Image:
    """Return the decoded image, or raise ValidationError with a message the uploader can act on."""
    max_bytes = max_bytes or MAX_IMAGE_BYTES
    max_pixels = max_pixels or MAX_PIXELS
    _check_size(upload, max_bytes)
    head = _head(upload)
    if _looks_like_markup(head):
        raise ValidationError(
            _("SVG and HTML files are not accepted. Upload a JPEG, PNG or WebP photo."), code="markup"
        )
    unreadable = ValidationError(
        _("This file is not a photo we can read. Upload a JPEG, PNG or WebP photo."), code="unreadable"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            image = Image.open(upload, formats=sorted(IMAGE_FORMATS))
            width, height = image.size
            if width * height > max_pixels:
                raise ValidationError(
                    _("The image is %(width)d x %(height)d pixels; at most %(mp)d megapixels are accepted.")
                    % {"width": width, "height": height, "mp": max_pixels // 1_000_000},
                    code="too_many_pixels",
                )
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The image has too many pixels; at most %(mp)d megapixels are accepted.")
            % {"mp": max_pixels // 1_000_000},
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, MemoryError):
        raise unreadable from None
    finally:
        upload.seek(0)
    if image.format not in IMAGE_FORMATS:
        raise unreadable
    if min(width, height) < min_side:
        raise ValidationError(
            _("The photo is too small (%(w)dx%(h)d pixels); each side needs at least %(min)d pixels.")
            % {"w": width, "h": height, "min": min_side},
            code="too_small",
        )
    return image


def image_encode(image: Image.Image, *, longest_side: int, name: str, image_format: str = "WEBP") -> ContentFile:
    """A new file from the decoded pixels only: turned upright, at most `longest_side`, no metadata."""
    copy = ImageOps.exif_transpose(image)
    has_alpha = copy.mode in ("RGBA", "LA", "PA") or "transparency" in copy.info
    copy = copy.convert("RGBA" if has_alpha and image_format != "JPEG" else "RGB")
    copy.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    extension = {"WEBP": "webp", "PNG": "png", "JPEG": "jpg"}[image_format]
    options = {"WEBP": {"quality": 78, "method": 4}, "JPEG": {"quality": 85}, "PNG": {"optimize": True}}
    copy.save(buffer, format=image_format, **options[image_format])
    return ContentFile(buffer.getvalue(), name=f"{name}.{extension}")


def image_clean(upload, *, longest_side: int, name: str, min_side: int = 1, **limits) -> ContentFile:
    """Validate an uploaded image and return its re-encoded WebP copy: what every image field stores."""
    return image_encode(image_open(upload, min_side=min_side, **limits), longest_side=longest_side, name=name)


# --- Documents --------------------------------------------------------------------------------------------

OFFICE_PARTS = {"docx": "word/document.xml", "pptx": "ppt/presentation.xml"}


def pdf_check(upload, *, max_bytes: int | None = None) -> None:
    """A real PDF: the `%PDF-` header, and a parse that finds at least one page. The name plays no part."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    _check_size(upload, max_bytes or MAX_DOCUMENT_BYTES)
    not_pdf = ValidationError(_("This file is not a valid PDF."), code="not_pdf")
    if not _head(upload, 1024).startswith(b"%PDF-"):
        raise not_pdf
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if b"%%EOF" not in data[-2048:]:
        raise not_pdf
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise ValidationError(_("Password-protected PDFs are not accepted."), code="encrypted")
            if len(reader.pages) < 1:
                raise not_pdf
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError):
        raise not_pdf from None


def office_check(upload, kind: str, *, max_bytes: int | None = None) -> None:
    """A DOCX or PPTX: a ZIP package holding the Office part of its kind."""
    _check_size(upload, max_bytes or MAX_DOCUMENT_BYTES)
    wrong = ValidationError(_("This file is not a valid %(kind)s file.") % {"kind": kind.upper()}, code="not_office")
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise wrong from None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names or OFFICE_PARTS[kind] not in names:
        raise wrong


def document_kind(upload) -> str | None:
    """What the content says the file is: pdf, zip, an image format, or None."""
    head = _head(upload, 16)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def sample_pdf(text: str = "OPOP Jatim") -> bytes:
    """A small one-page PDF, for demo data and tests that need a document which passes `pdf_check`."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text=text.encode("latin-1", "replace").decode("latin-1"))
    return bytes(pdf.output())
