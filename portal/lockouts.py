"""Failed sign-ins, counted so that nobody can lock a citizen out from elsewhere, and the way out of a lock.

Each password attempt is counted before it is checked (portal.adapters.AccountAdapter.pre_authenticate; allauth
takes it back when the password is right), by the client's address (gru.proxies.client_address), against the rates
of ACCOUNT_RATE_LIMITS:
- "login_failed" per address ("ip"): many failures from one address are refused, whatever the account;
- "login_failed" per key, the account at this address: 5 failures in 5 minutes lock the account there, and only there;
- "login_failed_account", the account from every address: a guessing spread over many addresses is slowed.
A refusal by either of the last two says that the account is locked and that an email with an unlock link was sent:
the same words whether the account exists or not. The email goes only to an existing active account, and only while
no earlier link of it is waiting: at most one an hour, so that locking an account cannot flood its holder's inbox.
The link, signed, lasts an hour and works once; it clears the lock at the address that uses it, and lets that
browser past the account's ceiling, which a guessing from elsewhere may keep full.
"""

from __future__ import annotations

import secrets

from allauth.account import app_settings
from allauth.account.adapter import get_adapter
from allauth.core.internal import ratelimit
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from gru.proxies import client_address
from portal import services
from portal.models import User

APP = "allauth.account"
UNLOCK_SALT = "portal.lockouts.unlock"
UNLOCKED_SESSION_KEY = "portal_login_unlocked"


def login_attempt_count(request: HttpRequest, *, login: str) -> ratelimit.RateLimitUsage:
    """Count one sign-in attempt for `login`, or refuse it with the reason: too many from this address, or the
    account locked (its holder is then emailed an unlock link)."""
    login = login.strip().lower()
    counted = _consume(request, action="login_failed", per="ip", key=login)
    if counted is None:
        raise get_adapter(request).validation_error("too_many_login_attempts")
    for action, key in _account_limits(request, login):
        usage = _consume(request, action=action, per="key", key=key)
        if usage is None:
            _unlock_link_offer(login)
            raise ValidationError(
                _(
                    "This account is temporarily locked after too many failed sign-in attempts. An email with a link "
                    "to unlock it has been sent to the account's address."
                ),
                code="account_locked",
            )
        counted.usage += usage.usage
    return counted


def login_unlock(request: HttpRequest, *, login: str) -> None:
    """Clear the lock of `login` for this client: its failures at this address, and the account's ceiling for this
    browser. After an unlock link or a password reset, which only the account's holder can use."""
    login = login.strip().lower()
    address_key = _account_limits(request, login)[0][1]
    ratelimit.clear(request, app=APP, action="login_failed", config=_rates("login_failed", "key"), key=address_key)
    request.session[UNLOCKED_SESSION_KEY] = login


def unlock_link_user(token: str) -> User | None:
    """The account an unlock link (its token) is for, while the link is the account's waiting one and under an hour
    old; None otherwise."""
    try:
        user_id, nonce = signing.loads(token, salt=UNLOCK_SALT, max_age=services.UNLOCK_LINK_VALIDITY)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(nonce, str) or cache.get(_waiting_key(user_id)) != nonce:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def unlock_link_use(request: HttpRequest, *, token: str) -> bool:
    """Unlock the account of the link for this client, once: returns whether the link was still good."""
    user = unlock_link_user(token)
    if user is None or not cache.delete(_waiting_key(user.pk)):
        return False
    login_unlock(request, login=user.email)
    return True


def _account_limits(request: HttpRequest, login: str) -> list[tuple[str, str]]:
    """(action, key) of the limits on one account: at this client's address, and from every address, but for a
    browser that used an unlock link of the account."""
    limits = [("login_failed", f"{login}|{client_address(request)}")]
    if request.session.get(UNLOCKED_SESSION_KEY) != login:
        limits.append(("login_failed_account", login))
    return limits


def _rates(action: str, per: str) -> dict[str, str]:
    """The rates of `action` counted `per` address ("ip") or key, as a configuration of allauth's rate limiter."""
    rates = app_settings.RATE_LIMITS.get(action) or ""
    kept = [rate.strip() for rate in rates.split(",") if rate.strip() and ratelimit.parse_rate(rate.strip()).per == per]
    return {action: ",".join(kept)}


def _consume(request: HttpRequest, *, action: str, per: str, key: str) -> ratelimit.RateLimitUsage | None:
    return ratelimit.consume(request, app=APP, action=action, config=_rates(action, per), key=key)


def _waiting_key(user_id: object) -> str:
    return f"portal:unlock-link:{user_id}"


def _unlock_link_offer(login: str) -> None:
    """Email the account of `login`, if there is one, an unlock link, unless one is waiting already."""
    user = User.objects.filter(email__iexact=login, is_active=True).first()
    if user is None:
        return
    nonce = secrets.token_urlsafe(16)
    if cache.add(_waiting_key(user.pk), nonce, services.UNLOCK_LINK_VALIDITY.total_seconds()):
        services.user_unlock_link_send(user=user, token=signing.dumps([user.pk, nonce], salt=UNLOCK_SALT))
