"""The views' shared pieces now live in the kernel (opop.web); kept importable here for the santri views."""

from opop.web import form_error, qr_svg, require

__all__ = ["form_error", "qr_svg", "require"]
