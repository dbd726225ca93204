from django.db import migrations

from teleservices.default_workflow import default_workflow_build


def build(apps, schema_editor):
    default_workflow_build(
        apps.get_model("backoffice", "Workflow"),
        apps.get_model("backoffice", "Status"),
        apps.get_model("backoffice", "Transition"),
    )


class Migration(migrations.Migration):
    dependencies = [("backoffice", "0001_workflows")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
