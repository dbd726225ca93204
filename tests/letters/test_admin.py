"""Administrators write template letters in the admin: placeholders documented beside the text, checked when saved,
previewed on a real request; letters are read-only there."""

import html

import pytest
from django.urls import reverse

from letters import services
from letters.models import Kind, LetterTemplate
from tests.conftest import sign_in


def _template_data(etat_civil, **changes):
    data = {
        "name": "Refus",
        "slug": "refus",
        "kind": "decision",
        "signed": "on",
        "active": "on",
        "department": etat_civil.pk,
        "subject": "Votre demande {{ demande.reference }}",
        "body": "Madame, Monsieur {{ usager.nom }},\n\nVotre demande est refusée.",
    }
    return {key: value for key, value in {**data, **changes}.items() if value is not None}


def test_a_template_is_saved_with_its_placeholders(dave_client, etat_civil):
    response = dave_client.post(reverse("admin:letters_lettertemplate_add"), _template_data(etat_civil))
    assert response.status_code == 302
    template = LetterTemplate.objects.get(slug="refus")
    assert template.history.count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Bonjour {{ usager.password }}", "Variable inconnue « {{ usager.password }} »"),
        ("{{ demande.__class__ }}", "« {{ demande.__class__ }} » n’est pas autorisé"),
        ("{% for r in demande.reponses %}x{% endfor %}", "La balise « {% for r in demande.reponses %} »"),
    ],
)
def test_a_template_with_a_forbidden_placeholder_or_tag_is_refused_by_name(dave_client, etat_civil, body, message):
    response = dave_client.post(reverse("admin:letters_lettertemplate_add"), _template_data(etat_civil, body=body))
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not LetterTemplate.objects.exclude(kind=Kind.ACKNOWLEDGEMENT).exists()  # only the default récépissé


def test_a_decision_must_be_signed(dave_client, etat_civil):
    response = dave_client.post(reverse("admin:letters_lettertemplate_add"), _template_data(etat_civil, signed=None))
    assert response.status_code == 200
    assert "Les courriers portant une décision ou une attestation sont signés." in html.unescape(
        response.content.decode()
    )


def test_the_placeholders_are_documented_beside_the_text(dave_client, etat_civil):
    page = html.unescape(dave_client.get(reverse("admin:letters_lettertemplate_add")).content.decode())
    assert "{{ usager.nom }}" in page and "{{ demande.reponses.<identifiant> }}" in page
    assert "nom de famille du demandeur" in page


def test_the_preview_renders_the_letter_of_a_submitted_request(dave_client, birth_case, decision_template):
    url = reverse("admin:letters_lettertemplate_preview", args=[decision_template.pk])
    page = dave_client.get(url)
    assert page.status_code == 200 and birth_case.reference in page.content.decode()
    chosen = dave_client.get(url, {"case": birth_case.pk})
    assert f"?case={birth_case.pk}&amp;format=pdf" in chosen.content.decode()
    letter_html = dave_client.get(url, {"case": birth_case.pk, "format": "html"})
    assert letter_html["Content-Security-Policy"].startswith("default-src 'none'")
    assert "Madame, Monsieur Martin" in letter_html.content.decode()
    letter_pdf = dave_client.get(url, {"case": birth_case.pk, "format": "pdf"})
    assert letter_pdf["Content-Type"] == "application/pdf" and letter_pdf.content.startswith(b"%PDF")


def test_the_preview_is_for_administrators_only(client, bob, decision_template):
    sign_in(client, bob)
    response = client.get(reverse("admin:letters_lettertemplate_preview", args=[decision_template.pk]))
    assert response.status_code == 302 and reverse("admin:login") in response.url


def test_letters_are_read_only_and_say_when_they_went_unsigned(
    dave_client, bob, birth_case, decision_template, write_letter
):
    letter = services.letter_send(letter=write_letter(birth_case, decision_template), actor=bob)
    listing = html.unescape(dave_client.get(reverse("admin:letters_letter_changelist")).content.decode())
    assert letter.display_code in listing and "aucun certificat de signature" in listing
    assert dave_client.get(reverse("admin:letters_letter_add")).status_code == 403
    change = dave_client.post(reverse("admin:letters_letter_change", args=[letter.pk]), {"subject": "Autre"})
    assert change.status_code == 403
    pdf = dave_client.get(reverse("admin:letters_letter_pdf", args=[letter.pk]))
    assert pdf.content.startswith(b"%PDF")
