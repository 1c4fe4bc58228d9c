"""The portal's app icons (web app manifest, favicon, apple-touch-icon), drawn from the logo with Pillow.

The logo (static/img/logo.svg) is a gold star on a rounded green square. The "any" icons keep the rounded
square on a transparent background; the maskable icon fills the whole square and keeps the star inside the
central 80 % safe zone, as Android crops it to a circle or squircle.
"""

from pathlib import Path

from PIL import Image, ImageDraw

GREEN = (15, 107, 60, 255)
GOLD = (245, 197, 66, 255)
# The logo's star (32-unit viewBox).
STAR = [
    (16, 5),
    (19, 11.5),
    (26, 12.3),
    (20.8, 17.1),
    (22.2, 24),
    (16, 20.6),
    (9.8, 24),
    (11.2, 17),
    (6, 12.3),
    (13, 11.5),
]
ICONS = {"icon-192.png": (192, False), "icon-512.png": (512, False), "maskable-512.png": (512, True)}


def draw_icon(size: int, *, maskable: bool) -> Image.Image:
    scale = 4  # drawn large and scaled down: smooth edges without an SVG renderer
    side = size * scale
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, side, side), fill=GREEN)
        star_box, offset = side * 0.62, side * 0.19  # inside the 80 % safe circle
    else:
        draw.rounded_rectangle((0, 0, side - 1, side - 1), radius=side * 7 / 32, fill=GREEN)
        star_box, offset = side, 0
    unit = star_box / 32
    draw.polygon([(offset + x * unit, offset + (y + 0.5) * unit) for x, y in STAR], fill=GOLD)
    return image.resize((size, size), Image.LANCZOS)


def icons_write(*, folder: Path) -> list[Path]:
    """Write the manifest icons, apple-touch-icon.png (180 px) and favicon.ico (16/32/48) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (size, maskable) in ICONS.items():
        path = folder / name
        draw_icon(size, maskable=maskable).save(path, optimize=True)
        written.append(path)
    touch = folder / "apple-touch-icon.png"
    draw_icon(180, maskable=True).convert("RGB").save(touch, optimize=True)
    favicon = folder / "favicon.ico"
    draw_icon(48, maskable=False).save(favicon, sizes=[(16, 16), (32, 32), (48, 48)])
    return [*written, touch, favicon]
