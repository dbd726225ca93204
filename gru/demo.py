"""Demo organisation: the fictional commune of Beaulieu-sur-Loire and its departments (idempotent)."""

from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from gru.models import Department, Organisation

DEPARTMENTS = {
    "etat-civil": "État civil",
    "enfance": "Enfance",
    "urbanisme": "Urbanisme",
    "voirie": "Voirie",
}


def _logo_png(colour: str) -> bytes:
    """A simple coat-of-arms shaped logo drawn on the fly (no binary file in the repository)."""
    image = Image.new("RGBA", (96, 96), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon([(8, 8), (88, 8), (88, 52), (48, 90), (8, 52)], fill=colour)
    draw.polygon([(20, 20), (76, 20), (76, 48), (48, 76), (20, 48)], fill="#ffffff")
    draw.ellipse([(36, 30), (60, 54)], fill=colour)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def seed() -> Organisation:
    organisation, _created = Organisation.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Ville de Beaulieu-sur-Loire",
            "primary_colour": "#1d4f91",
            "accent_colour": "#8a3b12",
            "address": "Hôtel de ville\n1 place de la Mairie\n45630 Beaulieu-sur-Loire",
            "phone": "02 38 00 00 00",
            "email": "mairie@beaulieu-sur-loire.example.org",
            "website": "https://beaulieu-sur-loire.example.org",
            "publisher": "Le maire de Beaulieu-sur-Loire",
            "host": "Ville de Beaulieu-sur-Loire, serveurs de la collectivité\n1 place de la Mairie, 45630 Beaulieu",
            "dpo_contact": "Délégué à la protection des données\ndpo@beaulieu-sur-loire.example.org",
        },
    )
    if not organisation.logo:
        organisation.logo.save("beaulieu.png", ContentFile(_logo_png(organisation.primary_colour)), save=True)
    for slug, name in DEPARTMENTS.items():
        Department.objects.update_or_create(
            organisation=organisation,
            slug=slug,
            defaults={"name": name, "signatory": f"Le responsable du service {name}"},
        )
    return organisation
