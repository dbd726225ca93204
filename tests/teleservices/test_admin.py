"""Administrators build téléservices in the Django admin: invalid forms refused, publication, preview."""

import pytest
from django.urls import reverse

from teleservices.models import Category, Field, Teleservice
from teleservices.workflows import Workflow
from tests.conftest import sign_in


def _add_data(etat_civil, rows):
    data = {
        "title": "Recensement citoyen",
        "slug": "recensement",
        "summary": "À 16 ans, faites-vous recenser.",
        "description": "",
        "category": Category.objects.create(name="Citoyenneté", slug="citoyennete").pk,
        "department": etat_civil.pk,
        "audience": "account",
        "processing_days": 10,
        "workflow": Workflow.objects.default().pk,
        "silence": "",
        "draft_lifetime_days": 30,
        "retention_months": 24,
        "fields-TOTAL_FORMS": len(rows),
        "fields-INITIAL_FORMS": 0,
        "eligibility_rules-TOTAL_FORMS": 0,
        "eligibility_rules-INITIAL_FORMS": 0,
    }
    for index, row in enumerate(rows):
        defaults = {"position": index + 1, "required": "on", "condition": "", "choices": ""}
        data.update({f"fields-{index}-{name}": value for name, value in {**defaults, **row}.items()})
    return data


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"kind": "choice", "key": "nationalite", "label": "Nationalité"}], "ne propose aucune option"),
        (
            [
                {"kind": "text", "key": "nom", "label": "Nom", "condition": "prenom est rempli"},
                {"kind": "text", "key": "prenom", "label": "Prénom"},
            ],
            "qui n&#x27;est pas demandé avant",
        ),
        (
            [{"kind": "text", "key": "nom", "label": "Nom"}, {"kind": "text", "key": "nom", "label": "Nom d'usage"}],
            "L&#x27;identifiant « nom » est utilisé deux fois.",
        ),
        ([{"kind": "text", "key": "nom", "label": "Nom", "condition": "nom égale x"}], "n&#x27;est pas compréhensible"),
    ],
    ids=["choice-without-options", "condition-on-a-later-field", "duplicate-identifier", "unreadable-condition"],
)
def test_an_invalid_form_definition_is_refused_with_a_clear_message(dave_client, etat_civil, rows, message):
    response = dave_client.post(reverse("admin:teleservices_teleservice_add"), _add_data(etat_civil, rows))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Teleservice.objects.exists()


def test_an_administrator_builds_publishes_and_previews_a_teleservice(dave_client, etat_civil):
    rows = [
        {"kind": "page", "key": "", "label": "Le jeune"},
        {"kind": "members", "key": "jeune", "label": "Jeune à recenser"},
        {"kind": "choice", "key": "nationalite", "label": "Nationalité", "choices": "fr | Française\nautre | Autre"},
        {"kind": "text", "key": "precision", "label": "Laquelle ?", "condition": "nationalite = autre"},
    ]
    response = dave_client.post(reverse("admin:teleservices_teleservice_add"), _add_data(etat_civil, rows))
    assert response.status_code == 302, response.content.decode()
    teleservice = Teleservice.objects.get()
    assert list(teleservice.fields.values_list("key", flat=True)) == ["", "jeune", "nationalite", "precision"]
    assert teleservice.fields.get(key="precision").condition == {
        "logic": "all",
        "rules": [{"field": "nationalite", "op": "eq", "value": "autre"}],
    }

    changelist = reverse("admin:teleservices_teleservice_changelist")
    published = dave_client.post(changelist, {"action": "publish", "_selected_action": [teleservice.pk]}, follow=True)
    assert "version 1 publiée" in published.content.decode()
    teleservice.refresh_from_db()
    assert teleservice.is_published and teleservice.current_version.number == 1
    assert [f.key for f in teleservice.current_version.form.pages[0].fields] == ["jeune", "nationalite", "precision"]

    change = dave_client.get(reverse("admin:teleservices_teleservice_change", args=[teleservice.pk])).content.decode()
    assert "Version publiée : 1" in change and "nationalite = autre" in change
    preview = dave_client.get(reverse("teleservices:preview", args=["recensement", 1]))
    assert preview.status_code == 200 and "Jeune à recenser" in preview.content.decode()


def test_publishing_an_empty_form_is_refused(dave_client, etat_civil):
    dave_client.post(reverse("admin:teleservices_teleservice_add"), _add_data(etat_civil, []))
    teleservice = Teleservice.objects.get()
    changelist = reverse("admin:teleservices_teleservice_changelist")
    response = dave_client.post(changelist, {"action": "publish", "_selected_action": [teleservice.pk]}, follow=True)
    assert "ne pose aucune question" in response.content.decode()
    teleservice.refresh_from_db()
    assert teleservice.current_version is None and not teleservice.is_published


def test_the_fields_of_a_repeatable_block_are_edited_on_the_block(dave_client, teleservices):
    block = Field.objects.get(key="materiel")
    response = dave_client.get(reverse("admin:teleservices_field_change", args=[block.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Champs de chaque ligne du bloc" in page and "designation" in page


def test_the_admin_pages_of_teleservices_open(dave_client, teleservices):
    teleservice = teleservices["inscription-scolaire"]
    for name, args in [
        ("admin:teleservices_teleservice_changelist", []),
        ("admin:teleservices_teleservice_change", [teleservice.pk]),
        ("admin:teleservices_formversion_changelist", []),
        ("admin:teleservices_case_changelist", []),
        ("admin:teleservices_category_changelist", []),
    ]:
        assert dave_client.get(reverse(name, args=args)).status_code == 200, name


def test_citizens_and_agents_cannot_reach_the_teleservices_admin(client, alice, bob):
    for user in (alice, bob):
        sign_in(client, user)
        response = client.get(reverse("admin:teleservices_teleservice_changelist"))
        assert response.status_code == 302 and "login" in response["Location"]
