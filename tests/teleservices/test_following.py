"""What a citizen is told before starting (steps, time, documents), certifying the answers, and following a request:
the same status words whatever the workflow, and the history's letters opening that letter."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backoffice.demo import seed_workflows
from backoffice.services import case_transition
from letters.services import case_letter_create
from teleservices import services
from teleservices.definition import FormDefinition
from teleservices.models import Case, Field, Teleservice
from teleservices.stages import Stage, stage_of
from teleservices.summaries import documents_to_prepare
from teleservices.workflows import Status, Workflow

REPORT = {"categorie": "eclairage", "localisation": "Devant le 4 rue des Tilleuls"}
CITIZEN_WORDS = {
    "Reçue",
    "En cours d'instruction",
    "En attente de compléments",
    "Acceptée",
    "Refusée",
    "Classée sans suite",
    "Traitée",
}


def _report(alice, teleservices):
    case = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
    return services.case_page_save(case=case, answers=REPORT, files={}, page=0)


def _republish(teleservice, *rows):
    """Add `rows` (Field keyword arguments) at the end of the téléservice's form and publish it again."""
    last = teleservice.fields.order_by("-position").first().position
    for offset, row in enumerate(rows, 1):
        Field.objects.create(teleservice=teleservice, position=last + offset, **row)
    services.teleservice_publish(teleservice=teleservice, user=None)


# The start page


def test_the_start_page_says_how_long_how_many_steps_and_which_documents(client, teleservices):
    page = client.get(reverse("teleservices:start", args=["inscription-scolaire"])).content.decode()
    assert "Environ 10 minutes" in page
    assert "4 étapes" in page
    assert "Documents à préparer" in page
    assert "<strong>Justificatif de domicile</strong>" in page
    assert "(de moins de 3 mois)" in page and "— obligatoire" in page


def test_the_start_page_invents_no_duration_and_counts_conditional_pages_honestly(client, teleservices):
    teleservice = teleservices["signalement-voirie"]
    condition = {"logic": "all", "rules": [{"field": "categorie", "op": "eq", "value": "autre"}]}
    _republish(
        teleservice,
        {"kind": "page", "label": "Précisions", "condition": condition},
        {"kind": "text", "key": "precisions", "label": "Précisez"},
    )
    page = client.get(reverse("teleservices:start", args=[teleservice.slug])).content.decode()
    assert "Environ" not in page
    assert "1 à 2 étapes, selon vos réponses" in page
    assert "<strong>Photo</strong>" in page and "— facultatif" in page


def test_conditional_documents_say_when_they_are_asked(teleservices):
    teleservice = teleservices["signalement-voirie"]
    on_lighting = {"logic": "all", "rules": [{"field": "categorie", "op": "eq", "value": "eclairage"}]}
    either = {
        "logic": "any",
        "rules": [
            {"field": "categorie", "op": "eq", "value": "eclairage"},
            {"field": "categorie", "op": "eq", "value": "autre"},
        ],
    }
    _republish(
        teleservice,
        {"kind": "file", "key": "plan", "label": "Plan", "condition": on_lighting, "file_types": ["pdf"]},
        {"kind": "file", "key": "devis", "label": "Devis", "condition": either, "file_types": ["pdf"]},
    )
    teleservice.refresh_from_db()
    documents = documents_to_prepare(teleservice.current_version.form)
    assert [(d.label, d.need, d.validity) for d in documents] == [
        ("Photo", "facultatif", ""),
        ("Plan", "si vous répondez « Éclairage public » à « Type de problème »", ""),
        ("Devis", "selon votre situation", ""),
    ]


@pytest.mark.parametrize(
    ("slug", "validity"),
    [
        ("justificatif-domicile", "de moins de 3 mois"),
        ("avis-imposition", "de l'année civile en cours"),
        ("attestation-caf", "de l'année scolaire en cours"),
        ("rib", ""),
    ],
)
def test_a_document_bound_to_a_type_says_how_recent_it_must_be(teleservices, slug, validity):
    definition = FormDefinition.from_dict(
        {
            "pages": [
                {
                    "title": "Pièces",
                    "condition": {},
                    "fields": [
                        {"kind": "file", "key": "piece", "label": "Pièce", "options": {"document_type": slug}},
                    ],
                }
            ]
        }
    )
    assert [d.validity for d in documents_to_prepare(definition)] == [validity]


def test_the_start_page_reads_the_document_types_in_one_query(client, teleservices, django_assert_num_queries):
    client.get(reverse("teleservices:start", args=["inscription-scolaire"]))  # the session, the organisation
    with django_assert_num_queries(3):  # the téléservice, its version, the document types
        client.get(reverse("teleservices:start", args=["inscription-scolaire"]))


# Certifying the answers


@pytest.fixture
def certifying(teleservices):
    teleservice = teleservices["signalement-voirie"]
    teleservice.asks_certification = True
    teleservice.save(update_fields=["asks_certification"])
    return teleservice


def test_the_review_refuses_to_send_without_the_certification_and_loses_nothing(alice_client, alice, certifying):
    case = _report(alice, {"signalement-voirie": certifying})
    review = reverse("teleservices:review", args=[case.public_id])
    assert "Je certifie l&#x27;exactitude des informations fournies." in alice_client.get(review).content.decode()
    response = alice_client.post(review)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cochez la case certifiant l&#x27;exactitude de vos informations pour envoyer votre demande." in page
    assert page.count('href="#id_certified"') == 1  # the error summary leads to the box
    case.refresh_from_db()
    assert case.is_draft and case.data == REPORT and case.certified_at is None


def test_a_certified_request_records_when_it_was_certified(alice_client, alice, certifying):
    case = _report(alice, {"signalement-voirie": certifying})
    response = alice_client.post(reverse("teleservices:review", args=[case.public_id]), {"certified": "on"})
    case.refresh_from_db()
    assert response["Location"] == reverse("teleservices:confirmation", args=[case.reference])
    assert case.certified_at == case.submitted_at


def test_the_service_refuses_an_uncertified_request_when_the_teleservice_asks(alice, certifying):
    case = _report(alice, {"signalement-voirie": certifying})
    with pytest.raises(ValidationError, match="Cochez la case"):
        services.case_submit(case=case)
    assert Case.objects.get(pk=case.pk).is_draft


def test_a_teleservice_that_does_not_ask_shows_no_box_and_records_no_certification(alice_client, alice, teleservices):
    case = _report(alice, teleservices)
    review = reverse("teleservices:review", args=[case.public_id])
    assert 'name="certified"' not in alice_client.get(review).content.decode()
    alice_client.post(review)
    case.refresh_from_db()
    assert case.submitted_at is not None and case.certified_at is None


# The same words for the same stage, whatever the workflow


@pytest.fixture
def workflows(teleservices):
    """The demo téléservices on their own workflows."""
    seed_workflows(teleservices)
    return {slug: Teleservice.objects.get(slug=slug).workflow for slug in teleservices}


def test_every_status_of_every_demo_workflow_reads_as_one_of_the_citizen_words(workflows):
    statuses = Status.objects.filter(workflow__in=workflows.values())
    assert len({status.workflow_id for status in statuses}) == 4
    assert {str(stage_of(status).label) for status in statuses} == CITIZEN_WORDS


def test_statuses_named_differently_for_agents_read_the_same_to_citizens(workflows):
    school = workflows["inscription-scolaire"]
    standard = Workflow.objects.default()
    pairs = [("en_cours", "en_cours"), ("attente", "attente"), ("inscrit", "acceptee"), ("refusee", "refusee")]
    for school_key, standard_key in pairs:
        assert stage_of(school.statuses.get(key=school_key)) == stage_of(standard.statuses.get(key=standard_key))
    assert stage_of(school.statuses.get(key="en_cours")) == Stage.IN_PROGRESS
    assert stage_of(school.statuses.get(key="liste_attente")) == Stage.IN_PROGRESS
    assert stage_of(standard.statuses.get(key="classee")) == Stage.CLOSED


def test_the_citizen_page_and_email_say_the_stage_not_the_workflows_own_words(
    alice_client, alice, bob, workflows, django_capture_on_commit_callbacks
):
    teleservice = Teleservice.objects.get(slug="inscription-scolaire")
    case = Case.objects.create(
        teleservice=teleservice,
        version=teleservice.current_version,
        user=alice,
        reference="DEM-2026-ABCDEF",
        status=teleservice.workflow.initial_status,
        department=teleservice.department,
        submitted_at="2026-11-02T10:00:00+01:00",
    )
    mail.outbox.clear()
    taking = teleservice.workflow.transitions.get(label="Prendre en charge")
    with django_capture_on_commit_callbacks(execute=True):
        case = case_transition(case=case, transition=taking, actor=bob)
    page = alice_client.get(reverse("teleservices:case", args=[case.reference])).content.decode()
    assert page.count("En cours d&#x27;instruction") == 2  # the badge, the history
    assert "En cours de traitement" not in page and "En étude" not in page
    assert "En cours d'instruction" in mail.outbox[-1].body


# The history's letters


def test_a_letter_in_the_history_opens_that_letter(
    alice_client, alice, teleservices, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_submit(case=_report(alice, teleservices))
    receipt = case.letters.get()
    page = alice_client.get(reverse("teleservices:case", args=[case.reference])).content.decode()
    assert f'href="{receipt.pdf.get_absolute_url()}">Voir le courrier' in page
    assert reverse("letters:mine") not in page.split('id="timeline-title"')[1].split("</section>")[0]
    assert alice_client.get(receipt.pdf.get_absolute_url()).status_code == 200


def test_the_history_costs_the_same_queries_whatever_the_number_of_letters_sent(
    alice_client, alice, teleservices, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_submit(case=_report(alice, teleservices))
    url = reverse("teleservices:case", args=[case.reference])
    alice_client.get(url)
    with CaptureQueriesContext(connection) as one_letter:
        alice_client.get(url)
    template = case.letters.get().template  # the récépissé's
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            case_letter_create(case=case, template=template, author=None, send=True)
    with CaptureQueriesContext(connection) as four_letters:
        page = alice_client.get(url).content.decode()
    assert page.count('">Voir le courrier<span') == 4
    assert len(four_letters) == len(one_letter)
