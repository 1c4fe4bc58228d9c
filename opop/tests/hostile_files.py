"""Hostile files: a decompression bomb, markup dressed as images and PDFs, EXIF with a GPS position, polyglots.

Built in memory with Pillow (and fpdf2 for the PDF), so no binary fixture sits in the repository.
"""

import struct
import zlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from opop.tests.hostile import Upload
from opop.uploads import sample_pdf

POLYGLOT_PAYLOAD = b"<script>alert(document.cookie)</script>"
GPS_IFD = 0x8825


def image_bytes(width: int = 400, height: int = 300, fmt: str = "JPEG", **save) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def jpeg_with_gps(width: int = 400, height: int = 300) -> bytes:
    """A JPEG whose EXIF says where it was taken (Jombang) and with which camera."""
    image = Image.new("RGB", (width, height), (10, 150, 90))
    exif = image.getexif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0110] = "Model X"  # Model
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "S"
    gps[2] = (7.0, 32.0, 45.0)
    gps[3] = "E"
    gps[4] = (112.0, 14.0, 0.0)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A PNG of a few hundred bytes declaring 20000 x 20000 pixels (400 megapixels, 1.2 GB decoded)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + width * 3), 9)  # one row; the rest would come from more IDAT
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", rows) + _png_chunk(b"IEND", b"")


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="300" height="300">'
    b"<script>alert(1)</script><rect width='300' height='300'/></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program cannot be run in DOS mode"
FAKE_PDF = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n"  # the magic bytes and nothing behind them


def samples() -> list[Upload]:
    return [
        Upload("bomb.png", png_bomb(), "image/png"),
        Upload("x.svg", SVG, "image/svg+xml"),
        Upload("photo.png", SVG, "image/png"),
        Upload("photo.jpg", HTML, "image/jpeg"),
        Upload("doc.pdf", HTML, "application/pdf"),
        Upload("doc.pdf", EXE, "application/pdf"),
        Upload("doc.pdf", FAKE_PDF, "application/pdf"),
        Upload("photo.jpg", image_bytes()[:200], "image/jpeg"),  # truncated
        Upload("photo.gif", image_bytes(fmt="GIF"), "image/gif"),
        Upload("photo.jpg", jpeg_with_gps() + POLYGLOT_PAYLOAD, "image/jpeg"),
        Upload("photo.png", image_bytes(fmt="PNG") + POLYGLOT_PAYLOAD, "image/png"),
        Upload("doc.jpg", sample_pdf(), "image/jpeg"),  # a real PDF with an image's name
        Upload("tiny.png", image_bytes(1, 1, fmt="PNG"), "image/png"),
        Upload("empty.jpg", b"", "image/jpeg"),
    ]


SAMPLES = samples()


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    """A file as a browser posts it: these bytes under this name and declared type."""
    return SimpleUploadedFile(name, content, content_type=content_type)
