"""Demo booking (idempotent): identity documents at the town hall and its annexe (État civil), advice from the
planning officer (Urbanisme), realistic opening hours, and one upcoming appointment for alice."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from appointments.models import Agenda, Appointment, AppointmentType, Closure, OpeningRule
from appointments.services import appointment_book
from appointments.slots import slots_for
from gru.models import Department
from portal.models import User
from teleservices.models import Teleservice

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY = range(6)
IDENTITY_DOCUMENTS = "Pensez à votre pré-demande en ligne sur le site de l'ANTS (ants.gouv.fr)."
TO_BRING = "\n".join(
    [
        "Le récapitulatif de votre pré-demande ANTS (numéro ou QR code)",
        "Une photo d'identité de moins de six mois, aux normes",
        "Un justificatif de domicile de moins d'un an",
        "Votre ancien titre, s'il y en a un",
        "Le timbre fiscal, pour un passeport",
    ]
)
DEMO_ANTS_NUMBER = "2027AB1234"  # the format of a pre-application number, not a real one
GOOD_TO_KNOW = "La présence du demandeur est obligatoire, même mineur, avec l'un de ses parents."
TYPES: list[dict[str, Any]] = [
    {
        "slug": "passeport",
        "label": "Demande de passeport",
        "duration_minutes": 20,
        "description": IDENTITY_DOCUMENTS,
        "instructions": GOOD_TO_KNOW,
        "to_bring": TO_BRING,
        "asks_ants_number": True,
        "keywords": "passeport biométrique, titre d'identité, voyage, renouvellement, perte, vol, ANTS",
    },
    {
        "slug": "carte-identite",
        "label": "Demande de carte nationale d'identité",
        "duration_minutes": 20,
        "description": IDENTITY_DOCUMENTS,
        "instructions": GOOD_TO_KNOW,
        "to_bring": TO_BRING,
        "asks_ants_number": True,
        "keywords": "carte d'identité, CNI, pièce d'identité, titre d'identité, renouvellement, perte, vol, ANTS",
    },
    {
        "slug": "retrait-titre",
        "label": "Retrait d'un passeport ou d'une carte d'identité",
        "keywords": "CNI, pièce d'identité, titre d'identité, récupérer, SMS de l'ANTS",
        "duration_minutes": 10,
        "description": "Venez lorsque le SMS de l'ANTS vous annonce que votre titre est disponible.",
        "instructions": "Le titre se retire en personne.",
        "to_bring": "Votre ancien titre : il vous sera repris",
        "min_notice_hours": 1,
        "horizon_days": 60,
    },
    {
        "slug": "conseil-urbanisme",
        "label": "Conseil avant une demande d'occupation du domaine public",
        "keywords": "terrasse, échafaudage, benne, rendez-vous urbanisme, permis de stationnement",
        "duration_minutes": 30,
        "description": "Terrasse, échafaudage, benne : l'instructeur vérifie avec vous le projet avant son dépôt.",
        "to_bring": "Un plan de situation\nSi vous en avez, des photos de l'emplacement",
        "teleservice": "occupation-domaine-public",
        "min_notice_hours": 24,
        "change_notice_hours": 48,
    },
]
IDENTITY = ["passeport", "carte-identite", "retrait-titre"]
AGENDAS: list[dict[str, Any]] = [
    {
        "name": "Titres d'identité — Hôtel de ville",
        "department": "etat-civil",
        "place": "Hôtel de ville, rez-de-chaussée, guichets 1 et 2",
        "address": "1 place de la Mairie\n45630 Beaulieu-sur-Loire",
        "rules": [
            ([MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY], "08:30", "12:00", 2, IDENTITY),
            ([MONDAY, TUESDAY, THURSDAY, FRIDAY], "13:30", "17:00", 2, IDENTITY),
            ([SATURDAY], "09:00", "12:00", 1, ["retrait-titre"]),
        ],
    },
    {
        "name": "Titres d'identité — Mairie annexe des Prés",
        "department": "etat-civil",
        "place": "Mairie annexe du quartier des Prés",
        "address": "8 rue des Écoles\n45630 Beaulieu-sur-Loire",
        "rules": [
            ([WEDNESDAY], "09:00", "12:00", 1, IDENTITY),
            ([WEDNESDAY], "14:00", "18:30", 1, IDENTITY),
            ([SATURDAY], "09:00", "12:00", 1, ["passeport", "carte-identite"]),
        ],
    },
    {
        "name": "Urbanisme — permanence de l'instructeur",
        "department": "urbanisme",
        "agent": "carol@example.org",
        "place": "Centre technique municipal, bureau de l'urbanisme (1er étage)",
        "address": "24 avenue de la Gare\n45630 Beaulieu-sur-Loire",
        "rules": [([TUESDAY, THURSDAY], "14:00", "17:00", 1, ["conseil-urbanisme"])],
    },
]


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def _types() -> dict[str, AppointmentType]:
    types = {}
    for spec in TYPES:
        spec = dict(spec)
        if "teleservice" in spec:
            spec["teleservice"] = Teleservice.objects.filter(slug=spec["teleservice"]).first()
        types[spec["slug"]], _created = AppointmentType.objects.get_or_create(slug=spec["slug"], defaults=spec)
    return types


def _agenda(spec: dict[str, Any], types: dict[str, AppointmentType]) -> Agenda:
    defaults = {
        "department": Department.objects.get(slug=spec["department"]),
        "place": spec["place"],
        "address": spec["address"],
        "agent": User.objects.filter(email=spec.get("agent", "")).first(),
    }
    agenda, created = Agenda.objects.get_or_create(name=spec["name"], defaults=defaults)
    if created:
        for weekdays, opens, closes, capacity, slugs in spec["rules"]:
            rule = OpeningRule.objects.create(
                agenda=agenda, weekdays=weekdays, start_time=_time(opens), end_time=_time(closes), capacity=capacity
            )
            rule.types.set([types[slug] for slug in slugs])
    return agenda


def seed(users: dict[str, User]) -> dict[str, Agenda]:
    types = _types()
    agendas = {spec["name"]: _agenda(spec, types) for spec in AGENDAS}
    annexe = agendas["Titres d'identité — Mairie annexe des Prés"]
    if not annexe.closures.exists():
        next_month = timezone.localdate() + datetime.timedelta(days=30)
        day_start = datetime.datetime.combine(next_month, datetime.time(0), timezone.get_default_timezone())
        Closure.objects.create(
            agenda=annexe,
            start=day_start,
            end=day_start + datetime.timedelta(days=1),
            reason="Formation de l'agent d'accueil",
        )
    alice = users["alice@example.org"]
    if not Appointment.objects.for_citizen(alice).exists():
        _book_in_a_week(alice, types["passeport"], agendas["Titres d'identité — Hôtel de ville"])
    return agendas


def _book_in_a_week(citizen: User, type: AppointmentType, agenda: Agenda) -> None:
    start = timezone.now() + datetime.timedelta(days=7)
    slots = slots_for(type=type, agendas=[agenda], start=start, end=start + datetime.timedelta(days=14))
    if slots:
        appointment_book(type=type, agenda=agenda, start=slots[0].start, citizen=citizen, ants_number=DEMO_ANTS_NUMBER)
