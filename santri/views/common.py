"""The views' shared pieces now live in the kernel (opop.web); kept importable here for the santri views."""

from opop.web import form_error, form_saved, qr_svg, require

__all__ = ["form_error", "form_saved", "qr_svg", "require"]
