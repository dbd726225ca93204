import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0005_letter_sent_once_ready"),
        ("teleservices", "0016_case_answers_copy"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="letter",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="letters.letter",
            ),
        ),
    ]
