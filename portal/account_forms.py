"""allauth's forms as the portal shows them (ACCOUNT_FORMS); apart from portal.forms, which allauth's own forms import
(ACCOUNT_SIGNUP_FORM_CLASS)."""

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm


class LoginForm(AllauthLoginForm):
    """Without the "Forgot your password?" hint between the password's label and its field: the login page links it
    after the field, so that Tab goes from the email to the password."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
