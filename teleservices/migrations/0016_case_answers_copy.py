import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("teleservices", "0015_answers_certified"),
        ("vault", "0005_stored_file_generated_by_the_portal"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="answers_copy",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="vault.storedfile",
                verbose_name="copy of the answers (PDF)",
            ),
        ),
        migrations.AddField(
            model_name="historicalcase",
            name="answers_copy",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="vault.storedfile",
                verbose_name="copy of the answers (PDF)",
            ),
        ),
    ]
