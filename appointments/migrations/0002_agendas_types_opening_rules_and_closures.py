# Configuration of booking: agendas, appointment types (motifs), opening rules and closures, with their history.

import django.contrib.postgres.fields
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import appointments.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ('appointments', '0001_btree_gist_extension'),
        ('gru', '0001_organisation'),
        ('teleservices', '0008_field_bound_to_a_vault_document_type'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Agenda',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('place', models.CharField(help_text='Where citizens go, for example “Town hall, ground floor, desk 2”.', max_length=200, verbose_name='place')),
                ('address', models.TextField(blank=True, verbose_name='postal address')),
                ('open_on_public_holidays', models.BooleanField(default=False, help_text='Public holidays are closed unless this is ticked.', verbose_name='open on public holidays')),
                ('is_active', models.BooleanField(default=True, help_text='An inactive agenda offers no slot.', verbose_name='active')),
                ('feed_token', models.CharField(default=appointments.models.new_feed_token, editable=False, max_length=64, unique=True)),
                ('agent', models.ForeignKey(blank=True, help_text="For one agent's own agenda: an agent of the department.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='agendas', to=settings.AUTH_USER_MODEL, verbose_name='agent')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agendas', to='gru.department', verbose_name='department')),
            ],
            options={
                'verbose_name': 'agenda',
                'verbose_name_plural': 'agendas',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='AppointmentType',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('label', models.CharField(max_length=200, verbose_name='label')),
                ('slug', models.SlugField(max_length=100, unique=True, verbose_name='identifier in addresses')),
                ('duration_minutes', models.PositiveSmallIntegerField(default=20, verbose_name='duration (minutes)')),
                ('description', models.TextField(blank=True, help_text='Shown when the citizen chooses this motif.', verbose_name='what to know before booking')),
                ('instructions', models.TextField(blank=True, help_text='Documents to bring, where to go… Shown on the confirmation, in its email and in the calendar.', verbose_name='instructions once booked')),
                ('booking', models.CharField(choices=[('online', 'Online by citizens, and by agents'), ('agents', 'By agents only')], default='online', max_length=10, verbose_name='booking')),
                ('identified_only', models.BooleanField(default=False, help_text='Agents booking for a citizen check the identity themselves.', verbose_name='citizens identified with FranceConnect only')),
                ('min_notice_hours', models.PositiveSmallIntegerField(default=2, help_text='Slots starting sooner are not offered to citizens.', verbose_name='minimum notice (hours)')),
                ('horizon_days', models.PositiveSmallIntegerField(default=90, help_text='How far ahead slots are offered.', verbose_name='booking horizon (days)')),
                ('change_notice_hours', models.PositiveSmallIntegerField(default=24, help_text='Citizens may cancel or move an appointment until this many hours before it; agents at any time.', verbose_name='cancellation and change deadline (hours)')),
                ('max_upcoming', models.PositiveSmallIntegerField(blank=True, default=1, help_text='Empty: no limit.', null=True, verbose_name='upcoming appointments per citizen')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('teleservice', models.ForeignKey(blank=True, help_text='The procedure this appointment serves, if any (its requests may be linked to it).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='appointment_types', to='teleservices.teleservice', verbose_name='online procedure')),
            ],
            options={
                'verbose_name': 'appointment type',
                'verbose_name_plural': 'appointment types',
                'ordering': ['label'],
            },
        ),
        migrations.CreateModel(
            name='Closure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('start', models.DateTimeField(verbose_name='from')),
                ('end', models.DateTimeField(verbose_name='until')),
                ('reason', models.CharField(max_length=200, verbose_name='reason')),
                ('agenda', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='closures', to='appointments.agenda', verbose_name='agenda')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='appointment_closures', to='gru.department', verbose_name='every agenda of the department')),
            ],
            options={
                'verbose_name': 'closure',
                'verbose_name_plural': 'closures',
                'ordering': ['start'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalAgenda',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('place', models.CharField(help_text='Where citizens go, for example “Town hall, ground floor, desk 2”.', max_length=200, verbose_name='place')),
                ('address', models.TextField(blank=True, verbose_name='postal address')),
                ('open_on_public_holidays', models.BooleanField(default=False, help_text='Public holidays are closed unless this is ticked.', verbose_name='open on public holidays')),
                ('is_active', models.BooleanField(default=True, help_text='An inactive agenda offers no slot.', verbose_name='active')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('agent', models.ForeignKey(blank=True, db_constraint=False, help_text="For one agent's own agenda: an agent of the department.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='agent')),
                ('department', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='gru.department', verbose_name='department')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical agenda',
                'verbose_name_plural': 'historical agendas',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalAppointmentType',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('label', models.CharField(max_length=200, verbose_name='label')),
                ('slug', models.SlugField(max_length=100, verbose_name='identifier in addresses')),
                ('duration_minutes', models.PositiveSmallIntegerField(default=20, verbose_name='duration (minutes)')),
                ('description', models.TextField(blank=True, help_text='Shown when the citizen chooses this motif.', verbose_name='what to know before booking')),
                ('instructions', models.TextField(blank=True, help_text='Documents to bring, where to go… Shown on the confirmation, in its email and in the calendar.', verbose_name='instructions once booked')),
                ('booking', models.CharField(choices=[('online', 'Online by citizens, and by agents'), ('agents', 'By agents only')], default='online', max_length=10, verbose_name='booking')),
                ('identified_only', models.BooleanField(default=False, help_text='Agents booking for a citizen check the identity themselves.', verbose_name='citizens identified with FranceConnect only')),
                ('min_notice_hours', models.PositiveSmallIntegerField(default=2, help_text='Slots starting sooner are not offered to citizens.', verbose_name='minimum notice (hours)')),
                ('horizon_days', models.PositiveSmallIntegerField(default=90, help_text='How far ahead slots are offered.', verbose_name='booking horizon (days)')),
                ('change_notice_hours', models.PositiveSmallIntegerField(default=24, help_text='Citizens may cancel or move an appointment until this many hours before it; agents at any time.', verbose_name='cancellation and change deadline (hours)')),
                ('max_upcoming', models.PositiveSmallIntegerField(blank=True, default=1, help_text='Empty: no limit.', null=True, verbose_name='upcoming appointments per citizen')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('teleservice', models.ForeignKey(blank=True, db_constraint=False, help_text='The procedure this appointment serves, if any (its requests may be linked to it).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teleservices.teleservice', verbose_name='online procedure')),
            ],
            options={
                'verbose_name': 'historical appointment type',
                'verbose_name_plural': 'historical appointment types',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalClosure',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('start', models.DateTimeField(verbose_name='from')),
                ('end', models.DateTimeField(verbose_name='until')),
                ('reason', models.CharField(max_length=200, verbose_name='reason')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('agenda', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='appointments.agenda', verbose_name='agenda')),
                ('department', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='gru.department', verbose_name='every agenda of the department')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical closure',
                'verbose_name_plural': 'historical closures',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalOpeningRule',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('weekdays', django.contrib.postgres.fields.ArrayField(base_field=models.PositiveSmallIntegerField(choices=[(0, 'Monday'), (1, 'Tuesday'), (2, 'Wednesday'), (3, 'Thursday'), (4, 'Friday'), (5, 'Saturday'), (6, 'Sunday')]), size=None, verbose_name='days of the week')),
                ('start_time', models.TimeField(verbose_name='opens at')),
                ('end_time', models.TimeField(verbose_name='closes at')),
                ('valid_from', models.DateField(blank=True, help_text='Empty: already in force.', null=True, verbose_name='from')),
                ('valid_until', models.DateField(blank=True, help_text='Empty: no end.', null=True, verbose_name='until (included)')),
                ('capacity', models.PositiveSmallIntegerField(default=1, help_text='How many appointments are taken at the same time.', verbose_name='desks')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('agenda', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='appointments.agenda', verbose_name='agenda')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical opening period',
                'verbose_name_plural': 'historical opening periods',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='OpeningRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('weekdays', django.contrib.postgres.fields.ArrayField(base_field=models.PositiveSmallIntegerField(choices=[(0, 'Monday'), (1, 'Tuesday'), (2, 'Wednesday'), (3, 'Thursday'), (4, 'Friday'), (5, 'Saturday'), (6, 'Sunday')]), size=None, verbose_name='days of the week')),
                ('start_time', models.TimeField(verbose_name='opens at')),
                ('end_time', models.TimeField(verbose_name='closes at')),
                ('valid_from', models.DateField(blank=True, help_text='Empty: already in force.', null=True, verbose_name='from')),
                ('valid_until', models.DateField(blank=True, help_text='Empty: no end.', null=True, verbose_name='until (included)')),
                ('capacity', models.PositiveSmallIntegerField(default=1, help_text='How many appointments are taken at the same time.', verbose_name='desks')),
                ('agenda', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rules', to='appointments.agenda', verbose_name='agenda')),
                ('types', models.ManyToManyField(related_name='rules', to='appointments.appointmenttype', verbose_name='appointment types')),
            ],
            options={
                'verbose_name': 'opening period',
                'verbose_name_plural': 'opening periods',
                'ordering': ['agenda', 'start_time'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalOpeningRule_types',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('appointmenttype', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='appointments.appointmenttype')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='appointments.historicalopeningrule')),
                ('openingrule', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='appointments.openingrule')),
            ],
            options={
                'verbose_name': 'HistoricalOpeningRule_types',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddConstraint(
            model_name='appointmenttype',
            constraint=models.CheckConstraint(condition=models.Q(('duration_minutes__gt', 0)), name='appointment_type_has_a_duration'),
        ),
        migrations.AddConstraint(
            model_name='appointmenttype',
            constraint=models.CheckConstraint(condition=models.Q(('horizon_days__gt', 0)), name='appointment_type_has_a_horizon'),
        ),
        migrations.AddConstraint(
            model_name='appointmenttype',
            constraint=models.CheckConstraint(condition=models.Q(('max_upcoming__isnull', True), ('max_upcoming__gt', 0), _connector='OR'), name='appointment_type_limit_positive'),
        ),
        migrations.AddConstraint(
            model_name='closure',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('agenda__isnull', True), ('department__isnull', False)), models.Q(('agenda__isnull', False), ('department__isnull', True)), _connector='OR'), name='closure_of_an_agenda_or_a_department', violation_error_message='Choose an agenda or a department, not both.'),
        ),
        migrations.AddConstraint(
            model_name='closure',
            constraint=models.CheckConstraint(condition=models.Q(('end__gt', models.F('start'))), name='closure_ends_after_it_starts', violation_error_message='The end must come after the start.'),
        ),
        migrations.AddConstraint(
            model_name='openingrule',
            constraint=models.CheckConstraint(condition=models.Q(('end_time__gt', models.F('start_time'))), name='opening_rule_closes_after_opening', violation_error_message='The closing time must come after the opening time.'),
        ),
        migrations.AddConstraint(
            model_name='openingrule',
            constraint=models.CheckConstraint(condition=models.Q(('valid_from__isnull', True), ('valid_until__isnull', True), ('valid_until__gte', models.F('valid_from')), _connector='OR'), name='opening_rule_ends_after_it_starts', violation_error_message='The last day must not come before the first one.'),
        ),
        migrations.AddConstraint(
            model_name='openingrule',
            constraint=models.CheckConstraint(condition=models.Q(('capacity__gt', 0)), name='opening_rule_has_a_desk'),
        ),
        migrations.AddConstraint(
            model_name='openingrule',
            constraint=models.CheckConstraint(condition=models.Q(('weekdays__len__gt', 0), ('weekdays__contained_by', [0, 1, 2, 3, 4, 5, 6])), name='opening_rule_weekdays', violation_error_message='Choose at least one day of the week.'),
        ),
    ]
