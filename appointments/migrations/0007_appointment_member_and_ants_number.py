import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0006_appointment_type_to_bring_and_ants_option"),
        ("portal", "0003_household_invitation_outlives_household"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="member",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty: for the citizen who booked.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="appointments",
                to="portal.householdmember",
                verbose_name="for the household member",
            ),
        ),
        migrations.AddField(
            model_name="appointment",
            name="ants_number",
            field=models.CharField(
                blank=True,
                max_length=10,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[A-Z0-9]{10}$",
                        message=(
                            "The ANTS pre-application number has 10 characters, letters and digits, like 1234AB5678."
                        ),
                    )
                ],
                verbose_name="ANTS pre-application number",
            ),
        ),
        migrations.AddConstraint(
            model_name="appointment",
            constraint=models.CheckConstraint(
                condition=models.Q(("ants_number", ""), ("ants_number__regex", "^[A-Z0-9]{10}$"), _connector="OR"),
                name="appointment_ants_number_format",
            ),
        ),
    ]
