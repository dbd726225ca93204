"""A letter as HTML (templates/letters/letter.html) and as a tagged PDF/UA-1 document, with WeasyPrint.

WeasyPrint fetches nothing but what a letter is made of: its stylesheet from our static files, the collectivité's
logo from storage, and the QR code embedded in the HTML (a data: URL). Anything else stops the rendering, so that a
letter can never reach the network, whatever its text holds.
"""

from __future__ import annotations

import datetime
import io
import mimetypes
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

import pikepdf
import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from gru.colours import contrast_ratio
from gru.models import HEX_COLOUR, MINIMUM_CONTRAST, Department, Organisation
from letters.models import Kind

# A host that never resolves (RFC 2606): the page's relative URLs point there, and the fetcher serves them itself.
BASE_URL = "https://lettre.invalid/"
STATIC_PREFIX = "letters/"
DEFAULT_COLOUR = "#1d4f91"
WHITE = "#ffffff"


class LetterRenderingError(Exception):
    """The letter could not be rendered (a resource it refers to was refused or is missing)."""


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


class LetterFetcher(URLFetcher):
    """Serves the letter's own resources and refuses everything else."""

    def __init__(self, organisation: Organisation) -> None:
        super().__init__(fail_on_errors=True)
        self.organisation = organisation

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):  # decoded in place, never fetched
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
            raise ValueError(f"A letter may not fetch {url}")
        path = unquote(parts.path)
        if path == reverse("organisation_logo") and self.organisation.logo:
            with self.organisation.logo.open("rb") as logo:
                return _response(url, logo.read(), self.organisation.logo.name)
        name = posixpath.normpath(path.removeprefix(settings.STATIC_URL))
        if not (path.startswith(settings.STATIC_URL) and name.startswith(STATIC_PREFIX)):
            raise ValueError(f"A letter may not fetch {url}")
        return _response(url, _static_file(name), name)


def _static_file(name: str) -> bytes:
    """A static file as collected (under its hashed name in production), or from the source tree (development)."""
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as collected:
            return collected.read()
    found = finders.find(name)
    if not isinstance(found, str):
        raise ValueError(f"No static file {name}")
    with open(found, "rb") as source:
        return source.read()


def _response(url: str, content: bytes, name: str) -> URLFetcherResponse:
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, content, headers={"Content-Type": content_type})


def qr_code(url: str) -> str:
    """The verification page's address as a QR code, an SVG data: URL (an <img> with an alt text is tagged as a
    Figure with /Alt; an inline <svg> would get no alternative text)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0)


def text_colour(colour: str | None, fallback: str) -> str:
    """`colour` if text of it stays readable on the white paper (WCAG AA, 4.5:1), else `fallback`: both colours print
    text (the collectivité's name, the subject), and an organisation saved without its form's check may be too
    light."""
    if colour and re.match(HEX_COLOUR, colour) and contrast_ratio(colour, WHITE) >= MINIMUM_CONTRAST:
        return colour
    return fallback


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


def html_pdf(html: str, *, organisation: Organisation) -> bytes:
    """A page of ours as PDF/UA-1, fetching only what a letter may (LetterFetcher): a letter, a copy of answers."""
    page = HTML(string=html, base_url=BASE_URL, url_fetcher=LetterFetcher(organisation))
    try:
        return page.write_pdf(pdf_variant="pdf/ua-1")
    except FatalURLFetchingError as error:  # a BaseException: it would go through `except Exception`
        raise LetterRenderingError(str(error)) from error


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
