"""The message thread of a request and the emails that tell the citizen."""

from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from backoffice.services import case_transition
from teleservices import services
from teleservices.models import CaseEvent

REPORT = {"categorie": "eclairage", "localisation": "Devant le 4 rue des Tilleuls"}


def _submitted(alice, teleservices):
    case = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
    return services.case_submit(case=services.case_page_save(case=case, answers=REPORT, files={}, page=0))


def _action(case, label):
    return case.teleservice.workflow.transitions.get(label=label)


def test_a_citizen_writes_to_the_department_with_an_attachment(alice_client, alice, teleservices, pdf_upload):
    case = _submitted(alice, teleservices)
    url = reverse("teleservices:case", args=[case.reference])
    response = alice_client.post(url, {"body": "Voici la photo demandée.", "attachments": [pdf_upload("photo.pdf")]})
    assert response.status_code == 302
    message = case.messages.get()
    assert message.author == alice and not message.from_agent
    assert message.attachments.get().name == "photo.pdf"
    page = alice_client.get(url).content.decode()
    assert "Voici la photo demandée." in page and "photo.pdf" in page
    assert case.events.filter(kind=CaseEvent.Kind.MESSAGE).exists()


def test_an_empty_message_or_a_bad_attachment_is_refused_and_the_text_kept(alice_client, alice, teleservices):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = _submitted(alice, teleservices)
    url = reverse("teleservices:case", args=[case.reference])
    empty = alice_client.post(url, {"body": ""})
    assert empty.status_code == 200 and "Ce champ est obligatoire." in empty.content.decode()
    fake = SimpleUploadedFile("facture.pdf", b"MZ\x90\x00 not a pdf")
    bad = alice_client.post(url, {"body": "Ma facture", "attachments": [fake]})
    assert bad.status_code == 200
    assert "Ma facture</textarea>" in bad.content.decode()
    assert not case.messages.exists()


def test_an_agents_message_and_a_status_change_are_emailed_to_the_citizen(
    alice, bob, teleservices, django_capture_on_commit_callbacks
):
    case = _submitted(alice, teleservices)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_message_post(case=case, author=bob, body="Merci, nous intervenons.", files=[], from_agent=True)
        case_transition(case=case, transition=_action(case, "Prendre en charge"), actor=None)
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        f"Nouveau message sur votre demande « {case.teleservice.title} » ({case.reference})",
        f"Votre demande « {case.teleservice.title} » ({case.reference}) a un nouveau statut",
    ]
    assert "Merci, nous intervenons." not in mail.outbox[0].body  # read in the space, not in a mailbox
    assert "En cours d'instruction" in mail.outbox[1].body
    assert case.events.filter(kind=CaseEvent.Kind.STATUS_CHANGED, status__key="en_cours").exists()


def test_the_timeline_shows_submission_status_changes_and_messages(alice_client, alice, bob, teleservices):
    case = _submitted(alice, teleservices)
    services.case_message_post(case=case, author=bob, body="Une question", files=[], from_agent=True)
    case_transition(case=case, transition=_action(case, "Accepter"), actor=None)
    page = alice_client.get(reverse("teleservices:case", args=[case.reference])).content.decode()
    assert "Demande déposée" in page and "Message du service" in page and "Statut : Acceptée" in page


def test_the_request_page_says_when_the_decision_is_expected_and_when_the_time_limit_is_suspended(
    alice_client, alice, teleservices
):
    case = _submitted(alice, teleservices)
    url = reverse("teleservices:case", args=[case.reference])
    with translation.override("fr"):
        expected = f"Décision attendue avant le {date_format(case.deadline, 'j F Y')}."
    assert expected in alice_client.get(url).content.decode()
    case_transition(case=case, transition=_action(case, "Demander des compléments"), actor=None, comment="Photo ?")
    page = alice_client.get(url).content.decode()
    assert "Le délai est suspendu jusqu’à votre réponse" in page and "Décision attendue" not in page
    case_transition(case=case, transition=_action(case, "Classer sans suite"), actor=None, comment="Sans réponse.")
    case.refresh_from_db()
    assert case.status.is_terminal
    page = alice_client.get(url).content.decode()
    assert "Décision attendue" not in page and "délai est suspendu" not in page
