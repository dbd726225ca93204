"""The demo's document types: the proofs French collectivités ask for most, with their usual validity, and a proof
of address in alice's vault, offered by the school registration (idempotent)."""

import datetime
import io

from django.utils import timezone
from PIL import Image, ImageDraw

from portal.models import User
from vault.files import CheckedFile
from vault.models import Document, DocumentType
from vault.services import document_upload

# slug: label, validity, months, sensitive
DOCUMENT_TYPES = {
    "justificatif-domicile": ("Justificatif de domicile de moins de 3 mois", "months", 3, False),
    "piece-identite": ("Pièce d'identité", "months", 180, True),
    "avis-imposition": ("Avis d'imposition", "calendar_year", None, False),
    "livret-famille": ("Livret de famille", "unlimited", None, True),
    "attestation-caf": ("Attestation de la CAF (quotient familial)", "school_year", None, False),
    "rib": ("Relevé d'identité bancaire (RIB)", "unlimited", None, False),
}


def seed() -> dict[str, DocumentType]:
    types = {}
    for position, (slug, (label, validity, months, sensitive)) in enumerate(DOCUMENT_TYPES.items()):
        defaults = {
            "label": label,
            "position": position,
            "validity": validity,
            "validity_months": months,
            "sensitive": sensitive,
        }
        types[slug] = DocumentType.objects.get_or_create(slug=slug, defaults=defaults)[0]
    return types


def _scan(title: str) -> bytes:
    """A one-page PDF that looks like a scanned letter."""
    page = Image.new("RGB", (595, 842), "white")
    ImageDraw.Draw(page).text((60, 60), title, fill="black")
    buffer = io.BytesIO()
    page.save(buffer, "PDF")
    return buffer.getvalue()


def seed_documents(alice: User) -> None:
    if Document.objects.filter(owner=alice).exists():
        return
    page = CheckedFile(content=_scan("Facture d'électricité"), mime="application/pdf", name="facture-electricite.pdf")
    document_upload(
        owner=alice,
        type=seed()["justificatif-domicile"],
        issued_on=timezone.localdate() - datetime.timedelta(days=20),
        pages=[page],
    )
