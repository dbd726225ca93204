"""FranceConnect (OpenID Connect, v2) for citizens: authorization code flow with state and nonce, acr checked,
ID token and userinfo both signed JWTs verified against the provider's keys, logout through its end-session endpoint.

A small client of our own on requests + PyJWT: allauth's generic provider sends no nonce and cannot read a signed
userinfo, and mozilla-django-oidc would need overriding in most of its steps (discovery, acr, logout) to fit.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse

from gru.validators import LINE_BREAKING

SESSION_KEY = "franceconnect"
DISCOVERY_CACHE_SECONDS = 3600
TIMEOUT_SECONDS = 10
SCOPES = "openid given_name family_name birthdate email"
ALGORITHMS = ["ES256", "RS256"]


class FranceConnectError(Exception):
    """The identification failed; the message is for the logs, the citizen sees a generic French sentence."""


@dataclass(frozen=True)
class Identity:
    sub: str
    given_name: str
    family_name: str
    birthdate: str
    email: str


def _discovery() -> dict[str, Any]:
    key = f"franceconnect:discovery:{settings.FRANCECONNECT_ISSUER}"
    document = cache.get(key)
    if document is None:
        url = settings.FRANCECONNECT_ISSUER.rstrip("/") + "/.well-known/openid-configuration"
        document = _get_json(url)
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise FranceConnectError(f"cannot read {url}: {error}") from error


def _redirect_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("franceconnect:callback"))


def authorization_url(request: HttpRequest) -> str:
    """Where to send the citizen; the state and nonce are kept in the session for the return."""
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    request.session[SESSION_KEY] = {"state": state, "nonce": nonce}
    params = {
        "response_type": "code",
        "client_id": settings.FRANCECONNECT_CLIENT_ID,
        "redirect_uri": _redirect_uri(request),
        "scope": SCOPES,
        "acr_values": settings.FRANCECONNECT_ACR,
        "state": state,
        "nonce": nonce,
        "prompt": "login consent",
    }
    return _discovery()["authorization_endpoint"] + "?" + urlencode(params)


def _decode(token: str, *, discovery: dict[str, Any]) -> dict[str, Any]:
    """Verify a JWT signed by the provider (signature, issuer, audience, expiry)."""
    try:
        key = jwt.PyJWKClient(discovery["jwks_uri"], timeout=TIMEOUT_SECONDS).get_signing_key_from_jwt(token)
        return jwt.decode(
            token,
            key.key,
            algorithms=ALGORITHMS,
            audience=settings.FRANCECONNECT_CLIENT_ID,
            issuer=discovery["issuer"],
        )
    except jwt.PyJWTError as error:
        raise FranceConnectError(f"invalid token: {error}") from error


def _exchange_code(request: HttpRequest, code: str, discovery: dict[str, Any]) -> dict[str, Any]:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": _redirect_uri(request),
        "client_id": settings.FRANCECONNECT_CLIENT_ID,
        "client_secret": settings.FRANCECONNECT_CLIENT_SECRET,
    }
    try:
        response = requests.post(discovery["token_endpoint"], data=data, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise FranceConnectError(f"token exchange failed: {error}") from error


def _userinfo(access_token: str, discovery: dict[str, Any]) -> dict[str, Any]:
    try:
        response = requests.get(
            discovery["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=TIMEOUT_SECONDS,
        )
        response.raise_for_status()
    except requests.RequestException as error:
        raise FranceConnectError(f"userinfo failed: {error}") from error
    if not response.headers.get("Content-Type", "").startswith("application/jwt"):
        raise FranceConnectError("userinfo is not a signed JWT")
    return _decode(response.text, discovery=discovery)


def identity_from_callback(request: HttpRequest) -> Identity:
    """Check the provider's answer end to end and return the certified identity."""
    pending = request.session.pop(SESSION_KEY, None)
    if request.GET.get("error"):
        raise FranceConnectError(f"provider error: {request.GET['error']}")
    if not pending or not secrets.compare_digest(request.GET.get("state", ""), pending["state"]):
        raise FranceConnectError("state mismatch")
    discovery = _discovery()
    tokens = _exchange_code(request, request.GET.get("code", ""), discovery)
    id_token = _decode(tokens.get("id_token", ""), discovery=discovery)
    if not secrets.compare_digest(str(id_token.get("nonce", "")), pending["nonce"]):
        raise FranceConnectError("nonce mismatch")
    if id_token.get("acr") != settings.FRANCECONNECT_ACR:
        raise FranceConnectError(f"unexpected acr {id_token.get('acr')!r}")
    claims = _userinfo(tokens.get("access_token", ""), discovery)
    if claims.get("sub") != id_token["sub"]:
        raise FranceConnectError("userinfo subject differs from the ID token's")
    request.session[SESSION_KEY] = {"id_token": tokens["id_token"]}
    return identity_of(claims)


def identity_of(claims: dict[str, Any]) -> Identity:
    """The identity the provider's claims give, its names on one line: a line break or a control character in them
    (which would reach email headers) becomes a space."""
    try:
        values = {field: str(claims[field]) for field in Identity.__dataclass_fields__}
    except KeyError as error:
        raise FranceConnectError(f"missing claim {error}") from error
    for name in ("given_name", "family_name"):
        values[name] = " ".join(re.sub(LINE_BREAKING, " ", values[name]).split())
    return Identity(**values)


def logout_url(request: HttpRequest) -> str | None:
    """The provider's end-session URL when the session came from FranceConnect, else None."""
    id_token = request.session.get(SESSION_KEY, {}).get("id_token")
    if not (settings.FRANCECONNECT_ENABLED and id_token):
        return None
    params = {
        "id_token_hint": id_token,
        "state": secrets.token_urlsafe(16),
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("home")),
    }
    return _discovery()["end_session_endpoint"] + "?" + urlencode(params)
