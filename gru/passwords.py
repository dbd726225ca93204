"""Passwords hard to guess: a Django password validator (AUTH_PASSWORD_VALIDATORS) on zxcvbn's estimate of the
guesses an attacker needs, offline (its dictionaries ship with the package), with common French passwords
(gru/passwords_fr.txt) and the account's own details as extra dictionary words."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

FRENCH_PASSWORDS = Path(__file__).with_name("passwords_fr.txt")
# zxcvbn's scores: 3 is "safely unguessable" (about 10^8 guesses and more), 4 "very unguessable".
MIN_SCORE = 3
# zxcvbn's time grows with the length; what follows the first 100 characters only makes a password stronger.
CHECKED_LENGTH = 100
USER_ATTRIBUTES = ("email", "first_name", "last_name")


@functools.cache
def french_passwords() -> tuple[str, ...]:
    """The common French passwords, most common first (zxcvbn ranks its extra words by their position)."""
    lines = FRENCH_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _user_words(user: Any) -> list[str]:
    """The account's email, its parts and names: a password made of them is easy to guess for whoever knows them."""
    values = [str(getattr(user, name, "") or "") for name in USER_ATTRIBUTES]
    email = values[0]
    return [value for value in (*values, *email.replace("@", ".").split(".")) if value]


class StrengthValidator:
    """Refuse a password zxcvbn scores under `min_score`."""

    def __init__(self, min_score: int = MIN_SCORE) -> None:
        self.min_score = min_score

    def validate(self, password: str, user: Any = None) -> None:
        words = [*_user_words(user), *french_passwords()]
        if zxcvbn(password[:CHECKED_LENGTH], user_inputs=words)["score"] < self.min_score:
            raise ValidationError(
                _(
                    "This password is too easy to guess: make it longer with unexpected words, and avoid common "
                    "words, names, dates and sequences like azerty or 1234."
                ),
                code="password_too_guessable",
            )

    def get_help_text(self) -> str:
        return _("Your password must be hard to guess: several unexpected words rather than one common word.")
