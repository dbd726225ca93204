"""The demo's cases to instruct: every status of the standard workflow, built by seed_demo once."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from backoffice.board import urgency
from backoffice.models import Note
from backoffice.workflows import workflow_errors, workflow_specs
from teleservices import default_workflow
from teleservices.models import Case, CaseEvent, Message, Teleservice

pytestmark = pytest.mark.django_db


def _seed():
    call_command("seed_demo", verbosity=0)


def _snapshot():
    return [
        list(Case.objects.order_by("pk").values_list("pk", "status_id", "deadline", "assignee_id", "updated_at")),
        CaseEvent.objects.count(),
        Message.objects.count(),
        Note.objects.count(),
    ]


def test_the_demo_has_cases_in_every_status_of_the_standard_workflow():
    _seed()
    keys = set(Case.objects.submitted().values_list("status__key", flat=True))
    assert keys >= {key for key, *_rest in default_workflow.STATUSES}


def test_the_demo_workflows_are_valid_and_one_procedure_applies_silence_means_acceptance():
    _seed()
    for teleservice in Teleservice.objects.select_related("workflow"):
        assert workflow_errors(*workflow_specs(teleservice.workflow)) == [], teleservice.slug
    assert Teleservice.objects.get(slug="acte-de-naissance").workflow.slug == default_workflow.SLUG
    occupation = Teleservice.objects.get(slug="occupation-domaine-public")
    assert (occupation.silence, occupation.silence_transition.label) == ("acceptance", "Accorder")
    handed_over = Case.objects.get(status__key="avis_voirie")
    assert handed_over.department.slug == "voirie"  # the action handed it over for the technical opinion


def test_the_demo_cases_span_the_departments_some_late_some_urgent_some_assigned_to_bob():
    _seed()
    cases = list(Case.objects.submitted().select_related("assignee"))
    today = timezone.localdate()
    assert {case.department.slug for case in cases} == {"etat-civil", "urbanisme", "voirie"}
    assert {"late", "urgent", "paused", "closed"} <= {urgency(case, today) for case in cases}
    assert any(case.assignee and case.assignee.email == "bob@example.org" for case in cases)
    assert Message.objects.filter(from_agent=True).exists() and Note.objects.exists()


def test_some_demo_cases_were_filed_at_the_counter_for_people_without_an_account():
    _seed()
    counter = Case.objects.submitted().filter(channel=Case.Channel.COUNTER)
    assert counter.exists()
    assert all(case.user is None and case.filed_by and case.applicant_last_name for case in counter)
    first = CaseEvent.objects.get(case=counter.first(), kind=CaseEvent.Kind.SUBMITTED)
    assert first.actor == counter.first().filed_by


def test_running_the_demo_seed_twice_changes_nothing():
    _seed()
    before = _snapshot()
    _seed()
    assert _snapshot() == before
