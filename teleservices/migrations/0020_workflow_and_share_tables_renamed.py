"""The tables of the models migration 0018 took over from the back office take the app's names: teleservices_*, the
history's tables and the actions' statuses (the many-to-many table of `Transition.sources`) included. Rows, ids and
history stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('backoffice', '0009_workflows_and_shares_to_teleservices'),
        ('teleservices', '0019_workflows_and_shares_from_backoffice'),
    ]

    operations = [
        migrations.AlterModelTable(name='workflow', table=None),
        migrations.AlterModelTable(name='status', table=None),
        # Renames its many-to-many table too: backoffice_transition_sources becomes teleservices_transition_sources.
        migrations.AlterModelTable(name='transition', table=None),
        migrations.AlterModelTable(name='historicalworkflow', table=None),
        migrations.AlterModelTable(name='historicalstatus', table=None),
        migrations.AlterModelTable(name='historicaltransition', table=None),
        migrations.AlterModelTable(name='historicaltransition_sources', table=None),
        migrations.AlterModelTable(name='caseshare', table=None),
    ]
