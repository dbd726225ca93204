"""Pages of ours (a letter, the copy of a request's answers) as tagged PDF/UA-1 documents, with WeasyPrint.

WeasyPrint fetches nothing but what such a page is made of: the print stylesheet from our static files (under
static/pdf/), the collectivité's logo from storage, and images embedded in the HTML (data: URLs). Anything else stops
the rendering, so that a document can never reach the network or a file, whatever its text holds.
"""

from __future__ import annotations

import mimetypes
import posixpath
import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import reverse
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from gru.colours import contrast_ratio
from gru.models import HEX_COLOUR, MINIMUM_CONTRAST, Organisation

# A host that never resolves (RFC 2606): the page's relative URLs point there, and the fetcher serves them itself.
BASE_URL = "https://lettre.invalid/"
STATIC_PREFIX = "pdf/"
DEFAULT_COLOUR = "#1d4f91"
WHITE = "#ffffff"


class PDFRenderingError(Exception):
    """The page could not be rendered (a resource it refers to was refused or is missing)."""


class PageFetcher(URLFetcher):
    """Serves the page's own resources and refuses everything else."""

    def __init__(self, organisation: Organisation) -> None:
        super().__init__(fail_on_errors=True)
        self.organisation = organisation

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):  # decoded in place, never fetched
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
            raise ValueError(f"A PDF page may not fetch {url}")
        path = unquote(parts.path)
        if path == reverse("organisation_logo") and self.organisation.logo:
            with self.organisation.logo.open("rb") as logo:
                return _response(url, logo.read(), self.organisation.logo.name)
        name = posixpath.normpath(path.removeprefix(settings.STATIC_URL))
        if not (path.startswith(settings.STATIC_URL) and name.startswith(STATIC_PREFIX)):
            raise ValueError(f"A PDF page may not fetch {url}")
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


def text_colour(colour: str | None, fallback: str) -> str:
    """`colour` if text of it stays readable on the white paper (WCAG AA, 4.5:1), else `fallback`: the collectivité's
    colours print text (its name, a subject), and an organisation saved without its form's check may be too light."""
    if colour and re.match(HEX_COLOUR, colour) and contrast_ratio(colour, WHITE) >= MINIMUM_CONTRAST:
        return colour
    return fallback


def html_pdf(html: str, *, organisation: Organisation) -> bytes:
    """A page of ours as PDF/UA-1 (tagged, titled, its fonts embedded), fetching only its own resources
    (PageFetcher)."""
    page = HTML(string=html, base_url=BASE_URL, url_fetcher=PageFetcher(organisation))
    try:
        return page.write_pdf(pdf_variant="pdf/ua-1")
    except FatalURLFetchingError as error:  # a BaseException: it would go through `except Exception`
        raise PDFRenderingError(str(error)) from error
