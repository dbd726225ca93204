"""Filters of the booking pages: `{{ slot|slot_value }}`, the value a slot's button sends (appointments.weeks)."""

from django import template

from appointments.slots import Slot
from appointments.weeks import slot_value as _slot_value

register = template.Library()


@register.filter
def slot_value(slot: Slot) -> str:
    return _slot_value(slot)
