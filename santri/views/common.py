import qrcode
import qrcode.image.svg
from django.core.exceptions import PermissionDenied, ValidationError


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def form_error(form, exc: Exception) -> None:
    """Put a service's error on the form: per field when it names fields the form has."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(exc, ValidationError):
        form.add_error(None, exc.messages)
    else:
        form.add_error(None, str(exc))


def qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return image.to_string(encoding="unicode")
