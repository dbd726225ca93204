"""The client's address behind the reverse proxies of TRUSTED_PROXIES (gru.proxies)."""

import ipaddress

import pytest
from django.test import RequestFactory

from gru.proxies import client_address, trusted_proxies_parse

PROXIES = [ipaddress.ip_network("10.0.0.0/24"), ipaddress.ip_network("fd00::/8")]


def _address(remote: str, forwarded: str | None = None) -> str:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_the_setting_is_a_count_or_networks():
    assert trusted_proxies_parse("2") == 2
    assert trusted_proxies_parse(" 10.0.0.7/24, fd00::/8 ") == PROXIES
    assert trusted_proxies_parse("") == []
    with pytest.raises(ValueError):
        trusted_proxies_parse("10.0.0.0/33")


def test_without_trusted_proxies_the_header_is_never_read(settings):
    settings.TRUSTED_PROXIES = 0
    assert _address("192.0.2.7", "203.0.113.9") == "192.0.2.7"
    assert _address("::ffff:192.0.2.7") == "192.0.2.7"


def test_a_count_takes_the_address_the_first_trusted_proxy_saw(settings):
    settings.TRUSTED_PROXIES = 1
    assert _address("10.0.0.2", "203.0.113.9") == "203.0.113.9"
    assert _address("10.0.0.2", "198.51.100.66, 203.0.113.9") == "203.0.113.9"  # what the client wrote is ignored
    settings.TRUSTED_PROXIES = 2
    assert _address("10.0.0.3", "198.51.100.66, 203.0.113.9, 10.0.0.2") == "203.0.113.9"


def test_a_count_with_fewer_entries_than_proxies_gives_the_connections_address(settings):
    settings.TRUSTED_PROXIES = 2
    assert _address("192.0.2.7", "203.0.113.9") == "192.0.2.7"


def test_networks_walk_the_header_from_the_right_past_the_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = PROXIES
    assert _address("10.0.0.2", "203.0.113.9") == "203.0.113.9"
    assert _address("10.0.0.2", "198.51.100.66, 203.0.113.9, 10.0.0.5") == "203.0.113.9"
    assert _address("fd00::2", "[2001:db8::9]:4321, fd00::5") == "2001:db8::9"
    assert _address("10.0.0.2", "203.0.113.9:5678") == "203.0.113.9"


def test_networks_ignore_a_header_sent_from_an_untrusted_address(settings):
    settings.TRUSTED_PROXIES = PROXIES
    assert _address("192.0.2.7", "203.0.113.9") == "192.0.2.7"
    assert _address("192.0.2.7", "10.0.0.5") == "192.0.2.7"


def test_networks_stop_at_an_entry_that_is_not_an_address(settings):
    settings.TRUSTED_PROXIES = PROXIES
    assert _address("10.0.0.2", "203.0.113.9, not-an-address, 10.0.0.5") == "10.0.0.5"
    assert _address("10.0.0.2", "10.0.0.9") == "10.0.0.9"  # every entry trusted: the farthest one
