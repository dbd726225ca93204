"""A template letter checks its own placeholders (LetterTemplate.clean): whatever saves it through full_clean(), the
admin's form included, refuses a text reaching beyond the documented placeholders, in French, under its field."""

import pytest
from django.core.exceptions import ValidationError

from letters.models import Kind, LetterTemplate


def _template(**changes) -> LetterTemplate:
    fields = {
        "name": "Information",
        "slug": "information",
        "kind": Kind.INFORMATION,
        "subject": "Votre demande {{ demande.reference }}",
        "body": "Bonjour {{ usager.prenom }},\n\nVotre demande est à l'étude.",
    }
    return LetterTemplate(**{**fields, **changes})


def test_a_template_with_documented_placeholders_is_valid(etat_civil):
    _template().full_clean()


@pytest.mark.parametrize(
    ("field", "source", "message"),
    [
        (
            "body",
            "Bonjour {{ case.citizen.password }}",
            "Variable inconnue « {{ case.citizen.password }} » : voir la liste des variables.",
        ),
        (
            "subject",
            "Votre demande {{ usager.nom.upper() }}",
            "« {{ usager.nom.upper() }} » n’est pas autorisé : écrivez une variable de la liste, sans filtre ni appel "
            "de méthode.",
        ),
    ],
)
def test_full_clean_refuses_an_unknown_placeholder_or_a_method_call_in_french(etat_civil, field, source, message):
    template = _template(**{field: source})
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert refused.value.message_dict == {field: [message]}
