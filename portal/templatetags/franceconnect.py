from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def franceconnect_enabled() -> bool:
    return bool(settings.FRANCECONNECT_ENABLED)
