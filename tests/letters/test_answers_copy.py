"""The copy of a request's answers as sent, in PDF: made once on commit, read through the request's access rule, and
made again by its sweeper when its task was lost."""

import datetime

from django.urls import reverse
from django.utils import timezone

from teleservices import services
from teleservices.models import Case
from tests.conftest import sign_in
from tests.letters.conftest import pdf_reader, pdf_text

REPORT = {"categorie": "eclairage", "localisation": "Devant le 4 rue des Tilleuls"}


def _submitted(alice, teleservices, capture, *, certify=False):
    teleservice = teleservices["signalement-voirie"]
    teleservice.asks_certification = certify
    teleservice.save(update_fields=["asks_certification"])
    case = services.case_start(user=alice, teleservice=teleservice)
    case = services.case_page_save(case=case, answers=REPORT, files={}, page=0)
    with capture(execute=True):
        case = services.case_submit(case=case, certified=certify)
    return Case.objects.select_related("answers_copy").get(pk=case.pk)


def test_the_copy_of_the_answers_is_a_pdf_of_what_was_sent(alice, teleservices, django_capture_on_commit_callbacks):
    case = _submitted(alice, teleservices, django_capture_on_commit_callbacks, certify=True)
    content = case.answers_copy.read()
    text = pdf_text(content)
    assert "Copie de vos réponses" in text
    assert case.reference in text and "Signalement sur la voirie" in text
    assert "Type de problème" in text and "Éclairage public" in text and "Devant le 4 rue des Tilleuls" in text
    submitted = timezone.localtime(case.submitted_at)
    assert f"Envoyée le {submitted.day} " in text and submitted.strftime("%H:%M") in text
    assert "Le demandeur a certifié l'exactitude des informations fournies" in text
    assert "Par Alice Martin" in text
    reader = pdf_reader(content)
    assert reader.metadata.title == f"Copie de vos réponses — demande {case.reference}"
    assert case.answers_copy in case.files.all() and case.answers_copy.owner == alice


def test_an_uncertified_copy_says_nothing_of_a_certification(alice, teleservices, django_capture_on_commit_callbacks):
    case = _submitted(alice, teleservices, django_capture_on_commit_callbacks)
    assert "certifié" not in pdf_text(case.answers_copy.read())


def test_the_copy_is_made_once(alice, teleservices, django_capture_on_commit_callbacks):
    case = _submitted(alice, teleservices, django_capture_on_commit_callbacks)
    assert services.case_answers_copy_make(case_id=case.pk) is None
    assert Case.objects.get(pk=case.pk).answers_copy_id == case.answers_copy_id


def test_the_citizen_downloads_the_copy_from_the_request_page_and_an_outsider_cannot(
    client, alice, eve, teleservices, django_capture_on_commit_callbacks
):
    case = _submitted(alice, teleservices, django_capture_on_commit_callbacks)
    url = case.answers_copy.get_absolute_url()
    sign_in(client, alice)
    page = client.get(reverse("teleservices:case", args=[case.reference])).content.decode()
    assert f'href="{url}">Télécharger une copie de vos réponses' in page
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    sign_in(client, eve)
    assert client.get(url).status_code == 404


def test_a_copy_whose_task_was_lost_is_queued_again_by_the_sweeper(alice, teleservices):
    case = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
    case = services.case_submit(case=services.case_page_save(case=case, answers=REPORT, files={}, page=0))
    assert case.answers_copy_id is None  # the transaction never committed: its task was not queued
    now = timezone.now()
    assert services.case_answers_copies_stale(now=now) == 0  # too recent: its task may still run
    Case.objects.filter(pk=case.pk).update(submitted_at=now - datetime.timedelta(days=8))
    assert services.case_answers_copies_stale(now=now) == 0  # filed long ago: before copies, left alone
    Case.objects.filter(pk=case.pk).update(submitted_at=now - datetime.timedelta(minutes=6))
    assert services.case_answers_copies_stale(now=now) == 1  # the task runs eagerly
    assert pdf_text(Case.objects.get(pk=case.pk).answers_copy.read()).count(case.reference) >= 1
