"""The demo's workflows and cases to instruct: citizens' requests in every status of the standard workflow
(idempotent).

They are built through the real services (filing, submission, actions, assignment, messages, notes), so that their
history, deadlines and timelines are those of real cases. The French names also feed `seed_bulk`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from backoffice import services
from gru.models import Department, Membership
from portal.models import User
from teleservices import services as teleservices_services
from teleservices.default_workflow import workflow_build
from teleservices.models import Case, Teleservice
from teleservices.workflows import Status, Transition, Workflow

FIRST_NAMES = [
    "Camille", "Louise", "Léa", "Manon", "Chloé", "Inès", "Jade", "Emma", "Zoé", "Lina", "Anne", "Marie", "Sophie",
    "Nathalie", "Isabelle", "Sylvie", "Hélène", "Céline", "Élodie", "Margaux", "Lucas", "Hugo", "Louis", "Gabriel",
    "Arthur", "Jules", "Nathan", "Théo", "Raphaël", "Paul", "Pierre", "Jean", "Michel", "Philippe", "Alain", "Éric",
    "François", "Nicolas", "Olivier", "Thierry", "Julien", "Mathieu", "Antoine", "Benoît", "Yannick", "Sébastien",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent", "Simon",
    "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont",
    "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure", "André", "Mercier", "Blanc",
    "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin",
    "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval",
]  # fmt: skip
STREETS = [
    "rue des Tilleuls", "avenue de la Gare", "place de la Mairie", "rue du Port", "chemin des Vignes",
    "rue Jules-Ferry", "boulevard de la Loire", "impasse des Lilas", "rue de l'Église", "allée des Peupliers",
]  # fmt: skip
POSTCODE, CITY = "45630", "Beaulieu-sur-Loire"


# Workflows of their own for three demo téléservices (the birth certificate keeps the standard one): rows shaped like
# `default_workflow.STATUSES` and `TRANSITIONS`; "assigns_department" names a department by its slug, "silence" the
# rule and the action the scheduled task applies when the deadline passes.
NOTIFY = {"notifies_citizen": True}
COMPLETION = {"asks_completion": True, "comment": "required", "comment_label": "Pièces ou informations demandées"}
REFUSAL = {"comment": "required", "comment_label": "Motif du refus", "notifies_citizen": True}
WORKFLOWS: dict[str, dict[str, Any]] = {
    "inscription-scolaire": {
        "slug": "inscription-scolaire",
        "name": "Inscription scolaire",
        "description": "Étude, liste d'attente si l'école est complète, puis l'affectation.",
        "statuses": [
            ("recue", "Reçue", "Reçue", "#1d4f91", True, False, False),
            ("en_cours", "En étude", "En cours de traitement", "#6a2c91", False, False, False),
            ("attente", "En attente de compléments", "Compléments demandés", "#8a3b12", False, False, True),
            ("liste_attente", "Sur liste d'attente", "Sur liste d'attente", "#5c4400", False, False, False),
            ("inscrit", "Inscription confirmée", "Inscription confirmée", "#18753c", False, True, False),
            ("refusee", "Refusée", "Refusée", "#b3261e", False, True, False),
        ],
        "transitions": [
            ("Prendre en charge", ["recue"], "en_cours", NOTIFY),
            ("Demander des compléments", ["recue", "en_cours"], "attente", COMPLETION),
            ("Reprendre l'instruction", ["attente"], "en_cours", {}),
            ("Placer sur liste d'attente", ["en_cours"], "liste_attente", {**NOTIFY, "comment": "optional"}),
            (
                "Confirmer l'inscription",
                ["en_cours", "liste_attente"],
                "inscrit",
                {**NOTIFY, "comment": "optional", "comment_label": "École et date de rentrée"},
            ),
            ("Refuser", ["recue", "en_cours", "liste_attente"], "refusee", REFUSAL),
        ],
    },
    "occupation-domaine-public": {
        "slug": "occupation-domaine-public",
        "name": "Autorisation d'occupation du domaine public",
        "description": "Avis technique de la voirie, puis décision de l'urbanisme ; le silence vaut accord.",
        "statuses": [
            ("recue", "Reçue", "Reçue", "#1d4f91", True, False, False),
            ("en_cours", "En cours d'instruction", "En cours de traitement", "#6a2c91", False, False, False),
            ("attente", "En attente de compléments", "Compléments demandés", "#8a3b12", False, False, True),
            ("avis_voirie", "Avis de la voirie demandé", "En cours de traitement", "#00585e", False, False, False),
            ("accordee", "Autorisation accordée", "Autorisation accordée", "#18753c", False, True, False),
            ("refusee", "Refusée", "Refusée", "#b3261e", False, True, False),
            ("classee", "Classée sans suite", "Classée sans suite", "#53575c", False, True, False),
        ],
        "transitions": [
            ("Prendre en charge", ["recue"], "en_cours", NOTIFY),
            ("Demander des compléments", ["recue", "en_cours"], "attente", COMPLETION),
            ("Reprendre l'instruction", ["attente"], "en_cours", {}),
            (
                "Demander l'avis de la voirie",
                ["en_cours"],
                "avis_voirie",
                {"assigns_department": "voirie", "comment": "optional", "comment_label": "Question posée"},
            ),
            (
                "Rendre l'avis",
                ["avis_voirie"],
                "en_cours",
                {"assigns_department": "urbanisme", "comment": "required", "comment_label": "Avis technique"},
            ),
            ("Accorder", ["recue", "en_cours"], "accordee", {**NOTIFY, "comment": "optional"}),
            ("Refuser", ["recue", "en_cours"], "refusee", REFUSAL),
            (
                "Classer sans suite",
                ["recue", "en_cours", "attente"],
                "classee",
                {"comment": "required", "comment_label": "Motif", "managers_only": True},
            ),
        ],
        "silence": ("acceptance", "Accorder"),
    },
    "signalement-voirie": {
        "slug": "signalement",
        "name": "Traitement d'un signalement",
        "description": "Le signalement est programmé, puis résolu.",
        "statuses": [
            ("recue", "Reçu", "Reçu", "#1d4f91", True, False, False),
            ("en_cours", "Intervention programmée", "Intervention programmée", "#6a2c91", False, False, False),
            ("resolu", "Résolu", "Résolu", "#18753c", False, True, False),
            ("classee", "Sans suite", "Classé sans suite", "#53575c", False, True, False),
        ],
        "transitions": [
            (
                "Programmer l'intervention",
                ["recue"],
                "en_cours",
                {**NOTIFY, "comment": "optional", "comment_label": "Date prévue"},
            ),
            ("Marquer résolu", ["recue", "en_cours"], "resolu", NOTIFY),
            (
                "Classer sans suite",
                ["recue", "en_cours"],
                "classee",
                {**NOTIFY, "comment": "required", "comment_label": "Motif"},
            ),
        ],
    },
}


@dataclass
class Filing:
    """One demo case: who files it, what, how far it goes (actions by label), and what happens around it."""

    teleservice: str
    answers: dict[str, Any]
    citizen: str = ""  # a demo account's email; empty for a request an agent files for someone without one
    applicant: tuple[str, str, str] = ("", "", "")  # first name, family name, email (without an account)
    channel: str = Case.Channel.COUNTER  # how someone without an account reached the department
    actions: list[tuple[str, str]] = field(default_factory=list)  # (action label, comment)
    assignee: str = ""
    late_by: int = 0  # days after the deadline (negative: days before it)
    message: str = ""
    note: str = ""


BIRTH = {"personne": "moi", "type_copie": "integrale", "nombre": 1, "envoi": "mairie"}
REPORT = {"categorie": "chaussee", "localisation": "Devant le 18 avenue de la Gare", "description": "Un nid-de-poule."}
COUNTER_AGENTS = {"acte-de-naissance": "bob@example.org", "occupation-domaine-public": "carol@example.org"}


def _occupation(**changes: Any) -> dict[str, Any]:
    """Answers for an occupation of the public space in three weeks (its dates must be in the future)."""
    start = timezone.localdate() + datetime.timedelta(days=21)
    return {
        "statut": "particulier",
        "email": "paul.girard@example.org",
        "motif": "demenagement",
        "date_debut": start.isoformat(),
        "date_fin": (start + datetime.timedelta(days=1)).isoformat(),
        "surface": "12.5",
        "lieu": {"street": "7 rue du Port", "postcode": POSTCODE, "city": CITY},
        "materiel": [{"designation": "Camion de déménagement", "quantite": 1}],
        **changes,
    }


def filings() -> list[Filing]:
    """The demo cases: one or more in each status of the standard workflow, in three departments."""
    return [
        Filing("acte-de-naissance", BIRTH, citizen="eve@example.org"),
        Filing(
            "acte-de-naissance", BIRTH, citizen="eve@example.org", late_by=4, note="Acte de 1979 : registre papier."
        ),
        Filing(
            "acte-de-naissance",
            BIRTH,
            citizen="eve@example.org",
            actions=[("Prendre en charge", "")],
            assignee="bob@example.org",
            late_by=-1,
            message="Votre acte sera prêt à retirer en mairie vendredi.",
        ),
        Filing(
            "acte-de-naissance",
            {**BIRTH, "nom": "Roux", "prenoms": "Sylvie", "date_naissance": "1962-03-14"},
            applicant=("Sylvie", "Roux", ""),
            actions=[("Prendre en charge", ""), ("Accepter", "Acte remis au guichet.")],
            assignee="bob@example.org",
        ),
        Filing(
            "acte-de-naissance",
            {**BIRTH, "nom": "Garnier", "prenoms": "Michel", "date_naissance": "1958-11-02", "type_copie": "extrait"},
            applicant=("Michel", "Garnier", "michel.garnier@example.org"),
            actions=[("Demander des compléments", "Merci de préciser le nom de naissance de votre mère.")],
            note="Appel du demandeur le matin : il cherche l'information.",
        ),
        Filing(
            "acte-de-naissance",
            BIRTH,
            citizen="eve@example.org",
            actions=[
                ("Refuser", "Aucun acte à ce nom dans nos registres : adressez-vous à votre commune de naissance.")
            ],
        ),
        Filing(
            "acte-de-naissance",
            {
                **BIRTH,
                "nom": "Fontaine",
                "prenoms": "Jean",
                "date_naissance": "1971-06-30",
                "envoi": "courrier",
                "adresse_envoi": {"street": "4 chemin des Vignes", "postcode": POSTCODE, "city": CITY},
            },
            applicant=("Jean", "Fontaine", "jean.fontaine@example.org"),
            channel=Case.Channel.PHONE,
            late_by=2,
        ),
        Filing("signalement-voirie", {**REPORT, "categorie": "proprete"}, citizen="eve@example.org", late_by=-5),
        Filing(
            "occupation-domaine-public",
            _occupation(),
            applicant=("Paul", "Girard", "paul.girard@example.org"),
            actions=[("Prendre en charge", "")],
            assignee="carol@example.org",
            late_by=1,
            message="Pouvez-vous confirmer la date du déménagement ?",
        ),
        Filing(
            "occupation-domaine-public",
            _occupation(motif="terrasse", email="cafe.tilleuls@example.org"),
            applicant=("Éric", "Bonnet", "cafe.tilleuls@example.org"),
            channel=Case.Channel.EMAIL,
            actions=[
                ("Prendre en charge", ""),
                ("Demander l'avis de la voirie", "Le trottoir garde-t-il 1,40 m de passage avec la terrasse ?"),
            ],
        ),
        Filing(
            "occupation-domaine-public",
            _occupation(motif="benne", email="eve@example.org"),
            citizen="eve@example.org",
            actions=[("Classer sans suite", "Demande en double.")],
        ),
    ]


def seed_workflows(teleservices: dict[str, Teleservice]) -> None:
    """Give three demo téléservices their own workflow (once: a téléservice already on it is left alone)."""
    for slug, spec in WORKFLOWS.items():
        teleservice = teleservices[slug]
        if teleservice.workflow.slug == spec["slug"]:
            continue
        spec = dict(spec)
        silence = spec.pop("silence", None)
        spec["transitions"] = [
            (label, sources, target, _with_department(options))
            for label, sources, target, options in spec["transitions"]
        ]
        teleservice.workflow = workflow_build(Workflow, Status, Transition, **spec)
        fields = ["workflow"]
        if silence:
            teleservice.silence = silence[0]
            teleservice.silence_transition = teleservice.workflow.transitions.get(label=silence[1])
            fields += ["silence", "silence_transition"]
        teleservice.save(update_fields=fields)


def _with_department(options: dict[str, Any]) -> dict[str, Any]:
    if "assigns_department" not in options:
        return options
    return {**options, "assigns_department": Department.objects.get(slug=options["assigns_department"])}


def seed_cases(users: dict[str, User], teleservices: dict[str, Teleservice]) -> None:
    """eve's requests and requests filed at the counter, in every status, some late, some assigned (once)."""
    if Case.objects.filter(user=users["eve@example.org"]).exists():
        return
    Membership.objects.filter(user=users["carol@example.org"], department__slug="urbanisme").update(
        role=Membership.Role.MANAGER
    )
    for filing in filings():
        _file(filing, users, teleservices[filing.teleservice])


def _file(filing: Filing, users: dict[str, User], teleservice: Teleservice) -> Case:
    if filing.citizen:
        draft = teleservices_services.case_start(user=users[filing.citizen], teleservice=teleservice)
    else:
        first_name, last_name, email = filing.applicant
        draft = teleservices_services.case_start_for(
            agent=users[COUNTER_AGENTS[teleservice.slug]],
            teleservice=teleservice,
            channel=filing.channel,
            citizen=None,
            applicant={"applicant_first_name": first_name, "applicant_last_name": last_name, "applicant_email": email},
        )
    answers = {**draft.data, **filing.answers}
    draft = teleservices_services.case_page_save(case=draft, answers=answers, files={}, page=0)
    case = teleservices_services.case_submit(case=draft)
    agent = _instructor(users, case)
    for label, comment in filing.actions:
        transition = Transition.objects.get(workflow=teleservice.workflow, label=label)
        case = services.case_transition(case=case, transition=transition, actor=agent, comment=comment)
    if filing.assignee:
        services.case_assign(case=case, assignee=users[filing.assignee], actor=users[filing.assignee])
    if filing.message and agent is not None:
        teleservices_services.case_message_post(case=case, author=agent, body=filing.message, files=[], from_agent=True)
    if filing.note and agent is not None:
        services.note_add(case=case, author=agent, body=filing.note)
    if filing.late_by and case.deadline is not None:
        case.deadline = timezone.localdate() - datetime.timedelta(days=filing.late_by)
        case.save(update_fields=["deadline"])
    return case


def _instructor(users: dict[str, User], case: Case) -> User | None:
    """The demo agent of the case's department (the voirie department has none: its cases wait for one)."""
    return next(
        (user for user in users.values() if Membership.objects.filter(user=user, department=case.department).exists()),
        None,
    )
