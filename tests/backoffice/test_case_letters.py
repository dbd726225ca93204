"""Letters on a case: sent by a workflow action or written by an agent (changed before sending), in the history, the
citizen's letters and an email with the PDF; the day's letters of a department as one PDF to post."""

import html
import io
import re

import pikepdf
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backoffice import services as backoffice_services
from letters import services as letters_services
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


HTMX = {"HX-Request": "true"}


def _letter_url(name, letter):
    return reverse(f"backoffice:{name}", args=[letter.case.reference, letter.code])


def test_a_workflow_action_sends_its_letter_by_email_with_the_pdf_and_to_alices_letters_only(
    bob, alice, eve, birth_case, information, django_capture_on_commit_callbacks
):
    alice_client, eve_client = Client(), Client()
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
    alice_client.force_login(alice)
    mine = alice_client.get(reverse("letters:mine")).content.decode()
    assert letter.subject in mine and letter.pdf.get_absolute_url() in mine
    eve_client.force_login(eve)
    assert letter.subject not in eve_client.get(reverse("letters:mine")).content.decode()


def test_a_letter_sent_by_a_workflow_action_is_on_the_citizens_timeline(
    bob, alice_client, birth_case, information, django_capture_on_commit_callbacks
):
    transition = action(birth_case, "Prendre en charge")
    transition.letter_template = information
    transition.save()
    with django_capture_on_commit_callbacks(execute=True):
        backoffice_services.case_transition(case=birth_case, transition=transition, actor=bob)
    letter = birth_case.letters.get(template=information)
    page = alice_client.get(reverse("teleservices:case", args=[birth_case.reference])).content.decode()
    timeline = re.search(r'<ol class="timeline">.*?</ol>', page, re.S).group(0)
    assert f"Courrier : « {letter.subject} »" in html.unescape(timeline) and reverse("letters:mine") in timeline


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


def _generating(case, template):
    """A letter whose PDF is not generated yet: its task queued once the transaction commits, which it does not."""
    from teleservices.services import case_letter_create

    return case_letter_create(case=case, template=template, author=None)


def test_a_letter_being_generated_is_polled_on_the_case_page_until_ready(
    bob_client, birth_case, information, django_assert_max_num_queries
):
    letter = _generating(birth_case, information)
    status_url = _letter_url("letter_status", letter)
    case_page = bob_client.get(reverse("backoffice:case", args=[birth_case.reference])).content.decode()
    assert f'hx-get="{status_url}"' in case_page and 'http-equiv="refresh"' not in case_page
    with django_assert_max_num_queries(5):
        generating = bob_client.get(status_url, headers=HTMX)
    assert generating.status_code == 200 and "HX-Request" in generating["Vary"]
    fragment = generating.content.decode()
    assert "en cours de génération" in fragment and f'hx-get="{status_url}"' in fragment
    assert f'<a href="{status_url}">Actualiser</a>' in fragment
    letters_services.letter_render(letter_id=letter.pk)
    ready = bob_client.get(status_url, headers=HTMX).content.decode()
    assert "prêt à envoyer" in ready and "en cours de génération" not in ready
    assert "hx-get" not in ready  # polling stops
    assert f'href="{_letter_url("letter", letter)}">Lire et envoyer le courrier</a>' in ready


def test_the_refresh_link_without_javascript_leads_to_the_letters_page(bob_client, birth_case, information):
    letter = _generating(birth_case, information)
    response = bob_client.get(_letter_url("letter_status", letter))
    assert response.status_code == 302 and response["Location"] == _letter_url("letter", letter)
    page = bob_client.get(response["Location"]).content.decode()
    assert "en cours de génération" in page and f'hx-get="{_letter_url("letter_status", letter)}"' in page


@pytest.mark.parametrize(("persona", "status"), [("carol", 404), ("eve", 403), ("alice", 403)])
def test_others_cannot_read_the_status_of_a_letter(client, request, birth_case, information, persona, status):
    letter = _generating(birth_case, information)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_letter_url("letter_status", letter), headers=HTMX).status_code == status


def test_an_agent_the_case_is_shared_with_reads_the_status_without_the_link_to_send(
    carol_client, bob, carol, birth_case, information
):
    backoffice_services.case_share(case=birth_case, agent=carol, actor=bob)
    letter = _generating(birth_case, information)
    letters_services.letter_render(letter_id=letter.pk)
    ready = carol_client.get(_letter_url("letter_status", letter), headers=HTMX).content.decode()
    assert "prêt à envoyer" in ready and _letter_url("letter", letter) not in ready
    without_javascript = carol_client.get(_letter_url("letter_status", letter))
    assert without_javascript["Location"] == reverse("backoffice:case", args=[birth_case.reference]) + "#letters-title"


def test_the_status_of_a_letter_asks_for_a_login_and_answers_get_only(bob_client, birth_case, information):
    letter = _generating(birth_case, information)
    url = _letter_url("letter_status", letter)
    assert bob_client.post(url, headers=HTMX).status_code == 405
    unknown = reverse("backoffice:letter_status", args=[birth_case.reference, "222233334444"])
    assert bob_client.get(unknown, headers=HTMX).status_code == 404
    bob_client.logout()
    anonymous = bob_client.get(url, headers=HTMX)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))


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
