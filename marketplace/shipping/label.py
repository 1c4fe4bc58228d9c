"""The shipping label's barcode: the resi as Code 128 (python-barcode, SVG), embedded as a data: image so the
label page needs no inline style under the CSP and prints sharp on a thermal printer."""

import base64
import io

import barcode
from barcode.writer import SVGWriter

# Label sizes sellers print on: A6 sheets and the 100 x 150 mm thermal rolls couriers hand out.
LABEL_SIZES = {"label-a6": "a6", "label-thermal": "thermal"}


def code128_svg(value: str) -> bytes:
    """The Code 128 barcode of `value` as an SVG document (bars only; the label prints the number below)."""
    out = io.BytesIO()
    barcode.Code128(value, writer=SVGWriter()).write(
        out, options={"module_width": 0.3, "module_height": 14, "quiet_zone": 3, "write_text": False}
    )
    return out.getvalue()


def code128_data_uri(value: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(code128_svg(value)).decode()
