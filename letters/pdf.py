"""A letter as HTML (templates/letters/letter.html) and as a tagged PDF/UA-1 document (gru.pdf renders it, fetching
nothing but its stylesheet, the collectivité's logo and the QR code embedded in the HTML), and the day's letters
merged to print.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

import pikepdf
import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from gru.models import Department, Organisation
from gru.pdf import DEFAULT_COLOUR, html_pdf, text_colour
from letters.models import Kind


@dataclass(frozen=True)
class LetterDocument:
    """What a letter prints, gathered before rendering. An empty `code` is a preview: it has no verification code."""

    organisation: Organisation
    department: Department
    kind: str
    subject: str
    body: str
    recipient_name: str
    recipient_address: str
    reference: str
    dated_on: datetime.date
    code: str
    signed: bool

    @property
    def verify_url(self) -> str:
        return settings.SITE_URL + reverse("letters:verify", args=[self.code]) if self.code else ""


def qr_code(url: str) -> str:
    """The verification page's address as a QR code, an SVG data: URL (an <img> with an alt text is tagged as a
    Figure with /Alt; an inline <svg> would get no alternative text)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0)


def letter_html(document: LetterDocument) -> str:
    primary = text_colour(document.organisation.primary_colour, DEFAULT_COLOUR)
    context = {
        "document": document,
        "kind": Kind(document.kind).label,
        "colour": primary,
        "accent": text_colour(document.organisation.accent_colour, primary),
        "qr_code": qr_code(document.verify_url) if document.code else "",
    }
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("letters/letter.html", context)


def letter_pdf(document: LetterDocument) -> bytes:
    """The letter as PDF/UA-1: tagged, in French, titled, with its fonts embedded."""
    return html_pdf(letter_html(document), organisation=document.organisation)


def pdfs_merge(contents: Iterable[bytes], out: BinaryIO) -> int:
    """PDFs one after the other into `out`, as one document to print (their signatures do not survive: the paper
    copies carry their verification codes); each source is closed once its pages are copied. Returns how many."""
    merged = pikepdf.new()
    count = 0
    for content in contents:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            merged.pages.extend(pdf.pages)
        count += 1
    merged.save(out)
    return count
