"""File sizes as a French reader expects them: "820 octets", "12 Ko", "1,5 Mo" (not Django's "Kio" and "Mio")."""

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

UNITS = ((1024**3, _("%(size)s GB")), (1024**2, _("%(size)s MB")), (1024, _("%(size)s KB")))


def file_size(size: int) -> str:
    """`size` bytes in the largest unit it reaches (units of 1 024), to one decimal in the current language's style."""
    for factor, unit in UNITS:
        if size >= factor:
            value = round(size / factor, 1)
            return unit % {"size": number_format(int(value) if value.is_integer() else value)}
    return ngettext("%(size)d byte", "%(size)d bytes", size) % {"size": size}
