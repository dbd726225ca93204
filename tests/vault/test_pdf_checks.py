"""PDFs are accepted whole and inert: nothing after their end, no script, no embedded file, no program to launch;
those the portal produces itself (WeasyPrint letters, signed by pyHanko in an incremental update) pass."""

import io
from collections.abc import Callable

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pikepdf import Array, Dictionary, Name, String
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from letters.pdf import letter_pdf
from letters.signing import pdf_sign, signer_from_settings
from tests.letters.conftest import sample_document
from tests.letters.pki import PASSWORD, make_pki
from tests.teleservices.conftest import pdf_bytes
from tests.vault.pdfs import SCRIPT, opening_on_the_first_page, pdf_with
from vault import files
from vault.files import file_check


def _check(content: bytes):
    return file_check(SimpleUploadedFile("courrier.pdf", content), types=["pdf"], max_size=10**7)


def _refusal(content: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        _check(content)
    return refused.value.messages[0]


@pytest.fixture(scope="module")
def letter() -> bytes:
    return letter_pdf(sample_document())


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def signed_letter(settings, letter, pki) -> bytes:
    settings.LETTER_SIGNING_P12, settings.LETTER_SIGNING_PASSWORD = str(pki.p12), PASSWORD
    return pdf_sign(letter, signer=signer_from_settings(), reason="Décision", location="Beaulieu-sur-Loire")


def _with_open_action_added(content: bytes) -> bytes:
    """The PDF with a script run at opening, added as an incremental update (a revision after the first %%EOF)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(content))
    writer.root["/OpenAction"] = generic.DictionaryObject(
        {
            generic.NameObject("/S"): generic.NameObject("/JavaScript"),
            generic.NameObject("/JS"): generic.TextStringObject(SCRIPT),
        }
    )
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def test_a_plain_pdf_is_accepted_as_it_is():
    content = pdf_bytes()
    checked = _check(content)
    assert (checked.content, checked.mime) == (content, "application/pdf")


def test_white_space_after_the_end_of_a_pdf_is_accepted():
    assert _check(pdf_bytes() + b"\r\n \n\x00").mime == "application/pdf"


def test_an_open_action_that_only_shows_the_first_page_is_accepted():
    assert _check(opening_on_the_first_page()).mime == "application/pdf"


def test_the_letters_the_portal_renders_are_accepted(letter):
    assert _check(letter).content == letter


def test_a_signed_letter_with_its_incremental_update_is_accepted(signed_letter):
    assert signed_letter.count(b"%%EOF") == 2  # the rendered letter's, then the signature's
    assert _check(signed_letter).content == signed_letter


def test_only_what_follows_the_last_end_of_file_counts(signed_letter):
    assert "endommagé" in _refusal(signed_letter + b"<html><script>alert(1)</script></html>")


def test_a_script_added_by_an_incremental_update_is_found(letter):
    updated = _with_open_action_added(letter)
    assert updated.count(b"%%EOF") == 2
    message = _refusal(updated)
    assert "contient du contenu actif" in message and "courrier.pdf" in message


def test_a_pdf_with_too_much_to_read_is_refused_rather_than_read_for_minutes(letter, monkeypatch):
    monkeypatch.setattr(files, "MAX_PDF_ITEMS", 10)
    assert "trop complexe pour être vérifié" in _refusal(letter)


def _annotation_with_action(action: Dictionary) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 10, 10], A=action)
        pdf.pages[0].obj.Annots = Array([link])

    return change


@pytest.mark.parametrize(
    "action",
    [
        Dictionary(S=Name.SubmitForm, F=String("https://collecte.example/formulaire")),
        Dictionary(S=Name.ImportData, F=String("valeurs.fdf")),
        Dictionary(S=Name.GoToR, F=String("autre.pdf"), D=Array([0, Name.Fit])),
        Dictionary(S=Name.GoToE, T=Dictionary(R=Name.C, N=String("joint.pdf"))),
    ],
    ids=["submit form", "import data", "remote go-to", "embedded go-to"],
)
def test_an_action_that_sends_imports_or_opens_another_document_is_refused(action):
    assert "contient du contenu actif" in _refusal(pdf_with(_annotation_with_action(action)))


@pytest.mark.parametrize(
    "before",
    [b"\xef\xbb\xbf", b"<html><body><script>alert(1)</script></body></html>\n", b"\r\n"],
    ids=["byte-order mark", "HTML page", "line break"],
)
def test_a_pdf_preceded_by_anything_is_refused(before):
    assert _refusal(before + pdf_bytes())
