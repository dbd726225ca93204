# Citizens waiting for an earlier slot than their appointment's.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ('appointments', '0003_appointments_one_per_desk_at_a_time'),
    ]

    operations = [
        migrations.CreateModel(
            name='EarlierSlotAlert',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('any_agenda', models.BooleanField(default=False, verbose_name='at any place of the department')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('last_alerted_at', models.DateTimeField(blank=True, null=True)),
                ('appointment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='earlier_slot_alert', to='appointments.appointment', verbose_name='appointment')),
            ],
            options={
                'verbose_name': 'earlier slot alert',
                'verbose_name_plural': 'earlier slot alerts',
            },
        ),
    ]
