"""`{{ form|error_count }}`: the number of errors an error summary lists (components/error_summary.html)."""

from django import forms, template

register = template.Library()


@register.filter
def error_count(form: forms.BaseForm) -> int:
    """Every error, a field's several ones included (`form.errors|length` counts the fields in error)."""
    return len(form.non_field_errors()) + sum(len(field.errors) for field in form)
