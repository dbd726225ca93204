"""makemessages without fuzzy matching: a new string is left untranslated (and caught by the tests) rather than
given a near-miss translation."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
