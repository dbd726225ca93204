# The citizens' search: keywords and synonyms per téléservice, categories searchable, and misspellings tolerated
# (pg_trgm on the titles and keywords, lower case without accents).

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.functions.text
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

import teleservices.models

# unaccent() is only STABLE (its dictionary could change): generated columns and indexes need an IMMUTABLE wrapper,
# naming the schema of the extension so that it works whatever the search_path (pg_dump restores with an empty one).
IMMUTABLE_UNACCENT = """
DO $$
DECLARE schema text := (SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent');
BEGIN
    EXECUTE format(
        'CREATE FUNCTION immutable_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT '
        'AS $f$ SELECT %1$s.unaccent(%2$L::regdictionary, $1) $f$',
        schema, schema || '.unaccent'
    );
END $$;
"""

KEYWORDS = models.TextField(
    blank=True,
    help_text=(
        "Words citizens may use to look for it, separated by commas or one per line: synonyms, everyday words, "
        "common misspellings (for example: nid-de-poule, trou, chaussée abîmée, route)."
    ),
    verbose_name="keywords and synonyms",
)


def _vector(*columns: tuple[str, str]) -> models.GeneratedField:
    expression = None
    for column, weight in columns:
        vector = django.contrib.postgres.search.SearchVector(column, config="french_unaccent", weight=weight)
        expression = vector if expression is None else expression + vector
    return models.GeneratedField(
        db_persist=True, expression=expression, output_field=django.contrib.postgres.search.SearchVectorField()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("teleservices", "0011_counter_consents"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunSQL(IMMUTABLE_UNACCENT, "DROP FUNCTION immutable_unaccent(text);"),
        migrations.AddField(model_name="teleservice", name="keywords", field=KEYWORDS),
        migrations.AddField(model_name="historicalteleservice", name="keywords", field=KEYWORDS),
        # A generated column cannot be altered: the téléservices' words are computed again, keywords included.
        migrations.RemoveIndex(model_name="teleservice", name="teleservice_search"),
        migrations.RemoveField(model_name="teleservice", name="search_vector"),
        migrations.AddField(
            model_name="teleservice",
            name="search_vector",
            field=_vector(("title", "A"), ("keywords", "A"), ("summary", "B"), ("description", "C")),
        ),
        migrations.AddField(
            model_name="teleservice",
            name="search_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=teleservices.models.Unaccented(
                    django.db.models.functions.text.Concat("title", models.Value(" "), "keywords", output_field=models.TextField())
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddIndex(
            model_name="teleservice",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="teleservice_search"),
        ),
        migrations.AddIndex(
            model_name="teleservice",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_text"], name="teleservice_trigrams", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.AddField(model_name="category", name="search_vector", field=_vector(("name", "A"))),
        migrations.AddField(
            model_name="category",
            name="search_text",
            field=models.GeneratedField(
                db_persist=True, expression=teleservices.models.Unaccented("name"), output_field=models.TextField()
            ),
        ),
        migrations.AddIndex(
            model_name="category",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="category_search"),
        ),
        migrations.AddIndex(
            model_name="category",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_text"], name="category_trigrams", opclasses=["gin_trgm_ops"]
            ),
        ),
    ]
