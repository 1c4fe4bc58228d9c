"""Kartu Santri as a PNG: credit-card size (85.6 x 54 mm) at 300 dpi, for printing or sending by phone."""

from io import BytesIO

import qrcode
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from santri.models import Santri

WIDTH, HEIGHT = 1012, 638  # CR80 at 300 dpi
GREEN, GOLD, INK, PAPER = (15, 107, 60), (245, 197, 66), (29, 36, 32), (255, 255, 255)


def _fit(draw: ImageDraw.ImageDraw, text: str, size: int, max_width: int) -> ImageFont.FreeTypeFont:
    """The largest font up to `size` in which `text` fits `max_width` (long pesantren names exist)."""
    while size > 18:
        font = ImageFont.load_default(size=size)
        if draw.textlength(text, font=font) <= max_width:
            return font
        size -= 2
    return ImageFont.load_default(size=size)


def card_png(santri: Santri, *, verify_url: str) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH, 110], fill=GREEN)
    draw.text((40, 55), _("Kartu Santri OPOP Jawa Timur"), fill=GOLD, font=ImageFont.load_default(size=44), anchor="lm")
    qr = qrcode.make(verify_url, box_size=10, border=1).get_image().convert("RGB").resize((300, 300))
    image.paste(qr, (WIDTH - 340, 170))
    text_width = WIDTH - 340 - 40 - 30
    lines = [
        (santri.name, 48, INK),
        (santri.pesantren.name, 34, INK),
        (santri.pesantren.kabupaten_kota.label, 30, (91, 102, 95)),
    ]
    y = 170
    for text, size, colour in lines:
        draw.text((40, y), text, fill=colour, font=_fit(draw, text, size, text_width))
        y += size + 28
    draw.text((40, 520), santri.card_number_display, fill=GREEN, font=ImageFont.load_default(size=46))
    draw.text((WIDTH - 340, 490), _("Scan to verify"), fill=(91, 102, 95), font=ImageFont.load_default(size=24))
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
