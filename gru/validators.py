"""Validators shared by the forms of every app."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Control characters (line feed, carriage return, tab, NUL…) and the Unicode line and paragraph separators: what
# could break a line of an email's headers or subject, a CSV export or a log line.
LINE_BREAKING = r"[\x00-\x1f\x7f-\x9f\u2028\u2029]"

validate_one_line = RegexValidator(
    LINE_BREAKING,
    inverse_match=True,
    message=_("Write it on one line, without line breaks or control characters."),
    code="line_break",
)
