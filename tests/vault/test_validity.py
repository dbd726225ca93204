"""How long a proof stays valid, by its type's rule."""

import datetime

import pytest
from django.db import IntegrityError

from vault.models import DocumentType
from vault.validity import valid_until

D = datetime.date


@pytest.mark.parametrize(
    ("rule", "months", "issued_on", "expected"),
    [
        ("unlimited", None, D(2026, 3, 10), None),
        ("months", 3, D(2026, 3, 10), D(2026, 6, 9)),
        ("months", 3, D(2026, 11, 30), D(2027, 2, 27)),  # 28 February is the last day of the third month
        ("months", 1, D(2024, 1, 31), D(2024, 2, 28)),  # a leap year's February, day before the 29th
        ("months", 180, D(2020, 5, 4), D(2035, 5, 3)),  # an identity card's fifteen years
        ("calendar_year", None, D(2026, 1, 1), D(2026, 12, 31)),
        ("calendar_year", None, D(2026, 12, 31), D(2026, 12, 31)),
        ("school_year", None, D(2026, 9, 1), D(2027, 8, 31)),
        ("school_year", None, D(2027, 8, 31), D(2027, 8, 31)),
        ("school_year", None, D(2027, 1, 15), D(2027, 8, 31)),
    ],
)
def test_validity_rules(rule, months, issued_on, expected):
    assert valid_until(rule, issued_on=issued_on, months=months) == expected


def test_a_validity_in_months_needs_its_months():
    with pytest.raises(ValueError, match="months"):
        valid_until("months", issued_on=D(2026, 1, 1))


@pytest.mark.django_db
@pytest.mark.parametrize(("validity", "months"), [("months", None), ("months", 0), ("unlimited", 3)])
def test_the_database_refuses_months_that_do_not_match_the_rule(validity, months):
    with pytest.raises(IntegrityError):
        DocumentType.objects.create(label="Justificatif", slug="j", validity=validity, validity_months=months)
