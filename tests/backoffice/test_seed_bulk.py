"""seed_bulk: many realistic cases at once, which the board shows and which later submissions do not collide with."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from backoffice.board import PAGE_SIZE
from portal.models import User
from teleservices import default_workflow, services
from teleservices.models import Case, CaseEvent, Teleservice
from tests.backoffice.conftest import submit
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db
REFERENCE = re.compile(rf"^DEM-\d{{4}}-[{services.REFERENCE_ALPHABET}]{{{services.REFERENCE_LENGTH}}}$")


@pytest.fixture
def bulk():
    """300 cases written in three batches, on top of the demo (which the command seeds itself)."""
    call_command("seed_bulk", cases=300, batch=120, stdout=io.StringIO())


def _bulk_cases():
    return list(Case.objects.submitted().select_related("version", "status").order_by("-pk")[:300])


def test_seed_bulk_creates_the_cases_asked_on_top_of_the_demo(bulk):
    demo = Case.objects.submitted().filter(pk__lt=min(case.pk for case in _bulk_cases())).count()
    assert demo > 0
    assert Case.objects.submitted().count() == demo + 300


def test_bulk_cases_are_spread_over_teleservices_statuses_and_channels(bulk):
    cases = _bulk_cases()
    assert all(case.status.workflow_id == case.teleservice.workflow_id for case in cases)
    standard = {key for key, *_rest in default_workflow.STATUSES}
    assert {case.status.key for case in cases if case.teleservice.slug == "acte-de-naissance"} <= standard
    kinds = {(case.status.is_initial, case.status.is_terminal, case.status.waits_for_citizen) for case in cases}
    assert kinds == {(True, False, False), (False, False, False), (False, False, True), (False, True, False)}
    assert {case.teleservice_id for case in cases} == set(Teleservice.objects.values_list("pk", flat=True))
    assert len({case.channel for case in cases}) == len(Case.Channel)
    assert all(case.user_id is None and case.applicant_first_name and case.applicant_last_name for case in cases)


def test_bulk_cases_have_consistent_dates_deadlines_and_timelines(bulk):
    cases = _bulk_cases()
    for case in cases:
        assert (case.closed_at is not None) == case.status.is_terminal
        assert (case.deadline is None) == case.status.waits_for_citizen == (case.paused_days_left is not None)
        assert case.closed_at is None or case.closed_at >= case.submitted_at
    assert any(case.deadline and case.deadline < timezone.localdate() for case in cases if not case.closed_at)
    submitted = CaseEvent.objects.filter(case__in=cases, kind=CaseEvent.Kind.SUBMITTED).count()
    assert submitted == len(cases)


def test_bulk_answers_are_complete_and_eligible_for_their_form(bulk):
    for case in _bulk_cases():
        assert case.form.missing(case.data) == []
        assert case.form.ineligibility(case.data) == []
        assert case.form.shown_answers(case.data) == case.data


def test_bulk_references_have_the_usual_format_and_are_unique(bulk):
    references = [case.reference for case in _bulk_cases()]
    assert all(REFERENCE.match(reference) for reference in references)
    assert len(set(references)) == len(references)


def test_the_board_shows_bulk_cases_to_bob(client, bulk):
    bob = User.objects.get(email="bob@example.org")
    sign_in(client, bob)
    response = client.get(reverse("backoffice:home"))
    assert response.status_code == 200
    page = response.context["page"]
    assert len(page.cases) == PAGE_SIZE and page.next_cursor
    bulk_ids = {case.pk for case in _bulk_cases()}
    assert any(case.pk in bulk_ids for case in page.cases)
    assert {case.department.slug for case in page.cases} <= {"etat-civil", "enfance"}


def test_a_later_real_submission_gets_a_fresh_reference_and_id(bulk):
    cases = _bulk_cases()
    alice = User.objects.get(email="alice@example.org")
    case = submit(alice, Teleservice.objects.get(slug="acte-de-naissance"))
    assert REFERENCE.match(case.reference)
    assert case.reference not in {c.reference for c in cases}
    assert case.pk > max(c.pk for c in cases)
