# Appointments, and the exclusion constraint that refuses two appointments on one desk of an agenda at once.

import uuid

import django.contrib.postgres.constraints
import django.contrib.postgres.fields.ranges
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import appointments.models


class Migration(migrations.Migration):
    dependencies = [
        ('appointments', '0002_agendas_types_opening_rules_and_closures'),
        ('teleservices', '0008_field_bound_to_a_vault_document_type'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Appointment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('start', models.DateTimeField(verbose_name='start')),
                ('end', models.DateTimeField(verbose_name='end')),
                ('desk', models.PositiveSmallIntegerField(editable=False)),
                ('status', models.CharField(choices=[('booked', 'booked'), ('cancelled', 'cancelled'), ('seen', 'seen'), ('no_show', 'did not come')], default='booked', max_length=10, verbose_name='status')),
                ('sequence', models.PositiveIntegerField(default=0, editable=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                ('cancel_reason', models.TextField(blank=True, verbose_name='reason for cancelling')),
                ('reminded_at', models.DateTimeField(blank=True, null=True)),
                ('agenda', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to='appointments.agenda', verbose_name='agenda')),
                ('booked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='booked by the agent')),
                ('cancelled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='appointments', to='teleservices.case', verbose_name='request')),
                ('citizen', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='appointments', to=settings.AUTH_USER_MODEL, verbose_name='citizen')),
                ('type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to='appointments.appointmenttype', verbose_name='appointment type')),
            ],
            options={
                'verbose_name': 'appointment',
                'verbose_name_plural': 'appointments',
                'ordering': ['start'],
            },
        ),
        migrations.AddIndex(
            model_name='appointment',
            index=models.Index(condition=models.Q(('reminded_at__isnull', True), ('status', 'booked')), fields=['start'], name='appointment_to_remind'),
        ),
        migrations.AddConstraint(
            model_name='appointment',
            constraint=models.CheckConstraint(condition=models.Q(('end__gt', models.F('start'))), name='appointment_ends_after_it_starts'),
        ),
        migrations.AddConstraint(
            model_name='appointment',
            constraint=django.contrib.postgres.constraints.ExclusionConstraint(condition=models.Q(('status', 'cancelled'), _negated=True), expressions=[('agenda', '='), ('desk', '='), (appointments.models.TsTzRange('start', 'end', django.contrib.postgres.fields.ranges.RangeBoundary()), '&&')], name='appointment_one_per_desk_at_a_time', violation_error_message='This slot has just been taken.'),
        ),
    ]
