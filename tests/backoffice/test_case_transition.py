"""The instruction engine: guards, the status change in one transaction, history and notification, concurrency."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from backoffice import services
from teleservices.models import Case, CaseEvent
from teleservices.workflows import Workflow
from tests.backoffice.conftest import action, submit


def test_an_agent_takes_a_case_in_charge_and_the_citizen_is_told(birth_case, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_transition(case=birth_case, transition=action(birth_case, "Prendre en charge"), actor=bob)
    assert case.status.key == "en_cours"
    event = case.events.get(kind=CaseEvent.Kind.STATUS_CHANGED)
    assert event.actor == bob and event.status.key == "en_cours" and event.detail == "Prendre en charge"
    assert (
        mail.outbox[-1].subject == f"Votre demande « {case.teleservice.title} » ({case.reference}) a un nouveau statut"
    )
    assert "En cours d'instruction" in mail.outbox[-1].body


def test_an_action_from_another_status_is_refused(birth_case, bob):
    services.case_transition(case=birth_case, transition=action(birth_case, "Accepter"), actor=bob)
    with pytest.raises(ValidationError, match="plus possible"):
        services.case_transition(case=birth_case, transition=action(birth_case, "Refuser"), actor=bob, comment="Non")
    assert Case.objects.get(pk=birth_case.pk).status.key == "acceptee"


def test_a_required_comment_must_be_given(birth_case, bob):
    with pytest.raises(ValidationError) as error:
        services.case_transition(case=birth_case, transition=action(birth_case, "Refuser"), actor=bob, comment="  ")
    assert "Motif du refus" in str(error.value)
    assert Case.objects.get(pk=birth_case.pk).status.key == "recue"


def test_a_managers_only_action_is_refused_to_an_agent_and_allowed_to_a_manager(birth_case, bob, manager):
    case = services.case_transition(
        case=birth_case, transition=action(birth_case, "Classer sans suite"), actor=manager, comment="Doublon"
    )
    assert case.status.key == "classee" and case.closed_at is not None


def test_an_agent_who_is_not_a_manager_cannot_close_without_follow_up(birth_case, bob):
    with pytest.raises(PermissionDenied):
        services.case_transition(
            case=birth_case, transition=action(birth_case, "Classer sans suite"), actor=bob, comment="Doublon"
        )


def test_an_agent_of_another_department_cannot_instruct(birth_case, carol):
    with pytest.raises(PermissionDenied):
        services.case_transition(case=birth_case, transition=action(birth_case, "Accepter"), actor=carol)


def test_an_action_of_another_workflow_is_refused(birth_case, bob):
    other = Workflow.objects.create(name="Autre", slug="autre")
    status = other.statuses.create(key="a", label="A", citizen_label="A", is_initial=True)
    transition = other.transitions.create(label="Aller", target=status)
    with pytest.raises(ValidationError):
        services.case_transition(case=birth_case, transition=transition, actor=bob)


def test_a_transition_can_hand_the_case_over_to_another_department(birth_case, bob, urbanisme):
    transition = action(birth_case, "Prendre en charge")
    transition.assigns_department = urbanisme
    transition.save()
    services.case_assign(case=birth_case, assignee=bob, actor=bob)
    case = services.case_transition(case=birth_case, transition=transition, actor=bob)
    assert case.department == urbanisme and case.assignee is None


@pytest.mark.django_db(transaction=True)
def test_two_agents_clicking_the_same_action_at_once_apply_it_once(alice, bob, manager, teleservices):
    case = submit(alice, teleservices["acte-de-naissance"])
    transition = action(case, "Accepter")
    barrier = threading.Barrier(2)
    outcomes = []

    def click():
        try:
            barrier.wait()
            services.case_transition(case=case, transition=transition, actor=bob)
            outcomes.append("applied")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["applied", "« Accepter » a déjà été fait."]
    assert case.events.filter(kind=CaseEvent.Kind.STATUS_CHANGED).count() == 1
