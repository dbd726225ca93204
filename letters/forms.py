from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from letters.models import CODE_ALPHABET, CODE_LENGTH, code_display, code_normalise


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
