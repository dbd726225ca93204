from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("teleservices", "0004_cases_to_standard_workflow")]

    operations = [
        migrations.RemoveConstraint(model_name="case", name="case_submitted_has_reference"),
        migrations.RemoveIndex(model_name="case", name="case_user_status"),
        migrations.RemoveIndex(model_name="case", name="case_draft_expiry"),
        *[migrations.RemoveField(model_name=model, name="status") for model in ("case", "caseevent", "historicalcase")],
        *[
            migrations.RenameField(model_name=model, old_name="new_status", new_name="status")
            for model in ("case", "caseevent", "historicalcase")
        ],
    ]
