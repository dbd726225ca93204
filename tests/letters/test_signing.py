"""Decisions and attestations signed (PAdES) with the configured certificate, verifiable by anyone trusting its
authority; produced unsigned, and said so, when no certificate is configured."""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asn1crypto import tsp
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import validation
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from letters.models import Letter
from letters.pdf import letter_pdf
from letters.signing import pdf_sign, signer_from_settings
from tests.letters.conftest import pdf_reader, pdf_text, sample_document
from tests.letters.pki import SIGNER_NAME


def _signature(content: bytes, pki):
    signature = PdfFileReader(io.BytesIO(content)).embedded_signatures[0]
    return validation.validate_pdf_signature(signature, ValidationContext(trust_roots=[pki.root]))


def test_a_decision_is_signed_over_the_whole_document_by_the_configured_signer(
    signing, birth_case, decision_template, write_letter
):
    letter = write_letter(birth_case, decision_template)
    assert letter.status == Letter.Status.READY and letter.signed
    status = _signature(letter.pdf.read(), signing)
    assert status.bottom_line and status.intact and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.modification_level == ModificationLevel.NONE
    assert status.signing_cert.subject.native["common_name"] == SIGNER_NAME
    assert "Document signé électroniquement." in pdf_text(letter.pdf.read())


def test_the_signature_is_appended_to_the_rendered_pdf_which_stays_byte_for_byte(signing):
    rendered = letter_pdf(sample_document())
    signed = pdf_sign(rendered, signer=signer_from_settings(), reason="Décision", location="Beaulieu-sur-Loire")
    assert signed.startswith(rendered) and len(signed) > len(rendered)


def test_one_byte_changed_after_signing_breaks_the_signature(signing, birth_case, decision_template, write_letter):
    content = bytearray(write_letter(birth_case, decision_template).pdf.read())
    content[content.index(b"/Lang (fr)") + len(b"/Lang (f")] = ord("x")  # /Lang (fx), inside the signed bytes
    status = _signature(bytes(content), signing)
    assert not status.intact and not status.bottom_line


def test_tags_and_language_survive_the_signature(signing, birth_case, decision_template, write_letter):
    reader = pdf_reader(write_letter(birth_case, decision_template).pdf.read())
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr" and bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root


def test_the_signature_field_is_hidden_and_off_the_page(signing, birth_case, decision_template, write_letter):
    """A widget outside the structure tree must be hidden for PDF/UA: what readers see is the block in the page."""
    reader = pdf_reader(write_letter(birth_case, decision_template).pdf.read())
    (widget,) = [a.get_object() for a in reader.pages[0]["/Annots"]]
    assert widget["/FT"] == "/Sig" and widget["/F"] & 2  # Hidden
    assert [float(x) for x in widget["/Rect"]][2] <= 0


def test_without_a_certificate_a_decision_is_produced_unsigned_and_flagged(birth_case, decision_template, write_letter):
    letter = write_letter(birth_case, decision_template)
    assert letter.status == Letter.Status.READY and not letter.signed
    assert letter.unsigned_for_want_of_certificate
    assert PdfFileReader(io.BytesIO(letter.pdf.read())).embedded_signatures == []
    assert "signé électroniquement" not in pdf_text(letter.pdf.read())


def test_an_information_letter_is_never_signed(signing, birth_case, information_template, write_letter):
    letter = write_letter(birth_case, information_template)
    assert not letter.signed and not letter.unsigned_for_want_of_certificate


def test_a_wrong_password_leaves_a_draft_that_says_why(signing, settings, birth_case, decision_template, write_letter):
    settings.LETTER_SIGNING_PASSWORD = "not-the-password"
    letter = write_letter(birth_case, decision_template)
    assert letter.status == Letter.Status.DRAFT and letter.pdf is None
    assert "cannot be loaded" in letter.error


def test_the_start_says_when_no_certificate_is_configured(caplog):
    from django.apps import apps

    with caplog.at_level("WARNING", logger="letters"):
        apps.get_app_config("letters").ready()
    assert "No signing certificate" in caplog.text


@pytest.fixture
def tsa(signing):
    """A time-stamping authority on loopback (RFC 3161 over HTTP), answering with pyHanko's dummy stamper."""
    stamper = DummyTimeStamper(tsa_cert=signing.tsa_certificate, tsa_key=signing.tsa_key)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_with_a_time_stamping_authority_the_signature_is_timestamped(
    tsa, settings, signing, birth_case, decision_template, write_letter
):
    settings.LETTER_TSA_URL = tsa
    status = _signature(write_letter(birth_case, decision_template).pdf.read(), signing)
    assert status.bottom_line
    assert status.timestamp_validity is not None and status.timestamp_validity.intact
