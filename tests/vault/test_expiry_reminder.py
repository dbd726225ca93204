"""A verified document about to expire: its owner is told once, in time to bring a newer one."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.teleservices.conftest import pdf_bytes
from vault import demo, services
from vault.files import file_check
from vault.models import Document


@pytest.fixture
def document_of(alice):
    types = demo.seed()

    def make(*, days_left, status=Document.Status.VERIFIED, member=None):
        checked = file_check(SimpleUploadedFile("p.pdf", pdf_bytes(), "application/pdf"), types=["pdf"], max_size=10**7)
        page = services.stored_file_create(owner=alice, checked=checked)
        document = services.document_add(
            owner=alice,
            type=types["justificatif-domicile"],
            issued_on=timezone.localdate(),
            files=[page],
            member=member,
        )
        valid_until = timezone.localdate() + datetime.timedelta(days=days_left)
        Document.objects.filter(pk=document.pk).update(
            status=status, verified_at=timezone.now(), valid_until=valid_until
        )
        return document

    return make


def test_the_owner_of_a_verified_document_expiring_soon_is_told_once(
    alice, document_of, django_capture_on_commit_callbacks
):
    soon = document_of(days_left=10)
    document_of(days_left=60)  # not yet
    document_of(days_left=-1)  # expired already
    document_of(days_left=5, status=Document.Status.TO_VERIFY)  # not verified: the agents' to check first
    with django_capture_on_commit_callbacks(execute=True):
        assert services.documents_remind_expiry(now=timezone.now()) == 1
    (email,) = mail.outbox
    assert email.to == [alice.email] and "Justificatif de domicile" in email.subject
    assert soon.type.label in email.body and "/espace/documents/" in email.body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.documents_remind_expiry(now=timezone.now()) == 0
    assert len(mail.outbox) == 1


def test_the_reminder_names_the_household_member_the_document_is_about(
    alice, document_of, django_capture_on_commit_callbacks
):
    lea = alice.household_member.household.members.get(first_name="Léa")
    document_of(days_left=3, member=lea)
    with django_capture_on_commit_callbacks(execute=True):
        services.documents_remind_expiry(now=timezone.now())
    assert "Léa Martin" in mail.outbox[0].body
