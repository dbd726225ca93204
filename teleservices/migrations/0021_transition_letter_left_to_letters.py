"""An action no longer names its letter: letters' TransitionLetter says which template an action sends, for every
téléservice of the workflow or for one (teleservices pointed up to letters). Only the model's state changes here;
letters' migration 0008 copies the column's values, then drops it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("teleservices", "0020_workflow_and_share_tables_renamed"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="historicaltransition", name="letter_template"),
                migrations.RemoveField(model_name="transition", name="letter_template"),
            ],
        ),
    ]
