"""File sizes in French units with a decimal comma ("1,5 Mo"), never Django's "Kio" and "Mio"."""

import pytest
from django.template import Context, Template
from django.utils import translation

from gru.sizes import file_size


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (1, "1\xa0octet"),
        (820, "820\xa0octets"),
        (1024, "1\xa0Ko"),
        (100_000, "97,7\xa0Ko"),
        (1536 * 1024, "1,5\xa0Mo"),
        (10 * 1024 * 1024, "10\xa0Mo"),
        (3 * 1024**3, "3\xa0Go"),
    ],
)
def test_sizes_in_french(size, text):
    with translation.override("fr"):
        assert file_size(size) == text


def test_in_english_too():
    with translation.override("en"):
        assert file_size(1536 * 1024) == "1.5 MB"


def test_in_a_template():
    with translation.override("fr"):
        assert Template("{% load file_sizes %}{{ size|file_size }}").render(Context({"size": 2_500_000})) == "2,4\xa0Mo"
