"""Proofs filed in a citizen's vault: validity from the type, household members only, never issued in the future."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone

from tests.teleservices.conftest import pdf_bytes
from vault import demo, services
from vault.files import file_check
from vault.models import Document


@pytest.fixture
def types(db):
    return demo.seed()


@pytest.fixture
def page(alice):
    upload = SimpleUploadedFile("facture.pdf", pdf_bytes(), "application/pdf")
    checked = file_check(upload, types=["pdf"], max_size=10_000_000)
    return services.stored_file_create(owner=alice, checked=checked)


def test_a_proof_of_address_is_valid_three_months_after_its_issue(alice, types, page):
    issued = timezone.localdate() - datetime.timedelta(days=10)
    document = services.document_add(owner=alice, type=types["justificatif-domicile"], issued_on=issued, files=[page])
    assert document.valid_until == issued + relativedelta(months=3) - datetime.timedelta(days=1)
    assert document.status == Document.Status.TO_VERIFY and document.source == Document.Source.CITIZEN
    assert list(document.files.all()) == [page]
    assert Document.objects.valid_on(timezone.localdate()).get() == document
    later = document.valid_until + datetime.timedelta(days=1)
    assert not Document.objects.valid_on(later).exists() and document.is_expired(later)


def test_a_document_may_be_about_a_member_of_the_household_but_not_of_another(alice, eve, types, page):
    lea = alice.household_member.household.members.get(first_name="Léa")
    issued = timezone.localdate()
    document = services.document_add(
        owner=alice, type=types["livret-famille"], issued_on=issued, files=[page], member=lea
    )
    assert document.member == lea and document.valid_until is None
    with pytest.raises(ValidationError, match="membre du foyer"):
        services.document_add(owner=eve, type=types["livret-famille"], issued_on=issued, files=[page], member=lea)


def test_a_document_needs_a_page_and_a_date_that_is_not_in_the_future(alice, types, page):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="au moins une page"):
        services.document_add(owner=alice, type=types["rib"], issued_on=timezone.localdate(), files=[])
    with pytest.raises(ValidationError, match="futur"):
        services.document_add(owner=alice, type=types["rib"], issued_on=tomorrow, files=[page])
    assert not Document.objects.exists()


def test_a_refusal_always_has_its_reason(alice, types, page):
    document = services.document_add(owner=alice, type=types["rib"], issued_on=timezone.localdate(), files=[page])
    with pytest.raises(IntegrityError):
        Document.objects.filter(pk=document.pk).update(status=Document.Status.REFUSED)


def test_the_demo_document_types_are_seeded_once(types):
    assert demo.seed().keys() == types.keys()
    assert types["piece-identite"].sensitive and types["piece-identite"].validity_months == 180
