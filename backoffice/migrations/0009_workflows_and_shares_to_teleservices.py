"""Workflows, their statuses and actions, and the case shares belong to teleservices from now on (its migration 0018
took them over on their tables): they leave the back office's state only, nothing is dropped."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('backoffice', '0008_export_encrypted_at_rest'),
        ('teleservices', '0019_workflows_and_shares_from_backoffice'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='CaseShare'),
                migrations.DeleteModel(name='HistoricalTransition_sources'),
                migrations.DeleteModel(name='HistoricalTransition'),
                migrations.DeleteModel(name='HistoricalStatus'),
                migrations.DeleteModel(name='HistoricalWorkflow'),
                migrations.DeleteModel(name='Transition'),
                migrations.DeleteModel(name='Status'),
                migrations.DeleteModel(name='Workflow'),
            ],
        ),
    ]
