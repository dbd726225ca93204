"""The error summary's heading counts the errors it lists, a field's several errors included."""

from django import forms
from django.core.validators import RegexValidator
from django.template.loader import render_to_string
from django.utils import translation


class CodeForm(forms.Form):
    code = forms.CharField(label="Code", min_length=5, validators=[RegexValidator(r"^\d+$", "Chiffres seulement.")])
    town = forms.CharField(label="Commune")


def test_the_heading_counts_every_listed_error():
    form = CodeForm({"code": "ab", "town": ""})
    with translation.override("fr"):
        html = render_to_string("components/error_summary.html", {"form": form})
    assert html.count("<li>") == 3
    assert "Le formulaire comporte 3 erreurs :" in html
