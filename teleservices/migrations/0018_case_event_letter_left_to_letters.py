"""CaseEvent no longer knows its letter: the letter points to its event (teleservices pointed up to letters). Only
the model's state changes here; letters' migration 0006 copies the column's values to Letter.event, then drops it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("teleservices", "0017_case_event_letter"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField(model_name="caseevent", name="letter")],
        ),
    ]
