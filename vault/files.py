"""What a citizen may upload: the file types we accept, recognised by their content, never by their name."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import magic
import pikepdf
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

# libmagic reads only the head of a file: enough to know what it claims to be, not that it is only that.
HEAD_BYTES = 8192
MAX_IMAGE_PIXELS = 60_000_000  # a 60-megapixel photograph, far above any scan of a proof
JPEG_QUALITY_AFTER_ROTATION = 95  # a rotated photograph is encoded anew: high enough not to blur a document


class FileType(models.TextChoices):
    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"


@dataclass(frozen=True)
class Kind:
    mime: str
    extensions: tuple[str, ...]


KINDS = {
    FileType.PDF: Kind("application/pdf", (".pdf",)),
    FileType.JPEG: Kind("image/jpeg", (".jpg", ".jpeg")),
    FileType.PNG: Kind("image/png", (".png",)),
}


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    mime: str
    name: str


def accept_hint(types: list[str]) -> str:
    """The accept attribute of a file input for these types."""
    return ",".join(
        [KINDS[FileType(t)].mime for t in types] + [e for t in types for e in KINDS[FileType(t)].extensions]
    )


def types_label(types: list[str]) -> str:
    return ", ".join(FileType(t).label for t in types)


def file_check(uploaded: UploadedFile, *, types: list[str], max_size: int) -> CheckedFile:
    """Read an upload and make sure it is one of `types`, whole and sound; a French ValidationError otherwise."""
    name = (uploaded.name or "document").rsplit("/", 1)[-1][-150:]
    if not uploaded.size:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": name})
    if uploaded.size > max_size:
        raise ValidationError(
            _("The file “%(name)s” is too large (%(size)s): the maximum is %(max)s.")
            % {"name": name, "size": filesizeformat(uploaded.size), "max": filesizeformat(max_size)}
        )
    content = b"".join(uploaded.chunks())
    mime = magic.from_buffer(content[:HEAD_BYTES], mime=True)
    kind = next((KINDS[FileType(t)] for t in types if KINDS[FileType(t)].mime == mime), None)
    wrong = _("The file “%(name)s” is not of an accepted type (%(types)s).") % {
        "name": name,
        "types": types_label(types),
    }
    if kind is None or not name.lower().endswith(kind.extensions):
        raise ValidationError(wrong)
    damaged = ValidationError(_("The file “%(name)s” is damaged or not what it claims to be.") % {"name": name})
    if not _is_sound(content, mime):
        raise damaged
    if mime != KINDS[FileType.PDF].mime:
        try:
            content = _without_metadata(content)
        except (OSError, ValueError) as error:  # a file Pillow can read but not write back
            raise damaged from error
    return CheckedFile(content=content, mime=mime, name=name)


def _is_sound(content: bytes, mime: str) -> bool:
    """Parse the whole file: a PNG with a page appended, or a PDF that does not open, is refused."""
    if mime == "application/pdf":
        try:
            with pikepdf.open(io.BytesIO(content)) as pdf:
                return len(pdf.pages) > 0
        except pikepdf.PdfError:
            return False
    try:
        with warnings.catch_warnings():  # Pillow only warns below twice its own limit: refuse these too
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:  # a few bytes that would unpack into gigabytes
                    return False
                image.load()
                return _image_ends_where_it_should(content, image.format or "")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return False


def _image_ends_where_it_should(content: bytes, image_format: str) -> bool:
    """No bytes after the image's end marker (a polyglot hides HTML or a script there)."""
    if image_format == "PNG":
        return content.rstrip(b"\x00").endswith(b"IEND\xaeB`\x82")
    if image_format in ("JPEG", "MPO"):  # MPO: a phone's photograph with its depth map or preview after it
        return content.rstrip(b"\x00\r\n").endswith(b"\xff\xd9")
    return False


def _without_metadata(content: bytes) -> bytes:
    """Re-encode a sound JPEG or PNG without its metadata: a phone photo's EXIF tells where the citizen lives.

    Only the ICC profile is kept (colours stay right); EXIF, XMP, IPTC, comments and PNG text chunks are left
    behind. Pixels are unchanged for PNG and nearly so for JPEG (same quantisation tables), except that a JPEG
    whose EXIF says to rotate it is rotated, since the orientation tag goes with the rest of the EXIF.
    """
    output = io.BytesIO()
    with Image.open(io.BytesIO(content)) as image:  # sizes already checked by _is_sound: no bomb gets here
        kept = {"icc_profile": image.info["icc_profile"]} if image.info.get("icc_profile") else {}
        if image.format == "PNG":
            image.save(output, "PNG", **kept)
        elif image.getexif().get(ExifTags.Base.Orientation, 1) != 1:
            rotated = ImageOps.exif_transpose(image)
            rotated.save(output, "JPEG", quality=JPEG_QUALITY_AFTER_ROTATION, comment=b"", **kept)
        elif image.format == "JPEG":
            image.save(output, "JPEG", quality="keep", comment=b"", **kept)  # Pillow would copy the comment
        else:  # MPO: its main picture only
            image.save(output, "JPEG", quality=JPEG_QUALITY_AFTER_ROTATION, comment=b"", **kept)
    return output.getvalue()
