"""The requests an export holds, written in the access log when its file is downloaded."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('backoffice', '0010_workflow_and_share_content_types_moved'),
    ]

    operations = [
        migrations.AddField(
            model_name='export',
            name='cases_read',
            field=models.JSONField(blank=True, default=list, editable=False, help_text='[reference, citizen id] of each request the file holds: written in the access log when downloaded.'),
        ),
    ]
