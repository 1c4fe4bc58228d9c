"""Upload checks for case attachments and certificate PDFs: type by content, not by name alone, and size."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ALLOWED_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png"}


def validate_attachment(upload, *, pdf_only: bool = False) -> None:
    """Accept a PDF, JPEG or PNG of at most 5 MB whose content matches its extension."""
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB. Please upload a smaller file."))
    extension = Path(upload.name).suffix.lower()
    allowed = {".pdf"} if pdf_only else ALLOWED_EXTENSIONS
    if extension not in allowed:
        raise ValidationError(
            _("Please upload a PDF file.") if pdf_only else _("Please upload a PDF, JPG or PNG file.")
        )
    upload.seek(0)
    if extension == ".pdf":
        if upload.read(5) != b"%PDF-":
            upload.seek(0)
            raise ValidationError(_("This file is not a valid PDF."))
    else:
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError):
            upload.seek(0)
            raise ValidationError(_("This file is not a valid image.")) from None
    upload.seek(0)
