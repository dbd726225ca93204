"""case_submit: one case whatever the retries, frozen answers and version, and the apps above told of it."""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse

from gru.models import Notification
from teleservices import services
from teleservices.models import Case, CaseEvent, Field
from teleservices.signals import case_submitted

REPORT = {"categorie": "eclairage", "localisation": "Devant le 4 rue des Tilleuls"}


def _complete_report(alice, teleservices):
    case = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
    return services.case_page_save(case=case, answers=REPORT, files={}, page=0)


def test_a_double_click_submits_once_and_shows_the_same_confirmation(alice_client, alice, teleservices):
    case = _complete_report(alice, teleservices)
    review = reverse("teleservices:review", args=[case.public_id])
    first, second = alice_client.post(review), alice_client.post(review)
    case.refresh_from_db()
    assert first["Location"] == second["Location"] == reverse("teleservices:confirmation", args=[case.reference])
    assert Case.objects.submitted().count() == 1
    assert case.events.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_of_one_draft_make_one_case(alice, teleservices):
    case = _complete_report(alice, teleservices)
    barrier, results, errors = threading.Barrier(2), [], []

    def submit():
        try:
            barrier.wait()
            results.append(services.case_submit(case=Case.objects.get(pk=case.pk)).reference)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert Case.objects.submitted().count() == 1
    assert Case.objects.get(pk=case.pk).events.filter(kind=CaseEvent.Kind.SUBMITTED).count() == 1


def test_an_incomplete_draft_cannot_be_submitted(alice_client, alice, teleservices):
    case = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
    response = alice_client.post(reverse("teleservices:review", args=[case.public_id]))
    assert response.status_code == 200
    assert "« Type de problème » n&#x27;est pas renseigné." in response.content.decode()
    assert Case.objects.get(pk=case.pk).is_draft


def test_a_case_keeps_the_version_it_was_filed_with(alice, teleservices):
    teleservice = teleservices["signalement-voirie"]
    case = services.case_submit(case=_complete_report(alice, teleservices))
    first_version = case.version
    Field.objects.filter(teleservice=teleservice, key="localisation").update(label="Adresse exacte")
    second_version = services.teleservice_publish(teleservice=teleservice, user=None)
    case.refresh_from_db()
    assert second_version.number == first_version.number + 1
    assert case.version == first_version
    assert "Où se trouve le problème ?" in str(case.form.pages[0].fields)
    new_case = services.case_start(user=alice, teleservice=teleservice)
    assert new_case.version == second_version
    assert "Adresse exacte" in str(new_case.form.pages[0].fields)


def test_a_draft_started_before_a_new_version_keeps_its_version_until_submitted(alice, teleservices):
    teleservice = teleservices["signalement-voirie"]
    draft = _complete_report(alice, teleservices)
    services.teleservice_publish(teleservice=teleservice, user=None)
    submitted = services.case_submit(case=draft)
    assert submitted.version == draft.version


def test_references_are_unique_and_unambiguous(alice, teleservices):
    references = {services.case_submit(case=_complete_report(alice, teleservices)).reference for _ in range(20)}
    assert len(references) == 20
    assert not any(set(r[9:]) & set("01OIL") for r in references)


@pytest.fixture
def told():
    """A receiver of case_submitted, connected for the test, that records what it is told, then waits a week or fails
    as the test sets."""
    calls, answer = [], {"wait": datetime.timedelta(days=7), "error": None}

    def receiver(*, case, **kwargs):
        calls.append((case.pk, case.reference, case.is_draft))
        if answer["error"]:
            raise answer["error"]
        return answer["wait"]

    case_submitted.connect(receiver, dispatch_uid="tests_told")
    yield calls, answer
    case_submitted.disconnect(dispatch_uid="tests_told")


def test_the_apps_above_are_told_of_the_submitted_case_and_the_acknowledgement_waits_for_the_longest(
    alice, teleservices, told
):
    calls, _answer = told
    case = services.case_submit(case=_complete_report(alice, teleservices))
    assert calls == [(case.pk, case.reference, False)]
    assert case.letters.get().kind == "acknowledgement"  # letters' receiver queued the récépissé
    email = Notification.objects.get(event="case_received", channel=Notification.Channel.EMAIL)
    assert email.next_attempt_at - email.created_at == datetime.timedelta(days=7)  # not the récépissé's 2 minutes


def test_a_receivers_error_refuses_the_submission_and_nothing_of_it_is_kept(alice, teleservices, told):
    calls, answer = told
    answer["error"] = RuntimeError("the receiver failed")
    draft = _complete_report(alice, teleservices)
    with pytest.raises(RuntimeError):
        services.case_submit(case=draft)
    draft.refresh_from_db()
    assert len(calls) == 1 and draft.is_draft and draft.reference is None
    assert not draft.letters.exists() and not Notification.objects.filter(event="case_received").exists()
