"""The fixed process of the first release becomes the standard workflow: téléservices use it, cases keep their
status, department, deadline and applicant."""

from django.db import migrations
from django.utils import timezone

from teleservices.default_workflow import LEGACY_STATUSES, SLUG
from gru.workdays import add_working_days


def forward(apps, schema_editor):
    workflow = apps.get_model("backoffice", "Workflow").objects.get(slug=SLUG)
    statuses = {status.key: status for status in workflow.statuses.all()}
    by_legacy = {legacy: statuses[key] for legacy, key in LEGACY_STATUSES.items()}
    Teleservice = apps.get_model("teleservices", "Teleservice")
    Teleservice.objects.update(workflow=workflow)
    Case = apps.get_model("teleservices", "Case")
    for case in Case.objects.exclude(status="draft").select_related("teleservice", "user"):
        status = by_legacy[case.status]
        case.new_status = status
        case.department_id = case.teleservice.department_id
        case.applicant_first_name = case.user.first_name
        case.applicant_last_name = case.user.last_name
        case.applicant_email = case.user.email
        submitted_on = timezone.localtime(case.submitted_at).date()
        case.deadline = add_working_days(submitted_on, case.teleservice.processing_days)
        case.closed_at = case.updated_at if status.is_terminal else None
        case.save()
    for model in ("CaseEvent", "HistoricalCase"):
        rows = apps.get_model("teleservices", model).objects
        for legacy, status in by_legacy.items():
            rows.filter(status=legacy).update(new_status=status)


class Migration(migrations.Migration):
    dependencies = [
        ("teleservices", "0003_case_instruction_fields"),
        ("backoffice", "0002_default_workflow"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
