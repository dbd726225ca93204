"""Django's makemigrations, run with the checks of the models only: writing or checking migrations needs no
deployment's settings (a developer's machine or CI has no production SECRET_KEY or file keys, which gru/checks.py
rightly requires of every command that serves)."""

from django.core.checks import Tags
from django.core.management.commands import makemigrations


class Command(makemigrations.Command):
    requires_system_checks = [Tags.models]
