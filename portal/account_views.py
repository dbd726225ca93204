"""allauth's views as the portal needs them (routed in portal.account_urls, before allauth's own)."""

import datetime
from typing import Any

from allauth.account import app_settings
from allauth.account.internal.flows.login import perform_login
from allauth.account.models import EmailAddress, Login
from allauth.account.views import ConfirmEmailView as AllauthConfirmEmailView
from django.core import signing
from django.http import HttpResponse

# A confirmation link opened this soon after it was sent signs its holder in, even in another browser than the one
# they signed up with (allauth only does it in the same session). The link works once (allauth keeps no key of a
# confirmed address), and agents and staff still pass the second factor (perform_login's stages).
LOGIN_ON_CONFIRMATION_MAX_AGE = datetime.timedelta(hours=1)


def _fresh_link_address(key: str) -> EmailAddress | None:
    """The unconfirmed address a link of less than LOGIN_ON_CONFIRMATION_MAX_AGE confirms, if any."""
    try:
        pk = signing.loads(key, max_age=LOGIN_ON_CONFIRMATION_MAX_AGE, salt=app_settings.SALT)
    except signing.BadSignature:
        return None
    return EmailAddress.objects.filter(pk=pk, verified=False).select_related("user").first()


class ConfirmEmailView(AllauthConfirmEmailView):
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        """allauth's confirmation; then, a fresh link opened while nobody is signed in signs its holder in."""
        address = _fresh_link_address(self.kwargs["key"])
        response = super().post(*args, **kwargs)
        if address is None or self.request.user.is_authenticated:
            return response
        if not EmailAddress.objects.filter(pk=address.pk, verified=True).exists():
            return response
        return perform_login(self.request, Login(user=address.user, email=address.email))
