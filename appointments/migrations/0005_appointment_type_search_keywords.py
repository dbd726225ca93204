# The citizens' search finds appointment types: keywords and synonyms, French words, misspellings tolerated (the
# trigram extension and immutable_unaccent come from teleservices 0012).

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.functions.text
from django.db import migrations, models

import teleservices.models

KEYWORDS = models.TextField(
    blank=True,
    help_text=(
        "Words citizens may use to look for it, separated by commas or one per line: synonyms, everyday words, "
        "common misspellings (for example: nid-de-poule, trou, chaussée abîmée, route)."
    ),
    verbose_name="keywords and synonyms",
)
SearchVector = django.contrib.postgres.search.SearchVector


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0004_earlier_slot_alerts"),
        ("teleservices", "0012_teleservice_search_keywords"),
    ]

    operations = [
        migrations.AddField(model_name="appointmenttype", name="keywords", field=KEYWORDS),
        migrations.AddField(model_name="historicalappointmenttype", name="keywords", field=KEYWORDS),
        migrations.AddField(
            model_name="appointmenttype",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=SearchVector("label", config="french_unaccent", weight="A")
                + SearchVector("keywords", config="french_unaccent", weight="A")
                + SearchVector("description", config="french_unaccent", weight="B"),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddField(
            model_name="appointmenttype",
            name="search_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=teleservices.models.Unaccented(
                    django.db.models.functions.text.Concat("label", models.Value(" "), "keywords", output_field=models.TextField())
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddIndex(
            model_name="appointmenttype",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="appointment_type_search"),
        ),
        migrations.AddIndex(
            model_name="appointmenttype",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_text"], name="appointment_type_trigrams", opclasses=["gin_trgm_ops"]
            ),
        ),
    ]
