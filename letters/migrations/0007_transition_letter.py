"""Which template letter an action of a workflow sends, for every téléservice using it or for one."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('letters', '0006_letter_points_to_its_timeline_event'),
        ('teleservices', '0021_transition_letter_left_to_letters'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalTransitionLetter',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('teleservice', models.ForeignKey(blank=True, db_constraint=False, help_text='Empty: every procedure using the workflow, unless a letter is chosen for it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teleservices.teleservice', verbose_name='online procedure')),
                ('template', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='letters.lettertemplate', verbose_name='template letter')),
                ('transition', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teleservices.transition', verbose_name='action')),
            ],
            options={
                'verbose_name': 'historical letter sent by an action',
                'verbose_name_plural': 'historical letters sent by actions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='TransitionLetter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('teleservice', models.ForeignKey(blank=True, help_text='Empty: every procedure using the workflow, unless a letter is chosen for it.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='teleservices.teleservice', verbose_name='online procedure')),
                ('template', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='transitions', to='letters.lettertemplate', verbose_name='template letter')),
                ('transition', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='letters', to='teleservices.transition', verbose_name='action')),
            ],
            options={
                'verbose_name': 'letter sent by an action',
                'verbose_name_plural': 'letters sent by actions',
                'ordering': ['transition', 'teleservice'],
                'constraints': [models.UniqueConstraint(fields=('transition', 'teleservice'), name='transition_letter_one_per_teleservice', nulls_distinct=False, violation_error_message="This action already sends a letter on this procedure's requests.")],
            },
        ),
    ]
