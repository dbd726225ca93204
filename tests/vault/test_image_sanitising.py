"""Uploaded photographs and scans are kept without their metadata (GPS position, comments, text), and still faithful."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageChops, ImageCms, ImageStat
from PIL.PngImagePlugin import PngInfo

from tests.teleservices.conftest import pdf_bytes
from vault.files import CheckedFile, file_check

XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
IPTC = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0a\x1c\x02\x5a\x00\x05Paris"  # city: Paris
APP13 = b"\xff\xed" + (len(IPTC) + 2).to_bytes(2, "big") + IPTC


def _photo(size: tuple[int, int] = (64, 48)) -> Image.Image:
    """A picture with detail in it, so that re-encoding would show if it blurred anything."""
    gradient = Image.linear_gradient("L").resize(size)
    return Image.merge("RGB", (gradient, gradient.rotate(90), Image.radial_gradient("L").resize(size)))


def _encoded(image: Image.Image, image_format: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **params)
    return buffer.getvalue()


def _gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Téléphone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 21.0, 7.0)
    return exif


def _checked(name: str, content: bytes, mime: str) -> CheckedFile:
    return file_check(SimpleUploadedFile(name, content, mime), types=["pdf", "jpeg", "png"], max_size=10**7)


def _opened(checked: CheckedFile) -> Image.Image:
    image = Image.open(io.BytesIO(checked.content))
    image.load()
    return image


def _srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def test_a_photo_loses_its_gps_position_xmp_iptc_and_comment_but_keeps_its_look():
    original = _photo()
    content = _encoded(
        original, "JPEG", quality=85, exif=_gps_exif(), xmp=XMP, comment=b"chez Alice, 12 rue des Lilas", extra=APP13
    )

    checked = _checked("photo.jpg", content, "image/jpeg")

    image = _opened(checked)
    assert (checked.name, checked.mime) == ("photo.jpg", "image/jpeg")
    assert not image.getexif() and "exif" not in image.info
    assert "xmp" not in image.info and "comment" not in image.info
    assert "photoshop" not in image.info and b"Photoshop 3.0" not in checked.content
    assert b"Exif\x00\x00" not in checked.content and b"rue des Lilas" not in checked.content
    assert image.size == original.size
    assert max(ImageStat.Stat(ImageChops.difference(image, Image.open(io.BytesIO(content)))).mean) < 2  # out of 255


def test_a_photo_taken_sideways_comes_back_upright_with_no_orientation_tag():
    original = Image.new("RGB", (40, 20), "red")
    original.paste("blue", (20, 0, 40, 20))  # left half red, right half blue, as the sensor saw it
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "turn me a quarter clockwise to view me"

    image = _opened(_checked("photo.jpg", _encoded(original, "JPEG", exif=exif), "image/jpeg"))

    assert image.size == (20, 40)
    assert ExifTags.Base.Orientation not in image.getexif()
    red, green, blue = image.getpixel((10, 5))  # the red half is now on top
    assert red > 200 and blue < 50


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "P", "1", "I;16"])
def test_a_scan_loses_its_text_chunks_and_keeps_every_pixel(mode):
    original = _photo().convert(mode)
    text = PngInfo()
    text.add_text("Author", "Alice Martin")
    text.add_itxt("Comment", "scanné au 12 rue des Lilas", zip=True)
    content = _encoded(original, "PNG", pnginfo=text, exif=_gps_exif())

    checked = _checked("scan.png", content, "image/png")

    image = _opened(checked)
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf"):
        assert chunk not in checked.content
    assert not image.getexif()
    assert image.mode == mode
    assert image.tobytes() == original.tobytes()


@pytest.mark.parametrize(
    ("name", "image_format", "mime"), [("photo.jpg", "JPEG", "image/jpeg"), ("scan.png", "PNG", "image/png")]
)
def test_the_colour_profile_of_an_image_is_kept(name, image_format, mime):
    content = _encoded(_photo(), image_format, icc_profile=_srgb_profile(), exif=_gps_exif())

    image = _opened(_checked(name, content, mime))

    assert image.info["icc_profile"] == _srgb_profile()
    assert not image.getexif()


def test_a_pdf_is_kept_byte_for_byte():
    content = pdf_bytes()

    assert _checked("rib.pdf", content, "application/pdf").content == content


def test_a_phone_photo_with_a_second_picture_keeps_its_main_one_without_gps():
    main, preview = _photo(), _photo((16, 12))
    content = _encoded(main, "MPO", save_all=True, append_images=[preview], exif=_gps_exif())
    assert Image.open(io.BytesIO(content)).format == "MPO"

    checked = _checked("photo.jpg", content, "image/jpeg")

    image = _opened(checked)
    assert image.format == "JPEG" and image.size == main.size
    assert not image.getexif() and b"Exif\x00\x00" not in checked.content
