"""The content types of the models teleservices took over follow them, so that their permissions, the admin's log
and the object permissions keep pointing at them. On a fresh database there are none yet: they are created after the
migrations, under teleservices."""

from django.db import migrations

MOVED = [
    'workflow',
    'status',
    'transition',
    'historicalworkflow',
    'historicalstatus',
    'historicaltransition',
    'historicaltransition_sources',
    'caseshare',
]


def _move(apps, schema_editor, source, target):
    content_types = apps.get_model('contenttypes', 'ContentType').objects.using(schema_editor.connection.alias)
    # A model whose content type the target app already has (migrated halfway, then the content types created) keeps
    # that one: moving the other onto it would break the unique (app, model).
    present = content_types.filter(app_label=target, model__in=MOVED).values_list('model', flat=True)
    content_types.filter(app_label=source, model__in=MOVED).exclude(model__in=list(present)).update(app_label=target)


def forward(apps, schema_editor):
    _move(apps, schema_editor, 'backoffice', 'teleservices')


def backward(apps, schema_editor):
    _move(apps, schema_editor, 'teleservices', 'backoffice')


class Migration(migrations.Migration):

    dependencies = [
        ('backoffice', '0009_workflows_and_shares_to_teleservices'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('teleservices', '0020_workflow_and_share_tables_renamed'),
    ]

    operations = [migrations.RunPython(forward, backward)]
