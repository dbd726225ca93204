"""The acknowledgement of receipt (récépissé de dépôt) every submitted request gets, as a PDF letter: a default
template administrators may reword."""

from django.db import migrations

BODY = """Madame, Monsieur,

Nous avons bien reçu le {{ demande.date_depot }} votre demande « {{ demande.demarche }} », enregistrée sous la \
référence {{ demande.reference }}. Elle est instruite par le service {{ service.nom }}.
{% if demande.date_limite %}
Une réponse vous sera apportée au plus tard le {{ demande.date_limite }}.{% endif %}

Vous pouvez suivre son avancement à tout moment dans votre espace personnel, et y échanger avec le service.

Ce récépissé vaut accusé de réception au sens de l'article L112-3 du code des relations entre le public et \
l'administration."""


def create(apps, schema_editor):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    LetterTemplate.objects.get_or_create(
        slug="recepisse-de-depot",
        defaults={
            "name": "Récépissé de dépôt",
            "kind": "acknowledgement",
            "subject": "Récépissé de dépôt de votre demande {{ demande.reference }}",
            "body": BODY,
            "signed": False,
            "active": True,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("letters", "0002_sent_letters_are_frozen")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
