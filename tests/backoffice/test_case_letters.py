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
from backoffice.models import Export
from gru.models import Membership
from letters import services as letters_services
from letters.models import Kind, Letter, LetterTemplate, TransitionLetter
from teleservices.models import CaseEvent
from tests.backoffice.conftest import action
from tests.conftest import sign_in


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
    TransitionLetter.objects.create(transition=transition, template=information)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        backoffice_services.case_transition(case=birth_case, transition=transition, actor=bob)
    letter = birth_case.letters.get(template=information)
    assert letter.status == Letter.Status.SENT and letter.sent_by == bob
    assert (letter.event.kind, letter.event.detail) == (CaseEvent.Kind.LETTER, letter.subject)  # in the timeline
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
    TransitionLetter.objects.create(transition=transition, template=information)
    with django_capture_on_commit_callbacks(execute=True):
        backoffice_services.case_transition(case=birth_case, transition=transition, actor=bob)
    letter = birth_case.letters.get(template=information)
    page = alice_client.get(reverse("teleservices:case", args=[birth_case.reference])).content.decode()
    timeline = re.search(r'<ol class="timeline">.*?</ol>', page, re.S).group(0)
    assert f"Courrier : « {letter.subject} »" in html.unescape(timeline)
    assert letter.pdf.get_absolute_url() in timeline and reverse("letters:mine") not in timeline  # that letter


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
    return letters_services.case_letter_create(case=case, template=template, author=None)


def test_a_letter_being_generated_is_polled_on_the_case_page_until_ready(
    bob_client, birth_case, information, django_assert_max_num_queries
):
    letter = _generating(birth_case, information)
    status_url = _letter_url("letter_status", letter)
    case_page = bob_client.get(reverse("backoffice:case", args=[birth_case.reference])).content.decode()
    assert f'data-hx-get="{status_url}"' in case_page and 'http-equiv="refresh"' not in case_page
    with django_assert_max_num_queries(5):
        generating = bob_client.get(status_url, headers=HTMX)
    assert generating.status_code == 200 and "HX-Request" in generating["Vary"]
    fragment = generating.content.decode()
    assert "en cours de génération" in fragment and f'data-hx-get="{status_url}"' in fragment
    assert f'<a href="{status_url}">Actualiser</a>' in fragment
    letters_services.letter_render(letter_id=letter.pk)
    ready = bob_client.get(status_url, headers=HTMX).content.decode()
    assert "prêt à envoyer" in ready and "en cours de génération" not in ready
    assert "hx-get" not in ready  # polling stops (no hx-get, nor data-hx-get)
    assert f'href="{_letter_url("letter", letter)}">Lire et envoyer le courrier</a>' in ready


def test_the_refresh_link_without_javascript_leads_to_the_letters_page(bob_client, birth_case, information):
    letter = _generating(birth_case, information)
    response = bob_client.get(_letter_url("letter_status", letter))
    assert response.status_code == 302 and response["Location"] == _letter_url("letter", letter)
    page = bob_client.get(response["Location"]).content.decode()
    assert "en cours de génération" in page and f'data-hx-get="{_letter_url("letter_status", letter)}"' in page


@pytest.mark.parametrize(("persona", "status"), [("carol", 404), ("eve", 403), ("alice", 403)])
def test_others_cannot_read_the_status_of_a_letter(client, request, birth_case, information, persona, status):
    letter = _generating(birth_case, information)
    sign_in(client, request.getfixturevalue(persona))
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
    with django_capture_on_commit_callbacks(execute=True):
        letter = letters_services.case_letter_create(case=birth_case, template=information, author=None)
    letter.refresh_from_db()
    sign_in(client, request.getfixturevalue(persona))
    new = client.post(reverse("backoffice:letter_new", args=[birth_case.reference]), {"template": information.pk})
    assert new.status_code == status
    assert client.get(reverse("backoffice:letter", args=[birth_case.reference, letter.code])).status_code == status
    assert not birth_case.letters.exclude(pk=letter.pk).filter(template=information).exists()
    assert client.get(letter.pdf.get_absolute_url()).status_code == 404
    assert "Votre demande" not in client.get(reverse("letters:mine")).content.decode()


def _sent_letters(birth_case, information, author, django_capture_on_commit_callbacks, count=2):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(count):
            letters_services.case_letter_create(case=birth_case, template=information, author=author, send=True)


def _ask_print(client, case, django_capture_on_commit_callbacks, day=None):
    """An agent asks for the day's letters of the department instructing `case`; the worker runs at the commit."""
    day = day or timezone.localdate().strftime("%d/%m/%Y")
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("backoffice:letters_print"), {"department": case.department_id, "day": day})


def test_the_days_letters_of_a_department_are_merged_by_a_worker_into_one_pdf(
    bob_client, bob, birth_case, information, django_capture_on_commit_callbacks
):
    _sent_letters(birth_case, information, bob, django_capture_on_commit_callbacks)
    url = reverse("backoffice:letters_print")
    page = bob_client.get(url).content.decode()
    assert 'method="post"' in page and timezone.localdate().strftime("%d/%m/%Y") in page  # today by default
    response = _ask_print(bob_client, birth_case, django_capture_on_commit_callbacks)
    export = Export.objects.get()
    assert response.status_code == 302 and response["Location"] == export.get_absolute_url()
    assert (export.kind, export.format, export.owner, export.department) == (
        "letters",
        "pdf",
        bob,
        birth_case.department,
    )
    assert (export.state, export.rows_done, export.rows_total, export.attempts) == ("done", 2, 2, 1)
    with export.file.open("rb") as stored:
        assert not stored.read().startswith(b"%PDF")  # encrypted at rest
    page = bob_client.get(export.get_absolute_url()).content.decode()
    download = reverse("backoffice:export_download", args=[export.pk])
    assert f'href="{download}"' in page and "2 courriers" in page and "hx-trigger" not in page
    response = bob_client.get(download)
    day = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="courriers-etat-civil-{day:%Y-%m-%d}.pdf"'
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "private, no-store"
    with pikepdf.open(io.BytesIO(b"".join(response.streaming_content))) as merged:
        sent = Letter.objects.sent_on(day).filter(case__department=birth_case.department)
        assert len(merged.pages) == sum(len(pikepdf.open(io.BytesIO(le.pdf.read())).pages) for le in sent)
    assert f'href="{export.get_absolute_url()}"' in bob_client.get(url).content.decode()  # listed under the form


def test_a_day_without_letters_is_said_at_once_and_asks_no_worker(bob_client, birth_case):
    response = bob_client.post(
        reverse("backoffice:letters_print"), {"department": birth_case.department_id, "day": "01/01/2020"}
    )
    assert response.status_code == 200 and "Aucun courrier" in response.content.decode()
    assert not Export.objects.exists()


def test_the_page_of_the_days_letters_being_merged_polls_and_offers_a_refresh_link(bob_client, bob, birth_case):
    export = Export.objects.create(
        owner=bob,
        kind="letters",
        format="pdf",
        department=birth_case.department,
        day=timezone.localdate(),
        state="running",
        rows_done=10,
        rows_total=40,
    )
    page = bob_client.get(export.get_absolute_url()).content.decode()
    assert 'data-hx-trigger="every 3s"' in page and 'max="40"' in page and 'value="10"' in page
    assert "Courriers fusionnés" in page and f'<a href="{export.get_absolute_url()}">Actualiser</a>' in page
    assert "/telecharger/" not in page


def test_only_the_agent_who_asked_downloads_the_days_letters_and_only_while_in_the_department(
    bob_client, bob, carol, birth_case, information, django_capture_on_commit_callbacks
):
    _sent_letters(birth_case, information, bob, django_capture_on_commit_callbacks, count=1)
    _ask_print(bob_client, birth_case, django_capture_on_commit_callbacks)
    export = Export.objects.get()
    download = reverse("backoffice:export_download", args=[export.pk])
    response = bob_client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    sign_in(bob_client, carol)
    assert bob_client.get(export.get_absolute_url()).status_code == 404
    assert bob_client.get(download).status_code == 404
    sign_in(bob_client, bob)
    Membership.objects.filter(user=bob, department=birth_case.department).delete()  # bob leaves État civil
    assert bob_client.get(export.get_absolute_url()).status_code == 404
    assert bob_client.get(download).status_code == 404


def test_an_agent_cannot_ask_for_the_letters_of_a_department_not_theirs(
    carol_client, birth_case, information, bob, django_capture_on_commit_callbacks
):
    _sent_letters(birth_case, information, bob, django_capture_on_commit_callbacks, count=1)
    response = _ask_print(carol_client, birth_case, django_capture_on_commit_callbacks)
    assert response.status_code == 200 and not Export.objects.exists()


def test_the_days_letters_of_an_agent_who_left_the_department_meanwhile_are_not_merged(bob, birth_case):
    from backoffice import exports

    export = exports.letters_export_create(owner=bob, department=birth_case.department, day=timezone.localdate())
    Membership.objects.filter(user=bob, department=birth_case.department).delete()
    exports.export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.state == "failed" and not export.file
