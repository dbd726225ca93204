"""Requests filed by agents for someone without an account join the account that proves it owns their email."""

from typing import Any

from allauth.account.models import EmailAddress

from teleservices import services


def link_on_email_confirmed(*, email_address: EmailAddress, **kwargs: Any) -> None:
    services.cases_link_to_account(user=email_address.user, email=email_address.email)


def link_on_signed_up(*, user: Any, **kwargs: Any) -> None:
    """An account opened with an address already verified (FranceConnect) is not confirmed again."""
    for address in EmailAddress.objects.filter(user=user, verified=True):
        services.cases_link_to_account(user=user, email=address.email)
