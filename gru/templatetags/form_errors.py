"""`{{ form|error_links }}`: the problems of a form as components/error_summary.html lists them."""

from django import forms, template

register = template.Library()


@register.filter
def error_links(form: forms.BaseForm) -> list[tuple[str, str, str]]:
    """(field id, label, error) of every error, a field's several ones included, the form's own ones first.

    A form that has more to list than its fields (a request page's PageForm and its block rows) gives its own."""
    own = getattr(form, "error_links", None)
    if own is not None:
        return own()
    links = [("", "", str(error)) for error in form.non_field_errors()]
    links += [(field.auto_id, str(field.label or ""), str(error)) for field in form for error in field.errors]
    return links
