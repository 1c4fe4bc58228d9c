"""The upload kernel (opop.uploads): what it refuses, with which message, and what it stores."""

import io
import zipfile
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from opop import uploads
from opop.tests import hostile_files as files
from opop.tests.hostile_files import upload


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def refusal(check, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as error:
        check(*args, **kwargs)
    return " ".join(error.value.messages)


# --- Images -----------------------------------------------------------------------------------------------


def test_a_decompression_bomb_is_refused_from_its_header_without_decoding():
    bomb = upload(files.png_bomb(20_000, 20_000), "bomb.png", "image/png")
    assert bomb.size < 1000  # a few hundred bytes that would decode to 1.2 GB
    assert "too many pixels" in refusal(uploads.image_open, bomb)
    # Under Pillow's own alarm (89 megapixels) but over ours: our cap, with the size in the message.
    assert "6000 x 6000 pixels; at most 25 megapixels" in refusal(
        uploads.image_open, upload(files.png_bomb(6000, 6000), "b.png")
    )


def test_svg_and_html_are_refused_whatever_their_name():
    for content, name in [(files.SVG, "x.svg"), (files.SVG, "photo.png"), (files.HTML, "photo.jpg")]:
        assert "SVG and HTML files are not accepted" in refusal(uploads.image_open, upload(content, name))


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (files.image_bytes(fmt="GIF"), "photo.gif"),
        (files.image_bytes(fmt="BMP"), "photo.jpg"),
        (files.image_bytes(fmt="TIFF"), "photo.png"),
        (files.EXE, "photo.jpg"),
        (uploads.sample_pdf(), "photo.jpg"),
        (files.image_bytes()[:300], "photo.jpg"),  # truncated mid-image
        (b"", "photo.jpg"),
    ],
)
def test_only_jpeg_png_and_webp_are_decoded(content, name):
    assert "Upload a JPEG, PNG or WebP photo" in refusal(uploads.image_open, upload(content, name))


def test_size_and_minimum_side_are_enforced():
    big = upload(files.image_bytes())
    big.size = 6 * 1024 * 1024
    assert "the largest allowed is 5 MB" in refusal(uploads.image_open, big)
    assert "at least 64 pixels" in refusal(uploads.image_open, upload(files.image_bytes(50, 500)), min_side=64)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_an_image_is_always_stored_as_a_fresh_encoding(fmt):
    stored = uploads.image_clean(upload(files.image_bytes(800, 600, fmt=fmt)), longest_side=400, name="x")
    image = Image.open(BytesIO(stored.read()))
    assert (image.format, image.size, stored.name) == ("WEBP", (400, 300), "x.webp")


def test_exif_gps_and_camera_data_are_gone_after_re_encoding():
    original = files.jpeg_with_gps()
    assert Image.open(BytesIO(original)).getexif().get_ifd(files.GPS_IFD)  # the fixture really carries GPS
    stored = uploads.image_clean(upload(original), longest_side=1200, name="x").read()
    exif = Image.open(BytesIO(stored)).getexif()
    assert not exif.get_ifd(files.GPS_IFD) and len(exif) == 0
    assert b"SpyCam" not in stored and b"GPS" not in stored


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_bytes_hidden_after_the_image_end_are_gone(fmt):
    polyglot = files.image_bytes(fmt=fmt) + files.POLYGLOT_PAYLOAD + uploads.sample_pdf()
    stored = uploads.image_clean(upload(polyglot), longest_side=1200, name="x").read()
    assert files.POLYGLOT_PAYLOAD not in stored and b"%PDF" not in stored
    Image.open(BytesIO(stored)).verify()


def test_transparency_survives_and_an_upright_copy_is_made():
    buffer = BytesIO()
    Image.new("RGBA", (300, 200), (0, 0, 0, 0)).save(buffer, format="PNG")
    stored = uploads.image_clean(upload(buffer.getvalue(), "logo.png"), longest_side=300, name="logo")
    assert Image.open(BytesIO(stored.read())).mode == "RGBA"


# --- Documents --------------------------------------------------------------------------------------------


def test_a_real_pdf_passes():
    uploads.pdf_check(upload(uploads.sample_pdf("Sertifikat"), "cert.pdf", "application/pdf"))


@pytest.mark.parametrize(
    "content",
    [files.HTML, files.EXE, files.FAKE_PDF, b"%PDF-1.7\n%%EOF\n", files.image_bytes(), b""],
    ids=["html", "exe", "magic-only", "no-pages", "jpeg", "empty"],
)
def test_a_pdf_is_checked_by_content_not_by_name(content):
    assert "not a valid PDF" in refusal(uploads.pdf_check, upload(content, "cert.pdf", "application/pdf"))


def test_a_pdf_over_the_limit_is_refused():
    pdf = upload(uploads.sample_pdf(), "cert.pdf")
    pdf.size = 6 * 1024 * 1024
    assert "the largest allowed is 5 MB" in refusal(uploads.pdf_check, pdf)


def _office(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


def test_office_documents_must_be_the_package_their_name_claims():
    docx = _office({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    uploads.office_check(upload(docx, "a.docx"), "docx")
    assert "not a valid PPTX" in refusal(uploads.office_check, upload(docx, "a.pptx"), "pptx")
    assert "not a valid DOCX" in refusal(uploads.office_check, upload(_office({"x.txt": b"x"}), "a.docx"), "docx")
    assert "not a valid DOCX" in refusal(uploads.office_check, upload(b"PK\x03\x04garbage", "a.docx"), "docx")
