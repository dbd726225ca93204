"""Silence vaut accord / rejet: the scheduled task applies the téléservice's action once the deadline has passed."""

import datetime

from django.core import mail

from backoffice.services import cases_apply_silence
from teleservices.models import Case, CaseEvent, Teleservice
from tests.backoffice.conftest import action


def test_silence_means_acceptance_when_the_deadline_passes(birth_case, django_capture_on_commit_callbacks):
    teleservice = birth_case.teleservice
    teleservice.silence = Teleservice.Silence.ACCEPTANCE
    teleservice.silence_transition = action(birth_case, "Accepter")
    teleservice.save()
    assert cases_apply_silence(today=birth_case.deadline) == 0  # due today: not passed yet
    with django_capture_on_commit_callbacks(execute=True):
        assert cases_apply_silence(today=birth_case.deadline + datetime.timedelta(days=1)) == 1
    case = Case.objects.get(pk=birth_case.pk)
    assert case.status.key == "acceptee" and case.closed_at is not None
    assert case.events.filter(kind=CaseEvent.Kind.DEADLINE_PASSED).exists()
    assert "vaut acceptation" in mail.outbox[-1].body
    assert cases_apply_silence(today=birth_case.deadline + datetime.timedelta(days=2)) == 0


def test_without_silence_rule_nothing_happens(birth_case):
    assert cases_apply_silence(today=birth_case.deadline + datetime.timedelta(days=30)) == 0
    assert Case.objects.get(pk=birth_case.pk).status.key == "recue"
