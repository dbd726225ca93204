from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("teleservices", "0014_teleservice_estimated_duration"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name=model,
                name="asks_certification",
                field=models.BooleanField(
                    default=False,
                    help_text="A required box “I certify that the information is accurate” before sending.",
                    verbose_name="ask the citizen to certify their answers",
                ),
            )
            for model in ("teleservice", "historicalteleservice")
        ),
        *(
            migrations.AddField(
                model_name=model,
                name="certified_at",
                field=models.DateTimeField(
                    blank=True, editable=False, null=True, verbose_name="answers certified accurate on"
                ),
            )
            for model in ("case", "historicalcase")
        ),
    ]
