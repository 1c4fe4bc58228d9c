"""A halal case's attachments through clean_attachment (the upload kernel itself: opop/tests/test_uploads.py)."""

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


@pytest.mark.django_db
def test_a_halal_case_scan_is_stored_as_a_clean_jpeg_and_a_renamed_file_is_refused():
    from marketplace.halal.uploads import clean_attachment

    stored = clean_attachment(upload(files.jpeg_with_gps() + files.POLYGLOT_PAYLOAD, "ktp.jpg"))
    data = stored.read()
    assert Image.open(BytesIO(data)).format == "JPEG" and files.POLYGLOT_PAYLOAD not in data
    assert not Image.open(BytesIO(data)).getexif().get_ifd(files.GPS_IFD)
    pdf = upload(uploads.sample_pdf(), "nib.pdf", "application/pdf")
    assert clean_attachment(pdf) is pdf  # a valid PDF is kept as uploaded
    for content, name in [(files.HTML, "nib.pdf"), (files.EXE, "nib.pdf"), (files.HTML, "ktp.jpg")]:
        with pytest.raises(ValidationError):
            clean_attachment(upload(content, name))
    with pytest.raises(ValidationError, match="too many pixels"):
        clean_attachment(upload(files.png_bomb(), "scan.png"))
