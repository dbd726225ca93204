from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

# French stemming that ignores accents, for the catalogue and case searches ("etat civil" finds "État civil").
CREATE = """
CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
ALTER TEXT SEARCH CONFIGURATION french_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
"""


class Migration(migrations.Migration):
    dependencies = []

    operations = [
        UnaccentExtension(),
        migrations.RunSQL(CREATE, "DROP TEXT SEARCH CONFIGURATION french_unaccent;"),
    ]
