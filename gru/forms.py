"""Form rendering shared by every page: one field template with label, hint, errors and aria-describedby."""

from django.forms.renderers import TemplatesSetting


class GruFormRenderer(TemplatesSetting):
    form_template_name = "components/form.html"
    field_template_name = "components/field.html"
