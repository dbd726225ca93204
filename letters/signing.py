"""PAdES signatures of letters (pyHanko), with the certificate and key of settings.LETTER_SIGNING_P12.

The signature is an incremental update: the signed PDF is the rendered one, byte for byte, followed by the signature,
so that its tags, /Lang and /MarkInfo stay as WeasyPrint wrote them. What a reader sees of the signature is the block
drawn in the letter's HTML (its department, "signé électroniquement"), tagged with the rest of the page; the signature
field itself is invisible: a widget of pyHanko's is not part of the structure tree, which PDF/UA requires of visible
annotations, so the widget is hidden and out of the page (PDF/UA exempts such annotations).
"""

from __future__ import annotations

import io
import os
from functools import lru_cache

from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps

FIELD_NAME = "Signature"
INVISIBLE = fields.InvisSigSettings(set_print_flag=False, set_hidden_flag=True, box_out_of_bounds=True)
# Room for the signature container, so that pyHanko does not sign a dummy first to measure it (a second RSA signature
# with its key parsed again, ~30 ms): a 4096-bit signature with a chain of three certificates takes less than half.
# With a timestamp, whose size depends on the authority's chain, pyHanko measures it.
SIGNATURE_RESERVE = 16 * 1024


class SigningUnavailable(Exception):
    """A certificate is configured but cannot be used (missing file, wrong password)."""


def signer_from_settings() -> signers.SimpleSigner | None:
    """The configured signer, or None when no certificate is configured (letters are then produced unsigned)."""
    path = settings.LETTER_SIGNING_P12
    if not path:
        return None
    try:
        modified = os.stat(path).st_mtime_ns
    except OSError as error:
        raise SigningUnavailable(f"The signing certificate {path} cannot be read.") from error
    return _signer(path, settings.LETTER_SIGNING_PASSWORD, modified)


@lru_cache(maxsize=1)
def _signer(path: str, password: str, modified: int) -> signers.SimpleSigner:
    """Loaded once per process and file version (`modified`: a renewed certificate is read again): opening a PKCS#12
    file checks its RSA key, which costs more than signing."""
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode() or None)
    if signer is None:  # pyHanko logs why
        raise SigningUnavailable(f"The signing certificate {path} cannot be loaded.")
    return signer


def timestamper_from_settings() -> timestamps.TimeStamper | None:
    return timestamps.HTTPTimeStamper(settings.LETTER_TSA_URL) if settings.LETTER_TSA_URL else None


def pdf_sign(pdf: bytes, *, signer: signers.Signer, reason: str, location: str) -> bytes:
    """The PDF with a PAdES signature (and a timestamp when a time-stamping authority is configured)."""
    timestamper = timestamper_from_settings()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    signed = signers.sign_pdf(
        writer,
        metadata,
        signer=signer,
        timestamper=timestamper,
        new_field_spec=fields.SigFieldSpec(FIELD_NAME, invis_sig_settings=INVISIBLE),
        bytes_reserved=None if timestamper else SIGNATURE_RESERVE,
    )
    return signed.getvalue()
