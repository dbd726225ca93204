"""The access log: one row per read of a citizen's data by an agent (gru.models.Access)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gru', '0004_notification_attachments_declared_by_vault'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Access',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='date')),
                ('kind', models.CharField(choices=[('case', 'request'), ('document', 'vault document'), ('citizen', 'citizen page'), ('letter', 'letter'), ('export', 'export'), ('log', 'access log')], max_length=20, verbose_name='what')),
                ('subject', models.CharField(help_text="A reference, a document's type, a title.", max_length=300, verbose_name='object')),
                ('reason', models.CharField(help_text='The request or the counter visit justifying it.', max_length=300, verbose_name='why')),
                ('agent', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='agent')),
                ('citizen', models.ForeignKey(db_constraint=False, help_text='Whose data was read; empty when the access log itself was read.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='citizen')),
                ('department', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='gru.department', verbose_name='department')),
            ],
            options={
                'verbose_name': 'access to personal data',
                'verbose_name_plural': 'access log',
                'indexes': [models.Index(fields=['citizen', '-at'], name='access_of_citizen'), models.Index(fields=['department', '-at'], name='access_of_department'), models.Index(fields=['at'], name='access_at')],
            },
        ),
    ]
