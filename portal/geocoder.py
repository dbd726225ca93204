"""Addresses suggested as the citizen types, from the Base Adresse Nationale (api-adresse.data.gouv.fr) or a
self-hosted addok with the same API (GEOCODER_URL; empty: no suggestions). Our server asks it, never the browser: with
a short timeout, each answer cached in Redis, and a limit of lookups per session. A geocoder that fails or is slow
gives no suggestions, never an error: the citizen types the address by hand."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import asdict, dataclass
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

MIN_QUERY = 3  # characters before anything is asked (the BAN answers nothing useful below)
MAX_QUERY = 200
SUGGESTIONS = 5


@dataclass(frozen=True)
class Suggestion:
    """One address the geocoder proposes, in the parts of our address questions."""

    label: str
    street: str
    postcode: str
    city: str


def geocoder_enabled() -> bool:
    return bool(settings.GEOCODER_URL)


def lookup_allowed(*, session_key: str) -> bool:
    """Count one lookup of this session; False past GEOCODER_RATE_PER_MINUTE in the current minute."""
    key = f"geocoder:rate:{session_key}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=60)
    return cache.incr(key) <= settings.GEOCODER_RATE_PER_MINUTE


def address_search(*, query: str) -> list[Suggestion]:
    """The addresses matching what was typed (none when the geocoder is off, the query too short, or on failure)."""
    query = " ".join(query.split())[:MAX_QUERY]
    if not geocoder_enabled() or len(query) < MIN_QUERY:
        return []
    key = "geocoder:search:" + hashlib.sha256(f"{settings.GEOCODER_URL}|{query.lower()}".encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return [Suggestion(**row) for row in cached]
    try:
        response = requests.get(
            settings.GEOCODER_URL.rstrip("/") + "/search/",
            params={"q": query, "limit": str(SUGGESTIONS), "autocomplete": "1"},
            timeout=settings.GEOCODER_TIMEOUT,
        )
        response.raise_for_status()
        suggestions = _suggestions(response.json())
    except (requests.RequestException, ValueError) as error:
        logger.warning("The geocoder gave no answer: %s", error)
        return []
    cache.set(key, [asdict(s) for s in suggestions], timeout=settings.GEOCODER_CACHE_SECONDS)
    return suggestions


def _suggestions(collection: Any) -> list[Suggestion]:
    """The GeoJSON FeatureCollection of the BAN's /search/ as suggestions; features without a street, a postcode and
    a town (a whole town, say) are left out: the citizen goes on typing."""
    suggestions = []
    for feature in collection.get("features", [])[:SUGGESTIONS] if isinstance(collection, dict) else []:
        properties = feature.get("properties") or {}
        street, postcode, city = (
            _street(properties),
            str(properties.get("postcode", "")),
            str(properties.get("city", "")),
        )
        if not (street and postcode and city):
            continue
        label = str(properties.get("label") or f"{street} {postcode} {city}")
        suggestions.append(Suggestion(label=label, street=street, postcode=postcode, city=city))
    return suggestions


def _street(properties: dict[str, Any]) -> str:
    """The street part: number and street of an address, the name of a lieu-dit, nothing for a whole town."""
    if properties.get("street"):
        return " ".join(str(p) for p in (properties.get("housenumber"), properties["street"]) if p)
    return str(properties.get("name", "")) if properties.get("type") == "locality" else ""
