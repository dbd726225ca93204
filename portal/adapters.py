import logging
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.utils import build_absolute_uri
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.urls import reverse

from gru import emails
from gru.access import is_agent
from gru.models import Organisation
from gru.proxies import client_address
from portal import franceconnect, franceconnect_linking, lockouts

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address behind our reverse proxies (TRUSTED_PROXIES), for every rate limit of allauth."""
        return client_address(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Count the attempt per address, per account at this address and per account (portal.lockouts); allauth
        takes it back when the password is right."""
        self._login_failed_rl_usage = lockouts.login_attempt_count(request, login=credentials.get("email", ""))

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        """After a password reset, which only the account's holder can do: their account unlocked for them."""
        lockouts.login_unlock(request, login=credentials.get("email", ""))

    def get_from_email(self) -> str:
        """Account emails come from the collectivité, as the portal's others (gru.emails)."""
        return emails.email_sender()

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Account emails are written as the portal's others: the collectivité signs them, the sign-in page is
        linked from them (templates/account/email/)."""
        context = {
            "organisation": Organisation.objects.current(),
            "login_url": build_absolute_uri(self.request, reverse("account_login")),
            **context,
        }
        super().send_mail(template_prefix, email, context)

    def login(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        """Signed in with a password or an emailed link: the account is proved, a FranceConnect identity waiting for
        that proof is connected to it."""
        super().login(request, user)
        franceconnect_linking.identity_connect_pending(request, user)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Agents land on their home (AGENT_HOME_URL), citizens on their space (unless a `next` URL was given)."""
        if is_agent(request.user):
            return reverse(settings.AGENT_HOME_URL)
        return super().get_login_redirect_url(request)

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        """A session opened with FranceConnect is also closed at FranceConnect (end session)."""
        try:
            url = franceconnect.logout_url(request)
        except franceconnect.FranceConnectError:
            logger.exception("FranceConnect end-session endpoint unavailable; local logout only")
            url = None
        return url or super().get_logout_redirect_url(request)
