"""Letters of alice's birth-certificate request, written by bob, and what renders and signs them."""

import datetime
import io
import logging

import pypdf
import pytest

from gru.models import Department, Organisation
from letters import services
from letters.models import Kind, Letter, LetterTemplate
from letters.pdf import LetterDocument
from teleservices.letters_context import letter_context
from tests.backoffice.conftest import submit
from tests.letters.pki import PASSWORD, make_pki

DECISION_BODY = (
    "Madame, Monsieur {{ usager.nom }},\n\n"
    "Votre demande {{ demande.reference }} du {{ demande.date_depot }} est acceptée : "
    "{{ demande.reponses.nombre }} exemplaire(s), {{ demande.reponses.type_copie }}.\n\n"
    '{% if demande.reponses.envoi == "Par courrier" %}Il vous est envoyé par courrier.{% else %}'
    "Il est à retirer en mairie.{% endif %}\n\n"
    "{{ agent.nom }}, {{ service.nom }}"
)


class _ErrorRecorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(autouse=True)
def _weasyprint_errors_fail_the_test():
    """WeasyPrint only logs what breaks PDF/UA (an image without alt, a page without lang) and writes the PDF all the
    same: an ERROR on its logger fails the test."""
    recorder = _ErrorRecorder()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(recorder)
    yield recorder
    logger.removeHandler(recorder)
    assert recorder.messages == []


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def signing(settings, pki):
    """The signing certificate configured, as in production."""
    settings.LETTER_SIGNING_P12 = str(pki.p12)
    settings.LETTER_SIGNING_PASSWORD = PASSWORD
    return pki


@pytest.fixture
def birth_case(alice, teleservices):
    """alice's request for a birth certificate, instructed by État civil (bob's department)."""
    return submit(alice, teleservices["acte-de-naissance"])


@pytest.fixture
def decision_template(etat_civil):
    return LetterTemplate.objects.create(
        name="Délivrance de l'acte",
        slug="delivrance-acte",
        kind=Kind.DECISION,
        signed=True,
        subject="Votre demande {{ demande.reference }}",
        body=DECISION_BODY,
    )


@pytest.fixture
def information_template(etat_civil):
    return LetterTemplate.objects.create(
        name="Information",
        slug="information",
        kind=Kind.INFORMATION,
        subject="Information sur votre demande {{ demande.reference }}",
        body="Bonjour {{ usager.prenom }} {{ usager.nom }},\n\nVotre demande est en cours d'instruction.",
    )


@pytest.fixture
def write_letter(bob, django_capture_on_commit_callbacks):
    """bob writes a letter on a request; its PDF is generated when the transaction commits (tasks run eagerly)."""

    def write(case, template, **overrides) -> Letter:
        with django_capture_on_commit_callbacks(execute=True):
            letter = services.letter_create(
                case=case, template=template, context=letter_context(case=case, agent=bob), author=bob, **overrides
            )
        letter.refresh_from_db()
        return letter

    return write


def pdf_reader(content: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(content))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pdf_reader(content).pages)


def sample_document(**changes) -> LetterDocument:
    """A decision of État civil to alice, with `changes`, built without the database."""
    organisation = Organisation(
        name="Ville de Beaulieu-sur-Loire",
        address="1 place de la Mairie\n45630 Beaulieu-sur-Loire",
        primary_colour="#8a1538",
    )
    fields = {
        "organisation": organisation,
        "department": Department(organisation=organisation, name="État civil", signatory="Pour le maire, Jeanne Roux"),
        "kind": "decision",
        "subject": "Votre demande d'acte de naissance",
        "body": "Madame,\n\nVotre demande est acceptée.",
        "recipient_name": "Alice Martin",
        "recipient_address": "1 rue Haute\n45630 Beaulieu-sur-Loire",
        "reference": "DEM-2026-7K4QXM",
        "dated_on": datetime.date(2026, 3, 3),
        "code": "7K4Q-XM2B-9HTD",
        "signed": True,
    }
    return LetterDocument(**{**fields, **changes})
