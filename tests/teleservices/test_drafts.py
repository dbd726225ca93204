"""Drafts: kept for the téléservice's draft lifetime, a reminder before expiry, then purged with their files."""

import datetime

import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from teleservices import services, tasks
from teleservices.models import Case
from tests.teleservices.conftest import png_bytes
from vault.models import StoredFile


def test_an_expiring_draft_is_reminded_once_then_purged_with_its_files(
    alice_client, alice, teleservices, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        case = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
        url = reverse("teleservices:fill", args=[case.public_id, 1])
        alice_client.post(
            url, {"action": "continue", "categorie": "", "photo": SimpleUploadedFile("trou.png", png_bytes())}
        )
    assert StoredFile.objects.count() == 1
    lifetime = teleservices["signalement-voirie"].draft_lifetime_days
    with time_machine.travel(start + datetime.timedelta(days=lifetime - 2), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.drafts_remind_task()
            tasks.drafts_remind_task()
        tasks.drafts_purge_task()
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "sera bientôt supprimé" in mail.outbox[0].subject
    assert Case.objects.filter(pk=case.pk).exists()
    with time_machine.travel(start + datetime.timedelta(days=lifetime, minutes=1), tick=False):
        tasks.drafts_purge_task()
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not StoredFile.objects.exists()


def test_saving_a_page_gives_the_draft_a_new_lifetime(alice, teleservices):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        case = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
    with time_machine.travel(start + datetime.timedelta(days=10), tick=False):
        case = services.case_page_save(case=case, answers={"categorie": "autre"}, files={}, page=0)
        assert case.draft_expires_at == timezone.now() + datetime.timedelta(days=case.teleservice.draft_lifetime_days)


def test_a_draft_that_was_not_reminded_is_not_purged(alice, teleservices):
    case = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
    with time_machine.travel(case.draft_expires_at + datetime.timedelta(days=1)):
        assert services.drafts_purge(now=timezone.now()) == 0
    assert Case.objects.filter(pk=case.pk).exists()


def test_submitted_requests_are_never_purged(alice, teleservices):
    case = services.case_page_save(
        case=services.case_start(user=alice, teleservice=teleservices["signalement-voirie"]),
        answers={"categorie": "autre", "localisation": "Rue Haute"},
        files={},
        page=0,
    )
    case = services.case_submit(case=case)
    now = timezone.now() + datetime.timedelta(days=365)
    services.drafts_remind(now=now)
    services.drafts_purge(now=now)
    assert Case.objects.filter(pk=case.pk).exists()
