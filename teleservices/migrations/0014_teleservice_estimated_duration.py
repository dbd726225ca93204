from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("teleservices", "0013_field_date_rules"),
    ]

    operations = [
        migrations.AddField(
            model_name=model,
            name="estimated_minutes",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Shown on the start page as an estimate (“About 10 minutes”); empty: not shown.",
                null=True,
                verbose_name="time to fill in (minutes)",
            ),
        )
        for model in ("teleservice", "historicalteleservice")
    ]
