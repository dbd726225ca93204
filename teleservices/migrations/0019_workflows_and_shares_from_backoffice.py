"""Workflows, their statuses and actions, and the case shares come down from the back office to the request's app,
on their tables as they are (renamed by the next migration): in Django's state only, nothing is written."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
import teleservices.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('backoffice', '0008_export_encrypted_at_rest'),
        ('gru', '0003_notifications_about_a_topic'),
        ('letters', '0005_letter_sent_once_ready'),
        ('teleservices', '0018_case_event_letter_left_to_letters'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Status',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveIntegerField(db_index=True, default=0, verbose_name='position')),
                        ('key', models.SlugField(help_text='Used by actions, exports and statistics.', verbose_name='identifier')),
                        ('label', models.CharField(max_length=100, verbose_name='label for agents')),
                        ('citizen_label', models.CharField(max_length=100, verbose_name='label for citizens')),
                        ('colour', models.CharField(default='#1d4f91', max_length=7, validators=[django.core.validators.RegexValidator('^#[0-9a-fA-F]{6}$', 'Enter a colour as #RRGGBB, for example #1d4f91.')], verbose_name='colour')),
                        ('is_initial', models.BooleanField(default=False, help_text='The status of a request just filed.', verbose_name='initial')),
                        ('is_terminal', models.BooleanField(default=False, help_text='Instruction is over (a decision).', verbose_name='final')),
                        ('waits_for_citizen', models.BooleanField(default=False, help_text='The processing deadline is paused meanwhile.', verbose_name='waiting for the citizen')),
                    ],
                    options={
                        'db_table': 'backoffice_status',
                        'verbose_name': 'status',
                        'verbose_name_plural': 'statuses',
                        'ordering': ['position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Workflow',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('slug', models.SlugField(max_length=60, unique=True, verbose_name='identifier')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                    ],
                    options={
                        'db_table': 'backoffice_workflow',
                        'verbose_name': 'workflow',
                        'verbose_name_plural': 'workflows',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalTransition',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('position', models.PositiveIntegerField(db_index=True, default=0, verbose_name='position')),
                        ('label', models.CharField(max_length=100, verbose_name='button label')),
                        ('managers_only', models.BooleanField(default=False, verbose_name='managers only')),
                        ('comment', models.CharField(choices=[('none', 'No comment'), ('optional', 'Optional comment'), ('required', 'Required comment')], default='none', max_length=10, verbose_name='comment to the citizen')),
                        ('comment_label', models.CharField(blank=True, help_text='For example “Reason for the refusal”.', max_length=100, verbose_name='label of the comment')),
                        ('notifies_citizen', models.BooleanField(default=True, verbose_name='notify the citizen')),
                        ('asks_completion', models.BooleanField(default=False, help_text='The request reopens for the citizen and comes back to its status when they complete it.', verbose_name='ask the citizen to complete the request')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('assigns_department', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='gru.department', verbose_name='hand over to the department')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('letter_template', models.ForeignKey(blank=True, db_constraint=False, help_text='Generated from this template letter and sent to the citizen as soon as it is ready.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.lettertemplate', verbose_name='send the letter')),
                        ('target', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teleservices.status', verbose_name='to')),
                        ('workflow', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teleservices.workflow')),
                    ],
                    options={
                        'db_table': 'backoffice_historicaltransition',
                        'verbose_name': 'historical action',
                        'verbose_name_plural': 'historical actions',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalWorkflow',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('slug', models.SlugField(max_length=60, verbose_name='identifier')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'backoffice_historicalworkflow',
                        'verbose_name': 'historical workflow',
                        'verbose_name_plural': 'historical workflows',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AlterField(
                    model_name='case',
                    name='resume_status',
                    field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='teleservices.status'),
                ),
                migrations.AlterField(
                    model_name='case',
                    name='status',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='teleservices.status'),
                ),
                migrations.AlterField(
                    model_name='caseevent',
                    name='status',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='teleservices.status'),
                ),
                migrations.AlterField(
                    model_name='historicalcase',
                    name='resume_status',
                    field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teleservices.status'),
                ),
                migrations.AlterField(
                    model_name='historicalcase',
                    name='status',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teleservices.status'),
                ),
                migrations.CreateModel(
                    name='Transition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveIntegerField(db_index=True, default=0, verbose_name='position')),
                        ('label', models.CharField(max_length=100, verbose_name='button label')),
                        ('managers_only', models.BooleanField(default=False, verbose_name='managers only')),
                        ('comment', models.CharField(choices=[('none', 'No comment'), ('optional', 'Optional comment'), ('required', 'Required comment')], default='none', max_length=10, verbose_name='comment to the citizen')),
                        ('comment_label', models.CharField(blank=True, help_text='For example “Reason for the refusal”.', max_length=100, verbose_name='label of the comment')),
                        ('notifies_citizen', models.BooleanField(default=True, verbose_name='notify the citizen')),
                        ('asks_completion', models.BooleanField(default=False, help_text='The request reopens for the citizen and comes back to its status when they complete it.', verbose_name='ask the citizen to complete the request')),
                        ('assigns_department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='gru.department', verbose_name='hand over to the department')),
                        ('letter_template', models.ForeignKey(blank=True, help_text='Generated from this template letter and sent to the citizen as soon as it is ready.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='letters.lettertemplate', verbose_name='send the letter')),
                        ('sources', models.ManyToManyField(related_name='outgoing', to='teleservices.status', verbose_name='from the statuses')),
                        ('target', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='incoming', to='teleservices.status', verbose_name='to')),
                        ('workflow', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='teleservices.workflow')),
                    ],
                    options={
                        'db_table': 'backoffice_transition',
                        'verbose_name': 'action',
                        'verbose_name_plural': 'actions',
                        'ordering': ['position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalTransition_sources',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='teleservices.historicaltransition')),
                        ('status', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teleservices.status')),
                        ('transition', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teleservices.transition')),
                    ],
                    options={
                        'db_table': 'backoffice_historicaltransition_sources',
                        'verbose_name': 'HistoricalTransition_sources',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AlterField(
                    model_name='historicalteleservice',
                    name='silence_transition',
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text='An action of the workflow, applied when the deadline passes (silence vaut accord ou rejet).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teleservices.transition', verbose_name='action applied automatically'),
                ),
                migrations.AlterField(
                    model_name='teleservice',
                    name='silence_transition',
                    field=models.ForeignKey(blank=True, help_text='An action of the workflow, applied when the deadline passes (silence vaut accord ou rejet).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='teleservices.transition', verbose_name='action applied automatically'),
                ),
                migrations.AddField(
                    model_name='status',
                    name='workflow',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='statuses', to='teleservices.workflow'),
                ),
                migrations.CreateModel(
                    name='HistoricalStatus',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('position', models.PositiveIntegerField(db_index=True, default=0, verbose_name='position')),
                        ('key', models.SlugField(help_text='Used by actions, exports and statistics.', verbose_name='identifier')),
                        ('label', models.CharField(max_length=100, verbose_name='label for agents')),
                        ('citizen_label', models.CharField(max_length=100, verbose_name='label for citizens')),
                        ('colour', models.CharField(default='#1d4f91', max_length=7, validators=[django.core.validators.RegexValidator('^#[0-9a-fA-F]{6}$', 'Enter a colour as #RRGGBB, for example #1d4f91.')], verbose_name='colour')),
                        ('is_initial', models.BooleanField(default=False, help_text='The status of a request just filed.', verbose_name='initial')),
                        ('is_terminal', models.BooleanField(default=False, help_text='Instruction is over (a decision).', verbose_name='final')),
                        ('waits_for_citizen', models.BooleanField(default=False, help_text='The processing deadline is paused meanwhile.', verbose_name='waiting for the citizen')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('workflow', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teleservices.workflow')),
                    ],
                    options={
                        'db_table': 'backoffice_historicalstatus',
                        'verbose_name': 'historical status',
                        'verbose_name_plural': 'historical statuses',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AlterField(
                    model_name='historicalteleservice',
                    name='workflow',
                    field=models.ForeignKey(blank=True, db_constraint=False, default=teleservices.models._default_workflow, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teleservices.workflow', verbose_name='instruction workflow'),
                ),
                migrations.AlterField(
                    model_name='teleservice',
                    name='workflow',
                    field=models.ForeignKey(default=teleservices.models._default_workflow, on_delete=django.db.models.deletion.PROTECT, related_name='teleservices', to='teleservices.workflow', verbose_name='instruction workflow'),
                ),
                migrations.CreateModel(
                    name='CaseShare',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('with_notes', models.BooleanField(default=False, help_text='Without them, the agent asked for an opinion sees only the notes they wrote.', verbose_name='internal notes shared too')),
                        ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shares', to='teleservices.case')),
                        ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'backoffice_caseshare',
                        'verbose_name': 'case shared with an agent',
                        'verbose_name_plural': 'cases shared with agents',
                        'abstract': False,
                        'unique_together': {('user', 'permission', 'content_object')},
                    },
                ),
                migrations.AddConstraint(
                    model_name='status',
                    constraint=models.UniqueConstraint(fields=('workflow', 'key'), name='status_unique_key'),
                ),
                migrations.AddConstraint(
                    model_name='status',
                    constraint=models.UniqueConstraint(condition=models.Q(('is_initial', True)), fields=('workflow',), name='status_one_initial_per_workflow'),
                ),
                migrations.AddConstraint(
                    model_name='status',
                    constraint=models.CheckConstraint(condition=models.Q(('is_terminal', True), ('waits_for_citizen', True), _negated=True), name='status_terminal_does_not_wait', violation_error_message='A final status cannot wait for the citizen.'),
                ),
            ],
        ),
    ]
