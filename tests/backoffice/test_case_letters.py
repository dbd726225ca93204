"""Letters on a case: sent by a workflow action or written by an agent (changed before sending), in the history, the
citizen's letters and an email with the PDF; the day's letters of a department as one PDF to post."""

import io

import pikepdf
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from backoffice import services as backoffice_services
from letters.models import Kind, Letter, LetterTemplate
from teleservices.models import CaseEvent
from tests.backoffice.conftest import action


@pytest.fixture
def information(etat_civil):
    return LetterTemplate.objects.create(
        name="Pièce manquante",
        slug="piece-manquante",
        kind=Kind.INFORMATION,
        subject="Votre demande {{ demande.reference }}",
        body="Bonjour {{ usager.prenom }},\n\nVotre demande {{ demande.reference }} est à l'étude.\n\n{{ agent.nom }}",
    )


def _letter_url(name, letter):
    return reverse(f"backoffice:{name}", args=[letter.case.reference, letter.code])


def test_a_workflow_action_sends_its_letter_with_the_pdf_by_email(
    bob, alice, birth_case, information, django_capture_on_commit_callbacks
):
    transition = action(birth_case, "Prendre en charge")
    transition.letter_template = information
    transition.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        backoffice_services.case_transition(case=birth_case, transition=transition, actor=bob)
    letter = birth_case.letters.get(template=information)
    assert letter.status == Letter.Status.SENT and letter.sent_by == bob
    assert birth_case.events.filter(kind=CaseEvent.Kind.LETTER, detail=letter.subject).exists()
    sent = [m for m in mail.outbox if "courrier" in m.subject.lower()]
    assert len(sent) == 1 and sent[0].to == [alice.email]
    name, content, mime = sent[0].attachments[0]
    assert mime == "application/pdf" and content.startswith(b"%PDF")


def test_bob_writes_changes_and_sends_a_letter_that_alice_then_reads(
    bob_client, client, alice, birth_case, information, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = bob_client.post(
            reverse("backoffice:letter_new", args=[birth_case.reference]), {"template": information.pk}
        )
    letter = birth_case.letters.get(template=information)
    assert response["Location"] == _letter_url("letter", letter)
    page = bob_client.get(response["Location"]).content.decode()
    assert "prêt à envoyer" in page and letter.pdf.get_absolute_url() in page
    with django_capture_on_commit_callbacks(execute=True):
        bob_client.post(_letter_url("letter", letter), {"subject": "Votre acte", "body": "Votre acte est prêt."})
    letter.refresh_from_db()
    assert letter.subject == "Votre acte" and letter.status == Letter.Status.READY
    with django_capture_on_commit_callbacks(execute=True):
        response = bob_client.post(_letter_url("letter_send", letter))
    assert response["Location"] == reverse("backoffice:case", args=[birth_case.reference])
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT
    refused = bob_client.post(_letter_url("letter", letter), {"subject": "Autre", "body": "Autre"})
    assert refused.status_code == 200
    letter.refresh_from_db()
    assert letter.subject == "Votre acte"  # frozen once sent
    client.force_login(alice)
    mine = client.get(reverse("letters:mine")).content.decode()
    assert "Votre acte" in mine and letter.pdf.get_absolute_url() in mine
    assert client.get(letter.pdf.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(("persona", "status"), [("carol", 404), ("eve", 403)])
def test_others_neither_write_nor_read_the_letters_of_a_case(
    client, request, birth_case, information, persona, status, django_capture_on_commit_callbacks
):
    from teleservices.services import case_letter_create

    with django_capture_on_commit_callbacks(execute=True):
        letter = case_letter_create(case=birth_case, template=information, author=None)
    letter.refresh_from_db()
    client.force_login(request.getfixturevalue(persona))
    new = client.post(reverse("backoffice:letter_new", args=[birth_case.reference]), {"template": information.pk})
    assert new.status_code == status
    assert client.get(reverse("backoffice:letter", args=[birth_case.reference, letter.code])).status_code == status
    assert not birth_case.letters.exclude(pk=letter.pk).filter(template=information).exists()
    assert client.get(letter.pdf.get_absolute_url()).status_code == 404
    assert "Votre demande" not in client.get(reverse("letters:mine")).content.decode()


def test_the_days_letters_of_a_department_come_as_one_pdf(
    bob_client, bob, birth_case, information, django_capture_on_commit_callbacks
):
    from teleservices.services import case_letter_create

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            case_letter_create(case=birth_case, template=information, author=bob, send=True)
    url = reverse("backoffice:letters_print")
    assert bob_client.get(url).status_code == 200
    day = timezone.localdate().strftime("%d/%m/%Y")
    response = bob_client.get(url, {"department": birth_case.department_id, "day": day})
    assert response["Content-Disposition"].startswith("attachment;")
    with pikepdf.open(io.BytesIO(b"".join(response.streaming_content))) as merged:
        sent = Letter.objects.sent_on(timezone.localdate()).filter(case__department=birth_case.department)
        assert len(merged.pages) == sum(len(pikepdf.open(io.BytesIO(le.pdf.read())).pages) for le in sent)
    empty = bob_client.get(url, {"department": birth_case.department_id, "day": "01/01/2020"})
    assert "Aucun courrier" in empty.content.decode()
