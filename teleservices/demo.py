"""The demo commune's five téléservices and alice's requests (idempotent)."""

from __future__ import annotations

from typing import Any

from gru.models import Department
from portal.models import User
from teleservices import services
from teleservices.conditions import Condition
from teleservices.models import Case, Category, EligibilityRule, Field, Teleservice
from vault import demo as vault_demo
from vault.models import DocumentType

CATEGORIES = {
    "etat-civil": "État civil",
    "famille": "Famille et scolarité",
    "espace-public": "Voirie et espace public",
    "dechets": "Propreté et déchets",
}
SCHOOL_LEVELS = "PS | Petite section\nMS | Moyenne section\nGS | Grande section\nCP\nCE1\nCE2\nCM1\nCM2"


def _if(text: str) -> dict[str, Any]:
    condition = Condition.parse(text)
    return condition.to_dict() if condition else {}


def f(kind: str, key: str, label: str, **options: Any) -> dict[str, Any]:
    return {"kind": kind, "key": key, "label": label, **options}


def page(title: str, condition: str = "") -> dict[str, Any]:
    return {"kind": "page", "key": "", "label": title, "condition": _if(condition)}


TELESERVICES: list[dict[str, Any]] = [
    {
        "slug": "acte-de-naissance",
        "title": "Demande d'acte de naissance",
        "summary": "Recevez une copie intégrale ou un extrait d'acte de naissance, par courrier ou en mairie.",
        "description": "Pour une personne née à Beaulieu-sur-Loire. L'acte est gratuit.",
        "keywords": "extrait de naissance, copie intégrale, état civil, livret de famille, certificat de naissance",
        "category": "etat-civil",
        "department": "etat-civil",
        "processing_days": 10,
        "fields": [
            page("L'acte demandé"),
            f(
                "choice",
                "personne",
                "L'acte concerne",
                choices="moi | Moi-même\nenfant | Mon enfant\nparent | Mon parent",
            ),
            f("text", "nom", "Nom de naissance", max_length=150, prefill="last_name"),
            f("text", "prenoms", "Prénoms", max_length=150, prefill="first_name"),
            f("date", "date_naissance", "Date de naissance", date_bounds="past", prefill="birth_date"),
            f(
                "choice",
                "type_copie",
                "Type d'acte",
                choices=(
                    "integrale | Copie intégrale\n"
                    "extrait_filiation | Extrait avec filiation\n"
                    "extrait | Extrait sans filiation\n"
                    "plurilingue | Extrait plurilingue"
                ),
                choice_display="list",
            ),
            f("integer", "nombre", "Nombre d'exemplaires", min_value=1, max_value=5),
            page("Envoi"),
            f(
                "choice",
                "envoi",
                "Comment souhaitez-vous le recevoir ?",
                choices="courrier | Par courrier\nmairie | À retirer en mairie",
            ),
            f("address", "adresse_envoi", "Adresse d'envoi", prefill="address", condition=_if("envoi = courrier")),
            f(
                "phone",
                "telephone",
                "Téléphone",
                required=False,
                prefill="phone",
                help_text="Pour vous joindre en cas de question.",
            ),
        ],
    },
    {
        "slug": "inscription-scolaire",
        "title": "Inscription scolaire",
        "summary": "Inscrivez votre enfant de 3 à 11 ans dans une école maternelle ou élémentaire de la commune.",
        "description": "Préparez un justificatif de domicile de moins de trois mois (PDF, JPEG ou PNG).",
        "keywords": (
            "école, maternelle, primaire, rentrée, cantine, restauration scolaire, repas, périscolaire, garderie, "
            "accueil du matin, accueil du soir"
        ),
        "category": "famille",
        "department": "enfance",
        "processing_days": 15,
        "estimated_minutes": 10,
        "rules": [
            (
                "domicile = non",
                "L'inscription est réservée aux familles domiciliées à Beaulieu-sur-Loire : "
                "adressez-vous à la mairie de votre commune.",
            ),
            (
                "age = non",
                "Les écoles de la commune accueillent les enfants de 3 à 11 ans : "
                "pour un enfant plus jeune, pensez à la crèche ; plus âgé, au collège.",
            ),
        ],
        "fields": [
            page("Êtes-vous concerné ?"),
            f("boolean", "domicile", "Habitez-vous Beaulieu-sur-Loire ?"),
            f("boolean", "age", "Votre enfant aura-t-il entre 3 et 11 ans au 1er septembre ?"),
            page("L'enfant"),
            f(
                "members",
                "enfant",
                "Enfant à inscrire",
                member_filter="minors",
                help_text="Les enfants de votre foyer. Ajoutez-le dans « Mon foyer » s'il n'y figure pas.",
            ),
            f("choice", "niveau", "Niveau à la rentrée", choices=SCHOOL_LEVELS, choice_display="list"),
            page("L'école"),
            f(
                "choice",
                "ecole",
                "École souhaitée",
                choices="jules-ferry | École Jules-Ferry\ntilleuls | École des Tilleuls\nport | École du Port",
            ),
            f(
                "multiple",
                "periscolaire",
                "Services périscolaires",
                required=False,
                choices="matin | Garderie du matin\ncantine | Cantine\nsoir | Garderie du soir",
            ),
            f("boolean", "allergies", "Votre enfant a-t-il une allergie ou un régime particulier ?"),
            f("textarea", "allergies_detail", "Précisez l'allergie ou le régime", condition=_if("allergies = oui")),
            page("Justificatif"),
            f("address", "adresse", "Adresse du foyer", prefill="address"),
            f(
                "file",
                "justificatif_domicile",
                "Justificatif de domicile",
                file_types=["pdf", "jpeg", "png"],
                max_size_mb=5,
                document_type="justificatif-domicile",
            ),
        ],
    },
    {
        "slug": "occupation-domaine-public",
        "title": "Occupation du domaine public",
        "summary": "Terrasse, échafaudage, benne ou déménagement : demandez l'autorisation d'occuper la voie publique.",
        "description": "Déposez votre demande au moins 15 jours avant l'occupation.",
        "keywords": "permis de stationnement, arrêté de voirie, trottoir, stationnement déménagement, travaux",
        "category": "espace-public",
        "department": "urbanisme",
        "processing_days": 15,
        "fields": [
            page("Le demandeur"),
            f(
                "choice",
                "statut",
                "Vous êtes",
                choices="particulier | Un particulier\nentreprise | Une entreprise\nassociation | Une association",
            ),
            f("text", "raison_sociale", "Raison sociale", max_length=200, condition=_if("statut = entreprise")),
            f(
                "siret",
                "siret",
                "Numéro SIRET",
                condition=_if("statut = entreprise"),
                help_text="14 chiffres, sur votre extrait Kbis.",
            ),
            f("email", "email", "Adresse électronique", prefill="email"),
            page("L'occupation"),
            f(
                "choice",
                "motif",
                "Motif",
                choices=("terrasse | Terrasse\nechafaudage | Échafaudage\nbenne | Benne\ndemenagement | Déménagement"),
            ),
            f("date", "date_debut", "Premier jour", date_bounds="future", notice_days=15),
            f("date", "date_fin", "Dernier jour", date_bounds="future", after="date_debut"),
            f("decimal", "surface", "Surface occupée (m²)", min_value=0.5, max_value=500),
            f("address", "lieu", "Adresse de l'occupation"),
            page("Le matériel"),
            f(
                "block",
                "materiel",
                "Matériel installé",
                min_rows=1,
                max_rows=10,
                children=[
                    f("text", "designation", "Désignation", max_length=100),
                    f("integer", "quantite", "Quantité", min_value=1, max_value=100),
                ],
            ),
            f(
                "info",
                "",
                "Une caution peut être demandée : elle vous est remboursée sur ce compte après l'occupation.",
            ),
            f("iban", "iban", "IBAN pour le remboursement de la caution", required=False),
        ],
    },
    {
        "slug": "signalement-voirie",
        "title": "Signalement sur la voirie",
        "summary": "Nid-de-poule, lampadaire éteint, panneau abîmé : signalez un problème sur la voie publique.",
        "keywords": (
            "nid de poule, trou, chaussée abîmée, route, rue, trottoir, lampadaire, éclairage, panneau, feu rouge, "
            "dépôt sauvage, tag"
        ),
        "category": "espace-public",
        "department": "voirie",
        "processing_days": 7,
        "fields": [
            f(
                "choice",
                "categorie",
                "Type de problème",
                choices=(
                    "chaussee | Chaussée abîmée, nid-de-poule\n"
                    "eclairage | Éclairage public\n"
                    "signalisation | Panneau ou feu\n"
                    "proprete | Propreté\n"
                    "autre | Autre"
                ),
            ),
            f("textarea", "localisation", "Où se trouve le problème ?", help_text="Adresse, numéro, repère visible."),
            f("textarea", "description", "Description", required=False),
            f("file", "photo", "Photo", required=False, file_types=["jpeg", "png"], max_size_mb=8),
        ],
    },
    {
        "slug": "bacs-dechets",
        "title": "Bacs de collecte des déchets",
        "summary": "Demandez un bac pour vos ordures ménagères ou le tri, ou son remplacement s'il est cassé ou volé.",
        "description": "Le bac est livré gratuitement à votre adresse sous trois semaines.",
        "keywords": (
            "poubelle, bac, conteneur, ordures ménagères, déchets, tri sélectif, bac jaune, collecte, ramassage, "
            "biodéchets, composteur"
        ),
        "category": "dechets",
        "department": "voirie",
        "processing_days": 15,
        "fields": [
            f(
                "choice",
                "demande",
                "Votre demande",
                choices="nouveau | Un premier bac\nremplacement | Le remplacement d'un bac cassé ou volé",
            ),
            f(
                "choice",
                "bac",
                "Bac",
                choices="ordures | Ordures ménagères (couvercle gris)\ntri | Tri sélectif (couvercle jaune)",
            ),
            f("address", "adresse", "Adresse de livraison", prefill="address"),
            f("textarea", "precisions", "Précisions", required=False, help_text="Accès, digicode, état du bac…"),
        ],
    },
]


def _fields_create(teleservice: Teleservice, specs: list[dict[str, Any]], block: Field | None = None) -> None:
    for position, spec in enumerate(specs):
        spec = dict(spec)
        children = spec.pop("children", [])
        if "document_type" in spec:
            spec["document_type"] = DocumentType.objects.get(slug=spec["document_type"])
        row = Field.objects.create(teleservice=teleservice, block=block, position=position, **spec)
        _fields_create(teleservice, children, block=row)


def seed_teleservices(admin: User | None) -> dict[str, Teleservice]:
    vault_demo.seed()  # the types of document some questions are bound to
    categories = {
        slug: Category.objects.get_or_create(slug=slug, defaults={"name": name, "position": i})[0]
        for i, (slug, name) in enumerate(CATEGORIES.items())
    }
    teleservices = {}
    for spec in TELESERVICES:
        spec = dict(spec)
        fields, rules = spec.pop("fields"), spec.pop("rules", [])
        spec["category"] = categories[spec["category"]]
        spec["department"] = Department.objects.get(slug=spec["department"])
        teleservice, created = Teleservice.objects.get_or_create(slug=spec["slug"], defaults=spec)
        if created:
            _fields_create(teleservice, fields)
            for position, (condition, message) in enumerate(rules):
                EligibilityRule.objects.create(
                    teleservice=teleservice, position=position, condition=_if(condition), message=message
                )
            services.teleservice_publish(teleservice=teleservice, user=admin)
        teleservices[teleservice.slug] = teleservice
    return teleservices


def seed_requests(alice: User, teleservices: dict[str, Teleservice]) -> None:
    """alice has a draft and two submitted requests, one of them being processed."""
    if Case.objects.filter(user=alice).exists():
        return
    report = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
    report = services.case_page_save(
        case=report,
        answers={
            "categorie": "eclairage",
            "localisation": "Devant le 4 rue des Tilleuls",
            "description": "Le lampadaire ne s'allume plus.",
        },
        files={},
        page=0,
    )
    services.case_submit(case=report)
    birth = services.case_start(user=alice, teleservice=teleservices["acte-de-naissance"])
    birth = services.case_page_save(
        case=birth,
        answers={**birth.data, "personne": "moi", "type_copie": "integrale", "nombre": 1, "envoi": "mairie"},
        files={},
        page=1,
    )
    birth = services.case_submit(case=birth)
    birth.status = birth.teleservice.workflow.statuses.get(key="en_cours")
    birth.save(update_fields=["status"])
    services.case_start(user=alice, teleservice=teleservices["occupation-domaine-public"])
