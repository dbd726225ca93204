"""Forms of letters: the public verification of a code, and the agents' letters on a case."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from letters.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    SUBJECT_MAX_LENGTH,
    Kind,
    LetterTemplate,
    code_display,
    code_normalise,
)
from teleservices.models import Case


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("The 12 letters and digits printed at the foot of the letter, such as 7K4Q-XM2B-9HTD."),
        widget=forms.TextInput({"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = code_normalise(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
            raise ValidationError(_("A verification code has 12 letters and digits, such as 7K4Q-XM2B-9HTD."))
        return code_display(code)


class LetterTemplateChoiceForm(forms.Form):
    """The template of a letter to write on a case: those of its téléservice and those for every téléservice."""

    template = forms.ModelChoiceField(label=_("Template letter"), queryset=LetterTemplate.objects.none())

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = (
            LetterTemplate.objects.active().for_teleservice(case.teleservice).exclude(kind=Kind.ACKNOWLEDGEMENT)
        )


class LetterForm(forms.Form):
    """The wording of a letter not sent yet (placeholders already replaced; the text is what the citizen reads)."""

    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX_LENGTH)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea({"rows": 16}))
