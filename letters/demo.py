"""The demo's template letters: a decision and a request for information any request may use (idempotent)."""

from letters.models import Kind, LetterTemplate

TEMPLATES = {
    "decision-favorable": (
        "Décision favorable",
        Kind.DECISION,
        True,
        "Votre demande {{ demande.reference }} est acceptée",
        "Madame, Monsieur {{ usager.nom }},\n\n"
        "Nous avons le plaisir de vous informer que votre demande « {{ demande.demarche }} » du "
        "{{ demande.date_depot }} (référence {{ demande.reference }}) a reçu une décision favorable.\n\n"
        "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.\n\n"
        "{{ agent.nom }}, {{ service.nom }}",
    ),
    "demande-de-precisions": (
        "Demande de précisions",
        Kind.INFORMATION,
        False,
        "Votre demande {{ demande.reference }} : précisions à apporter",
        "Bonjour {{ usager.prenom }},\n\n"
        "Pour instruire votre demande « {{ demande.demarche }} », nous avons besoin de précisions. "
        "Répondez-nous depuis votre espace personnel.\n\n"
        "{{ agent.nom }}, {{ service.nom }}",
    ),
}


def seed() -> None:
    for slug, (name, kind, signed, subject, body) in TEMPLATES.items():
        LetterTemplate.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "signed": signed, "subject": subject, "body": body}
        )
