from django.db import migrations, models

INSTRUCTIONS = models.TextField(
    blank=True,
    help_text="Where to go, what to expect… Shown on the confirmation, in its email and in the calendar.",
    verbose_name="instructions once booked",
)
TO_BRING = models.TextField(
    blank=True,
    help_text=(
        "One item a line. Shown before booking, on the confirmation, in its emails (and reminder) and in the calendar."
    ),
    verbose_name="what to bring",
)
ASKS_ANTS_NUMBER = models.BooleanField(
    default=False,
    help_text="For identity cards and passports: citizens booking online give the number of their pre-application.",
    verbose_name="asks for the ANTS pre-application number",
)


class Migration(migrations.Migration):
    dependencies = [("appointments", "0005_appointment_type_search_keywords")]

    operations = [
        operation
        for model in ("appointmenttype", "historicalappointmenttype")
        for operation in (
            migrations.AddField(model_name=model, name="to_bring", field=TO_BRING),
            migrations.AddField(model_name=model, name="asks_ants_number", field=ASKS_ANTS_NUMBER),
            migrations.AlterField(model_name=model, name="instructions", field=INSTRUCTIONS),
        )
    ]
