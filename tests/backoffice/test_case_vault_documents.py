"""On a case, the documents of the vault it was answered with show their status; verified once, they are reused as
verified in later requests; identity documents leave the case when its instruction ends."""

import pytest
from django.test import Client
from django.urls import reverse

from backoffice import services as backoffice_services
from teleservices import services as teleservices_services
from teleservices.models import Field
from tests.conftest import sign_in
from tests.teleservices.test_filing import _fill_school_until_review
from tests.teleservices.test_vault_choice import ADDRESS, _document
from vault.models import Document, StoredFile


def _school_case(alice, document):
    client = Client()
    client.force_login(alice)
    case, url = _fill_school_until_review(client, alice)
    response = client.post(
        url, {"action": "continue", **ADDRESS, "justificatif_domicile__document": str(document.public_id)}
    )
    assert client.post(response["Location"]).status_code == 302
    case.refresh_from_db()
    return case


@pytest.fixture
def proof(alice, teleservices):
    return _document(alice)


def test_bob_verifies_the_document_from_the_case_and_it_stays_verified_for_the_next_one(bob_client, alice, proof):
    first = _school_case(alice, proof)
    url = reverse("backoffice:case", args=[first.reference])
    page = bob_client.get(url).content.decode()
    assert "issu du coffre-fort de l'usager" in page.replace("&#x27;", "'") and "à vérifier" in page
    verify = reverse("backoffice:document_verify", args=[alice.pk, proof.public_id])
    response = bob_client.post(verify, {"next": url})
    assert response["Location"] == url
    proof.refresh_from_db()
    assert proof.status == Document.Status.VERIFIED
    second = _school_case(alice, proof)
    page = bob_client.get(reverse("backoffice:case", args=[second.reference])).content.decode()
    assert "Vérifié par Bob Agent" in page and "inutile de la vérifier à nouveau" in page
    assert verify not in page


def test_the_way_back_after_a_check_never_leaves_the_site(bob_client, alice, proof):
    _school_case(alice, proof)
    verify = reverse("backoffice:document_verify", args=[alice.pk, proof.public_id])
    response = bob_client.post(verify, {"next": "https://pirate.example/"})
    assert response["Location"] == reverse("backoffice:citizen", args=[alice.pk])


def test_an_identity_document_leaves_the_case_when_instruction_ends_and_stays_in_the_vault(bob, alice, teleservices):
    school = teleservices["inscription-scolaire"]
    Field.objects.filter(teleservice=school, key="justificatif_domicile").update(
        document_type=_document(alice, slug="piece-identite").type
    )
    teleservices_services.teleservice_publish(teleservice=school, user=None)
    identity = Document.objects.get(type__slug="piece-identite")
    case = _school_case(alice, identity)
    page = identity.files.get()
    assert case.files.filter(pk=page.pk).exists()
    final = school.workflow.transitions.filter(target__is_terminal=True).first()
    case.status = final.sources.first()
    case.save(update_fields=["status"])
    backoffice_services.case_transition(case=case, transition=final, actor=None, comment="Décision")
    case.refresh_from_db()
    assert not case.files.exists()
    assert case.data["justificatif_domicile"] == {"name": "facture.pdf", "removed": True}
    assert StoredFile.objects.filter(pk=page.pk).exists() and identity.files.get() == page


@pytest.mark.parametrize(("persona", "status"), [("alice", 200), ("bob", 200), ("carol", 404), ("eve", 404)])
def test_the_pages_of_a_document_attached_to_a_request_by_persona(client, request, alice, proof, persona, status):
    _school_case(alice, proof)
    sign_in(client, request.getfixturevalue(persona))
    assert client.get(proof.files.get().get_absolute_url()).status_code == status
