# The attachments of notifications, declared until now by gru (Notification.attachments, gru migration 0004): the
# table gru made, kept as it is, so only the state changes here.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gru', '0004_notification_attachments_declared_by_vault'),
        ('vault', '0005_stored_file_generated_by_the_portal'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name='storedfile',
                    name='notifications',
                    field=models.ManyToManyField(blank=True, db_table='gru_notification_attachments', related_name='attachments', to='gru.notification', verbose_name='notifications'),
                ),
            ],
        ),
    ]
