"""Administrators build workflows in the Django admin: statuses and actions in one submission, checked together."""

import pytest
from django.urls import reverse
from django.utils import translation

from backoffice.workflows import StatusSpec, TransitionSpec, workflow_errors, workflow_specs
from teleservices import default_workflow
from teleservices.workflows import Status, Workflow
from tests.conftest import sign_in

RECUE = StatusSpec("recue", "Reçue", is_initial=True)
EN_COURS = StatusSpec("en_cours", "En cours")
ATTENTE = StatusSpec("attente", "En attente", waits_for_citizen=True)
ACCEPTEE = StatusSpec("acceptee", "Acceptée", is_terminal=True)
TAKE = TransitionSpec("Prendre en charge", ("recue",), "en_cours")
ASK = TransitionSpec("Demander des pièces", ("en_cours",), "attente", asks_completion=True)
RESUME = TransitionSpec("Reprendre", ("attente",), "en_cours")
ACCEPT = TransitionSpec("Accepter", ("recue", "en_cours"), "acceptee")


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_a_workflow_that_cases_can_go_through_has_no_error(english):
    assert workflow_errors([RECUE, EN_COURS, ATTENTE, ACCEPTEE], [TAKE, ASK, RESUME, ACCEPT]) == []


@pytest.mark.parametrize(
    ("statuses", "transitions", "errors"),
    [
        (
            [StatusSpec("recue", "Reçue"), EN_COURS, ACCEPTEE],
            [TAKE, ACCEPT],
            ["The workflow has no initial status: mark as initial the status of a request just filed."],
        ),
        (
            [RECUE, StatusSpec("en_cours", "En cours", is_initial=True), ACCEPTEE],
            [TAKE, ACCEPT],
            ["Only one status can be initial, not “Reçue”, “En cours”."],
        ),
        (
            [RECUE, EN_COURS, ACCEPTEE],
            [TAKE, ACCEPT, TransitionSpec("Rouvrir", ("acceptee",), "en_cours")],
            ["The final status “Acceptée” cannot be the source of an action (“Rouvrir”)."],
        ),
        (
            [RECUE, EN_COURS, ATTENTE, ACCEPTEE],
            [TAKE, RESUME, ACCEPT],
            ["The status “En attente” cannot be reached from the initial status by any action."],
        ),
        (
            [RECUE, EN_COURS],
            [TAKE],
            ["The workflow has no final status: instruction could never end."],
        ),
        (
            [RECUE, EN_COURS, ACCEPTEE],
            [TAKE, ACCEPT, TransitionSpec("Demander", ("en_cours",), "en_cours", asks_completion=True)],
            [
                "The action “Demander” asks the citizen to complete the request: its target “En cours” must wait for "
                "the citizen."
            ],
        ),
        (
            [RECUE, EN_COURS, ACCEPTEE],
            [TAKE, ACCEPT, TransitionSpec("Refuser", ("en_cours", "attente"), "refusee")],
            [
                "The action “Refuser” uses the status “attente”, which does not exist or is being deleted.",
                "The action “Refuser” uses the status “refusee”, which does not exist or is being deleted.",
            ],
        ),
    ],
    ids=["no-initial", "two-initials", "final-with-action", "unreachable", "no-final", "completion", "unknown"],
)
def test_a_workflow_that_cannot_work_is_described_by_its_errors(english, statuses, transitions, errors):
    assert workflow_errors(statuses, transitions) == errors


def test_the_standard_workflow_read_from_the_database_has_no_error(db, django_assert_num_queries):
    workflow = Workflow.objects.default()
    with django_assert_num_queries(3):
        statuses, transitions = workflow_specs(workflow)
    assert [status.key for status in statuses] == [row[0] for row in default_workflow.STATUSES]
    assert transitions[1] == TransitionSpec(
        "Demander des compléments", ("recue", "en_cours"), "attente", asks_completion=True
    )
    assert workflow_errors(statuses, transitions) == []


@pytest.fixture
def dave_client(client, dave):
    sign_in(client, dave)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


STATUSES = [
    ("recue", "Reçue", "is_initial"),
    ("en_cours", "En cours", ""),
    ("attente", "En attente", "waits_for_citizen"),
    ("acceptee", "Acceptée", "is_terminal"),
]
ACTIONS = [
    ("Prendre en charge", "recue", "en_cours", ""),
    ("Demander des pièces", "recue, en_cours", "attente", "asks_completion"),
    ("Reprendre", "attente", "en_cours", ""),
    ("Accepter", "recue,en_cours", "acceptee", ""),
]


def _data(statuses, actions, workflow=None):
    """The change form's POST data; rows whose identifier (or label) the workflow has are its existing rows."""
    status_ids = {s.key: s.pk for s in workflow.statuses.all()} if workflow else {}
    action_ids = {t.label: t.pk for t in workflow.transitions.all()} if workflow else {}
    data = {
        "name": workflow.name if workflow else "Permis de construire",
        "slug": workflow.slug if workflow else "permis",
        "description": "",
        "statuses-TOTAL_FORMS": len(statuses),
        "statuses-INITIAL_FORMS": sum(key in status_ids for key, _label, _flags in statuses),
        "transitions-TOTAL_FORMS": len(actions),
        "transitions-INITIAL_FORMS": sum(label in action_ids for label, *_rest in actions),
    }
    for index, (key, label, flags) in enumerate(statuses):
        row = {"id": status_ids.get(key, ""), "position": index + 1, "key": key, "label": label, "colour": "#1d4f91"}
        row |= {"citizen_label": label} | dict.fromkeys(flags.split(), "on")
        data |= {f"statuses-{index}-{name}": value for name, value in row.items()}
    for index, (label, sources, target, flags) in enumerate(actions):
        row = {"id": action_ids.get(label, ""), "position": index + 1, "label": label, "sources": sources}
        row |= {"target": target, "comment": "none", "comment_label": "", "assigns_department": ""}
        row |= {"notifies_citizen": "on"} | dict.fromkeys(flags.split(), "on")
        data |= {f"transitions-{index}-{name}": value for name, value in row.items()}
    return data


def _standard():
    statuses = [
        (
            key,
            label,
            " ".join(
                flag for flag, on in zip(["is_initial", "is_terminal", "waits_for_citizen"], flags, strict=True) if on
            ),
        )
        for key, label, _citizen, _colour, *flags in default_workflow.STATUSES
    ]
    actions = [
        (label, ", ".join(sources), target, "asks_completion" if options.get("asks_completion") else "")
        for label, sources, target, options in default_workflow.TRANSITIONS
    ]
    return statuses, actions


def test_an_administrator_creates_a_workflow_with_its_statuses_and_actions_in_one_submission(dave_client):
    response = dave_client.post(reverse("admin:teleservices_workflow_add"), _data(STATUSES, ACTIONS))

    assert response.status_code == 302, response.context["errors"]
    workflow = Workflow.objects.get(slug="permis")
    assert list(workflow.statuses.values_list("key", flat=True)) == ["recue", "en_cours", "attente", "acceptee"]
    assert workflow.initial_status.key == "recue"
    ask = workflow.transitions.get(label="Demander des pièces")
    assert ask.target.key == "attente" and ask.asks_completion
    assert {status.key for status in ask.sources.all()} == {"recue", "en_cours"}
    assert [t.label for t in Status.objects.get(workflow=workflow, key="en_cours").outgoing.all()] == [
        "Demander des pièces",
        "Accepter",
    ]
    assert workflow_errors(*workflow_specs(workflow)) == []


@pytest.mark.parametrize(
    ("statuses", "actions", "message"),
    [
        (
            [("recue", "Reçue", ""), *STATUSES[1:]],
            ACTIONS,
            "The workflow has no initial status: mark as initial the status of a request just filed.",
        ),
        (
            STATUSES,
            [*ACTIONS, ("Rouvrir", "acceptee", "en_cours", "")],
            "The final status “Acceptée” cannot be the source of an action (“Rouvrir”).",
        ),
        (
            [*STATUSES, ("classee", "Classée", "is_terminal")],
            ACTIONS,
            "The status “Classée” cannot be reached from the initial status by any action.",
        ),
    ],
    ids=["no-initial", "final-with-action", "unreachable"],
)
def test_a_workflow_that_cannot_work_is_refused_and_nothing_is_saved(dave_client, statuses, actions, message):
    response = dave_client.post(reverse("admin:teleservices_workflow_add"), _data(statuses, actions))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Workflow.objects.filter(slug="permis").exists()
    assert not Status.objects.filter(label="En attente").exists()


def test_the_change_form_shows_the_identifiers_of_the_statuses_of_each_action(
    dave_client, django_assert_max_num_queries
):
    workflow = Workflow.objects.default()
    with django_assert_max_num_queries(21):  # the template letters an action may send, read once
        response = dave_client.get(reverse("admin:teleservices_workflow_change", args=[workflow.pk]))
    assert 'value="recue, en_cours, attente"' in response.content.decode()


def test_a_status_that_an_action_uses_cannot_be_deleted_in_the_same_save(dave_client):
    workflow = Workflow.objects.default()
    statuses, actions = _standard()
    data = _data(statuses, actions, workflow) | {"statuses-2-DELETE": "on"}

    response = dave_client.post(reverse("admin:teleservices_workflow_change", args=[workflow.pk]), data)

    assert response.status_code == 200
    assert "The action “Reprendre l&#x27;instruction” uses the status “attente”" in response.content.decode()
    assert workflow.statuses.filter(key="attente").exists()


def test_an_existing_workflow_changes_its_initial_status_and_gains_an_action(dave_client):
    workflow = Workflow.objects.default()
    statuses, actions = _standard()
    statuses = [("en_cours", "En cours d'instruction", "is_initial"), ("recue", "Reçue", ""), *statuses[2:]]
    actions = [*actions, ("Renvoyer à l'accueil", "en_cours", "recue", "")]

    response = dave_client.post(
        reverse("admin:teleservices_workflow_change", args=[workflow.pk]), _data(statuses, actions, workflow)
    )

    assert response.status_code == 302, response.context["errors"]
    assert workflow.initial_status.key == "en_cours"
    back = workflow.transitions.get(label="Renvoyer à l'accueil")
    assert back.target.key == "recue" and [s.key for s in back.sources.all()] == ["en_cours"]
    assert workflow.transitions.count() == len(default_workflow.TRANSITIONS) + 1


def test_the_list_of_workflows_counts_their_statuses(dave_client):
    Workflow.objects.default()
    response = dave_client.get(reverse("admin:teleservices_workflow_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_list.get(slug="standard").status_count == len(default_workflow.STATUSES)


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get(reverse("admin:teleservices_workflow_changelist"))
    assert response.status_code == 302 and "/login/" in response.url
