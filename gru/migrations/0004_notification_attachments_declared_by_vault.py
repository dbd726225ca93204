# The attachments of notifications are declared by vault (StoredFile.notifications, vault migration 0006), as gru
# knows no app above it: the same table and columns, so only the state changes here.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('gru', '0003_notifications_about_a_topic'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='notification',
                    name='attachments',
                ),
            ],
        ),
    ]
