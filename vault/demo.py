"""The demo's document types: the proofs French collectivités ask for most, with their usual validity (idempotent)."""

from vault.models import DocumentType

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
