"""Cases to instruct: alice's requests of the demo téléservices."""

import pytest

from gru.models import Membership
from teleservices import services
from tests.teleservices.conftest import pdf_bytes, pdf_upload, png_bytes

BIRTH = {"personne": "moi", "type_copie": "integrale", "nombre": 1, "envoi": "mairie"}


def submit(user, teleservice, answers=None):
    """A submitted request of `teleservice` by `user`, with valid answers for the birth certificate."""
    case = services.case_start(user=user, teleservice=teleservice)
    case = services.case_page_save(case=case, answers={**case.data, **(answers or BIRTH)}, files={}, page=1)
    return services.case_submit(case=case)


@pytest.fixture
def birth_case(alice, teleservices):
    """alice's request for a birth certificate, instructed by État civil (bob's department)."""
    return submit(alice, teleservices["acte-de-naissance"])


@pytest.fixture
def manager(bob, etat_civil):
    """bob becomes a manager of État civil."""
    Membership.objects.filter(user=bob, department=etat_civil).update(role=Membership.Role.MANAGER)
    return bob


def action(case, label):
    return case.teleservice.workflow.transitions.get(label=label)


__all__ = ["pdf_bytes", "pdf_upload", "png_bytes"]
