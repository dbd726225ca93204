"""Letters rendered as tagged PDF/UA-1 by WeasyPrint, with the collectivité's letterhead, fetching nothing else."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from pypdf.generic import DictionaryObject

from gru.models import Department, Organisation
from gru.pdf import DEFAULT_COLOUR, PDFRenderingError
from letters.pdf import letter_html, letter_pdf, qr_code
from tests.letters.conftest import pdf_reader, pdf_text, sample_document

LONG_BODY = "\n\n".join(["Considérant les pièces du dossier et les règles applicables à la demande. " * 12] * 9)


def _structure(node, found=None):
    """Every structure element's type, with its alternative text."""
    found = [] if found is None else found
    node = node.get_object()
    if isinstance(node, DictionaryObject) and "/S" in node:
        found.append((node["/S"], node.get("/Alt")))
    kids = node.get("/K") if isinstance(node, DictionaryObject) else node
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        if hasattr(kid, "get_object") and not isinstance(kid.get_object(), int):
            _structure(kid, found)
    return found


def test_the_pdf_holds_the_letter_its_letterhead_signature_block_and_verification_code():
    text = pdf_text(letter_pdf(sample_document()))
    for expected in [
        "Ville de Beaulieu-sur-Loire",
        "1 place de la Mairie",
        "Alice Martin",
        "1 rue Haute",
        "3 mars 2026",
        "DEM-2026-7K4QXM",
        "Votre demande d'acte de naissance",
        "Votre demande est acceptée.",
        "Pour le maire, Jeanne Roux",
        "7K4Q-XM2B-9HTD",
        "/verifier/7K4Q-XM2B-9HTD/",
        "Page 1 / 1",
    ]:
        assert expected in text


def test_the_pdf_is_tagged_in_french_with_a_title_and_its_fonts_embedded():
    reader = pdf_reader(letter_pdf(sample_document()))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "fr"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == "Votre demande d'acte de naissance"
    kinds = [kind for kind, _alt in _structure(root["/StructTreeRoot"])]
    assert {"/Document", "/H1", "/P", "/Figure"} <= set(kinds)
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)[
                "/FontDescriptor"
            ]
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


def test_the_qr_code_is_a_figure_whose_alternative_text_gives_the_address():
    root = pdf_reader(letter_pdf(sample_document())).trailer["/Root"]
    figures = [alt for kind, alt in _structure(root["/StructTreeRoot"]) if kind == "/Figure"]
    assert figures == ["QR code menant à la page de vérification http://127.0.0.1:8000/verifier/7K4Q-XM2B-9HTD/"]


def test_a_long_letter_numbers_its_pages_out_of_their_total():
    reader = pdf_reader(letter_pdf(sample_document(body=LONG_BODY)))
    assert len(reader.pages) == 3
    assert [f"Page {n} / 3" in page.extract_text() for n, page in enumerate(reader.pages, 1)] == [True] * 3


def test_an_answer_holding_markup_is_printed_as_text(settings):
    document = sample_document(body='Remarque : <img src="https://example.org/x.png"> <b>urgent</b>')
    html = letter_html(document)
    assert "&lt;img src=&quot;https://example.org/x.png&quot;&gt; &lt;b&gt;urgent&lt;/b&gt;" in html
    assert '<img src="https://example.org' not in html
    assert '<img src="https://example.org/x.png"> <b>urgent</b>' in pdf_text(letter_pdf(document))


def test_the_logo_comes_from_storage_with_an_alternative_text(organisation):
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), "#1d4f91").save(buffer, "PNG")
    organisation.logo.save("logo.png", ContentFile(buffer.getvalue()))
    document = sample_document(
        organisation=organisation, department=Department(organisation=organisation, name="État civil")
    )
    root = pdf_reader(letter_pdf(document)).trailer["/Root"]
    alternatives = [alt for kind, alt in _structure(root["/StructTreeRoot"]) if kind == "/Figure"]
    assert "Logo de Ville de Beaulieu-sur-Loire" in alternatives


def _colours(primary: str, accent: str) -> str:
    """The colours the letter's HTML gives its stylesheet, as one line."""
    organisation = Organisation(name="Ville de Beaulieu-sur-Loire", primary_colour=primary, accent_colour=accent)
    style = re.search(r'<body style="([^"]*)"', letter_html(sample_document(organisation=organisation))).group(1)
    return " ".join(style.split())


def test_the_letter_carries_the_primary_and_the_accent_colour_of_the_collectivite():
    assert _colours("#8a1538", "#0b6e4f") == "--primary: #8a1538; --accent: #0b6e4f"


@pytest.mark.parametrize(
    ("primary", "accent", "expected"),
    [
        ("#8a1538", "#f5c400", "--primary: #8a1538; --accent: #8a1538"),  # a yellow accent: the primary instead
        ("#e8a0b0", "#f5c400", f"--primary: {DEFAULT_COLOUR}; --accent: {DEFAULT_COLOUR}"),
        ("#8a1538", "not a colour", "--primary: #8a1538; --accent: #8a1538"),
    ],
)
def test_a_colour_too_light_for_text_on_white_is_replaced_by_a_readable_one(primary, accent, expected):
    assert _colours(primary, accent) == expected


def test_a_preview_has_no_verification_code():
    text = pdf_text(letter_pdf(sample_document(code="")))
    assert "/verifier/" not in text and "Aperçu" in text


def test_a_letter_refering_to_the_network_is_not_rendered(monkeypatch):
    monkeypatch.setattr(
        "letters.pdf.letter_html",
        lambda document: '<html lang="fr"><title>x</title><img src="https://example.org/x.png" alt="x"></html>',
    )
    with pytest.raises(PDFRenderingError):
        letter_pdf(sample_document())


def test_weasyprint_reports_an_image_without_alternative_text_which_fails_these_tests(
    _weasyprint_errors_fail_the_test, monkeypatch
):
    monkeypatch.setattr("letters.pdf.letter_html", lambda document: f'<html><img src="{qr_code("x")}"></html>')
    letter_pdf(sample_document())
    assert any("no required alt" in message for message in _weasyprint_errors_fail_the_test.messages)
    assert any('Missing required "lang"' in message for message in _weasyprint_errors_fail_the_test.messages)
    _weasyprint_errors_fail_the_test.messages.clear()
