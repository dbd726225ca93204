"""The client's address, behind the reverse proxies of TRUSTED_PROXIES: the one every throttle counts by (sign-ins
through portal.adapters, the letters' verification page).

TRUSTED_PROXIES is either a count or networks:
- a count N: N proxies each append the address they saw to X-Forwarded-For, so the client is its N-th entry from the
  right. Only when the web server cannot be reached but through them: a request with fewer entries gets REMOTE_ADDR.
- networks (CIDR): X-Forwarded-For is read only when REMOTE_ADDR is in one of them, from the right, past the
  addresses of the trusted proxies; the first other address is the client.
0 (or no network): REMOTE_ADDR is the client and the header is never read.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies_parse(value: str) -> int | list[Network]:
    """The TRUSTED_PROXIES setting from its text: "1", or "10.0.0.0/8, fd00::/8". Raises ValueError when it is
    neither."""
    value = value.strip()
    if value.isdigit():
        return int(value)
    return [ipaddress.ip_network(network.strip(), strict=False) for network in value.split(",") if network.strip()]


def client_address(request: HttpRequest) -> str:
    """The address of the client who sent `request`, as TRUSTED_PROXIES lets us believe it."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    trusted = settings.TRUSTED_PROXIES
    if isinstance(trusted, int):
        chosen = forwarded[-trusted] if 0 < trusted <= len(forwarded) else remote
        address = _address(chosen)
        return str(address) if address is not None else remote
    return str(_behind_networks(remote, forwarded, trusted) or remote)


def _behind_networks(remote: str, forwarded: list[str], networks: list[Network]) -> Address | None:
    """The first address, from REMOTE_ADDR leftwards through X-Forwarded-For, outside the trusted networks; the last
    one believed when an entry is not an address or every one is trusted."""
    believed = _address(remote)
    for entry in reversed(forwarded):
        if believed is None or not _trusted(believed, networks):
            break
        address = _address(entry)
        if address is None:
            break
        believed = address
    return believed


def _trusted(address: Address, networks: list[Network]) -> bool:
    return any(address in network for network in networks)


def _address(text: str) -> Address | None:
    """The address in `text` ("192.0.2.7", "192.0.2.7:5678", "[2001:db8::7]:5678"), IPv4-mapped IPv6 as IPv4 (gunicorn
    bound to [::]); None when it is not one."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address
