"""Upload checks for case attachments and certificate PDFs: type by content (opop.uploads), never by name.

A PDF must parse as one; a JPEG or PNG scan is decoded and stored re-encoded (no EXIF, nothing appended).
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from opop import uploads

ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ALLOWED_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png"}
SCAN_LONGEST_SIDE = 2400


def clean_attachment(upload, *, pdf_only: bool = False):
    """Accept a PDF, JPEG or PNG of at most 5 MB whose content is what its name says; return what to store:
    the PDF as uploaded, or a scan re-encoded as JPEG."""
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB. Please upload a smaller file."))
    extension = Path(upload.name).suffix.lower()
    allowed = {".pdf"} if pdf_only else ALLOWED_EXTENSIONS
    if extension not in allowed:
        raise ValidationError(
            _("Please upload a PDF file.") if pdf_only else _("Please upload a PDF, JPG or PNG file.")
        )
    if extension == ".pdf":
        uploads.pdf_check(upload, max_bytes=ATTACHMENT_MAX_BYTES)
        return upload
    if uploads.document_kind(upload) not in ("jpeg", "png"):
        raise ValidationError(_("This file is not a valid image."))
    try:
        image = uploads.image_open(upload, max_bytes=ATTACHMENT_MAX_BYTES)
    except ValidationError as exc:
        if exc.code in ("too_many_pixels", "too_large"):
            raise
        raise ValidationError(_("This file is not a valid image.")) from None
    return uploads.image_encode(
        image, longest_side=SCAN_LONGEST_SIDE, name=Path(upload.name).stem[:80] or "scan", image_format="JPEG"
    )


def validate_attachment(upload, *, pdf_only: bool = False) -> None:
    """Form validator: the checks of clean_attachment, keeping the upload as it is."""
    clean_attachment(upload, pdf_only=pdf_only)
    upload.seek(0)
