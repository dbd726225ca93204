import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1d4f91").save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    # A fixed creation date, so that two calls give the same bytes.
    moment = time.gmtime(0)
    Image.new("RGB", (20, 20), "white").save(buffer, "PDF", creationDate=moment, modDate=moment)
    return buffer.getvalue()


@pytest.fixture
def pdf_upload():
    return lambda name="justificatif.pdf": SimpleUploadedFile(name, pdf_bytes(), "application/pdf")
