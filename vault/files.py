"""What a citizen may upload: the file types we accept, recognised by their content, never by their name."""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

import magic
import pikepdf
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from gru.sizes import file_size

# libmagic reads only the head of a file: enough to know what it claims to be, not that it is only that.
HEAD_BYTES = 8192
MAX_IMAGE_PIXELS = 60_000_000  # a 60-megapixel photograph, far above any scan of a proof
JPEG_QUALITY_AFTER_ROTATION = 95  # a rotated photograph is encoded anew: high enough not to blur a document
# How a PDF ends (ISO 32000-1, 7.5.5): `startxref`, the offset of its cross-reference section, `%%EOF`; then only
# white space as PDF defines it (7.2.2).
PDF_END = re.compile(rb"startxref\s+\d+\s*%%EOF\Z")
PDF_END_BYTES = 64
PDF_WHITESPACE = b"\x00\t\n\x0c\r "
# How a PDF begins (7.5.2). Readers look for it in the first kilobyte, and libmagic past a byte-order mark: a file
# that holds anything before it (an HTML page, a script) is a polyglot, read as something else by other programs.
PDF_HEADER = b"%PDF-"
# Dictionaries and arrays read for active content: a 500-page report has some 15 000; a file with millions of tiny
# objects would hold the request for minutes.
MAX_PDF_ITEMS = 200_000
# What makes a PDF active: keys found only in scripts (JavaScript actions /JS, the document's JavaScript name tree,
# XFA forms), embedded files (the /EmbeddedFiles name tree, /EF of a file specification); and names: actions (12.6.4)
# that run a script or launch a program, send the form's fields to a server, import field values from a file or open
# another or an embedded document; annotations that carry a file or rich media, embedded file streams.
ACTIVE_KEYS = {"/JS", "/JavaScript", "/XFA", "/EmbeddedFiles", "/EF"}
ACTIVE_NAMES = {
    "/S": {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE"},
    "/Subtype": {"/FileAttachment", "/RichMedia"},
    "/Type": {"/EmbeddedFile"},
}
CONTAINERS = (pikepdf.Dictionary, pikepdf.Array)


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


def size_limit_attrs(max_size: int) -> dict[str, str]:
    """The attributes by which static/js/gru.js refuses a file over `max_size` bytes before it is sent (file_check
    refuses it again on the server)."""
    message = _("This file is larger than %(max)s, the largest size accepted: choose a lighter one.")
    return {"data-max-size": str(max_size), "data-max-size-message": message % {"max": file_size(max_size)}}


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
            % {"name": name, "size": file_size(uploaded.size), "max": file_size(max_size)}
        )
    # Read only once its size is known to be within max_size (an upload above FILE_UPLOAD_MAX_MEMORY_SIZE waits in a
    # temporary file until then): the checks, the re-encoding and the encryption (AES-GCM, in one go) need it whole.
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
    if mime == KINDS[FileType.PDF].mime:
        _check_pdf(content, name=name, damaged=damaged)
        return CheckedFile(content=content, mime=mime, name=name)
    if not _image_is_sound(content):
        raise damaged
    try:
        content = _without_metadata(content)
    except (OSError, ValueError) as error:  # a file Pillow can read but not write back
        raise damaged from error
    return CheckedFile(content=content, mime=mime, name=name)


class PdfTooComplex(Exception):
    """The PDF has more than MAX_PDF_ITEMS dictionaries and arrays to read."""


def _check_pdf(content: bytes, *, name: str, damaged: ValidationError) -> None:
    """A PDF that begins and ends where it should, opens, has pages and runs nothing; `damaged` or a French
    ValidationError saying what to do otherwise."""
    if not content.startswith(PDF_HEADER) or not _pdf_ends_where_it_should(content):
        raise damaged
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            if len(pdf.pages) == 0:
                raise damaged
            active = _has_active_content(pdf)
    except pikepdf.PdfError as error:
        raise damaged from error
    except PdfTooComplex as error:
        message = _(
            "The PDF “%(name)s” is too complex to be checked: print it again as a plain PDF (“Print”, then “Save as "
            "PDF”) and send that file."
        )
        raise ValidationError(message % {"name": name}) from error
    if active:
        message = _(
            "The PDF “%(name)s” contains active content (JavaScript, attached files or a program to launch): print it "
            "again as a plain PDF (“Print”, then “Save as PDF”) and send that file."
        )
        raise ValidationError(message % {"name": name})


def _pdf_ends_where_it_should(content: bytes) -> bool:
    """Nothing but white space after the end of the PDF (a polyglot hides HTML or an archive there). A PDF updated
    incrementally (a signature, an edit) has an end, `%%EOF`, after each revision: only the last one ends the file."""
    return PDF_END.search(content.rstrip(PDF_WHITESPACE)[-PDF_END_BYTES:]) is not None


def _has_active_content(pdf: pikepdf.Pdf) -> bool:
    """Whether an object of the PDF, reachable from its pages or not, holds a script (JavaScript, XFA), an action
    that launches a program, sends or imports form data or opens another document, or an embedded file
    (attachments, file-attachment annotations, rich media). PdfTooComplex past MAX_PDF_ITEMS dictionaries and
    arrays."""
    pending: list[pikepdf.Object] = list(pdf.objects)
    for _walked in range(MAX_PDF_ITEMS):
        if not pending:
            return False
        item = pending.pop()
        entries = item.stream_dict if isinstance(item, pikepdf.Stream) else item
        if isinstance(entries, pikepdf.Dictionary):
            if _is_active(entries):
                return True
            children = entries.values()
        elif isinstance(entries, pikepdf.Array):
            children = list(entries)
        else:
            continue
        # Indirect objects are in pdf.objects already: only the direct ones nested in this one are walked into.
        pending += [child for child in children if isinstance(child, CONTAINERS) and not child.is_indirect]
    if pending:
        raise PdfTooComplex
    return False


def _is_active(entries: pikepdf.Dictionary) -> bool:
    """A dictionary that runs a script or a program, or carries a file: an action, a name tree, an annotation, a file
    specification or an interactive form."""
    keys = set(entries.keys())
    if keys & ACTIVE_KEYS:
        return True
    return any(
        isinstance(value := entries[key], pikepdf.Name) and str(value) in ACTIVE_NAMES[key]
        for key in keys & ACTIVE_NAMES.keys()
    )


def _image_is_sound(content: bytes) -> bool:
    """Parse the whole image: a PNG with a page appended, or an image that would unpack into gigabytes, is refused."""
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
