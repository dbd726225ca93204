"""Who reaches which back-office page: the personas × URLs matrix, and sharing a case for an opinion."""

import pytest
from django.urls import reverse

from backoffice import services
from gru.models import Membership
from tests.backoffice.conftest import action
from tests.conftest import sign_in
from tests.factories import MembershipFactory

OK, FORBIDDEN, NOT_FOUND, LOGIN = 200, 403, 404, 302


def _urls(case):
    return {
        "board": reverse("backoffice:home"),
        "case": reverse("backoffice:case", args=[case.reference]),
        "citizen": reverse("backoffice:citizen", args=[case.user_id]),
        "intake": reverse("backoffice:intake"),
        "dashboard": reverse("backoffice:dashboard"),
        "file": reverse("vault:file", args=[case.files.first().public_id]) if case.files.exists() else None,
    }


# alice and eve are citizens (not agents), bob instructs État civil, carol is of Urbanisme, dave administers but is
# no agent of any department.
PAGES = ["board", "case", "citizen", "intake", "dashboard"]
AGENT_ONLY = {page: FORBIDDEN for page in PAGES}
MATRIX = {
    "anonymous": {page: LOGIN for page in PAGES},
    "alice": AGENT_ONLY,
    "eve": AGENT_ONLY,
    "bob": {page: OK for page in PAGES},
    "carol": {"board": OK, "case": NOT_FOUND, "citizen": NOT_FOUND, "intake": OK, "dashboard": OK},
    "dave": AGENT_ONLY,
}


@pytest.mark.parametrize("persona", MATRIX)
@pytest.mark.parametrize("page", PAGES)
def test_back_office_pages_by_persona(client, request, birth_case, persona, page):
    if persona != "anonymous":
        sign_in(client, request.getfixturevalue(persona))
    response = client.get(_urls(birth_case)[page])
    assert response.status_code == MATRIX[persona][page]


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("transition", lambda case: [case.reference, action(case, "Accepter").pk]),
        ("assign", lambda case: [case.reference]),
        ("message", lambda case: [case.reference]),
        ("note", lambda case: [case.reference]),
        ("share", lambda case: [case.reference]),
    ],
)
def test_an_agent_of_another_department_cannot_act_on_a_case(carol_client, birth_case, name, args):
    response = carol_client.post(reverse(f"backoffice:{name}", args=args(birth_case)), {"body": "x", "action": "take"})
    assert response.status_code == NOT_FOUND
    assert birth_case.notes.count() == 0 and birth_case.messages.count() == 0


def test_action_pages_refuse_get(bob_client, birth_case):
    assert bob_client.get(reverse("backoffice:note", args=[birth_case.reference])).status_code == 405


def test_a_case_shared_for_an_opinion_can_be_read_and_annotated_but_not_instructed(client, bob, carol, birth_case):
    services.case_share(case=birth_case, agent=carol, actor=bob)
    sign_in(client, carol)
    page = client.get(reverse("backoffice:case", args=[birth_case.reference]))
    assert page.status_code == 200 and "partagé pour avis" in page.content.decode()
    client.post(reverse("backoffice:note", args=[birth_case.reference]), {"body": "Avis favorable"})
    assert birth_case.notes.get().author == carol
    client.post(reverse("backoffice:transition", args=[birth_case.reference, action(birth_case, "Accepter").pk]))
    birth_case.refresh_from_db()
    assert birth_case.status.key == "recue"
    assert birth_case.reference not in client.get(reverse("backoffice:home")).content.decode()  # not her department's
    shared_tab = client.get(reverse("backoffice:home"), {"vue": "shared"}).content.decode()
    assert birth_case.reference in shared_tab


def test_an_agent_takes_a_case_but_only_a_manager_gives_it_to_someone_else(client, bob, etat_civil, birth_case):
    colleague = MembershipFactory(department=etat_civil).user
    url = reverse("backoffice:assign", args=[birth_case.reference])
    sign_in(client, bob)
    client.post(url, {"action": "take"})
    birth_case.refresh_from_db()
    assert birth_case.assignee == bob
    response = client.post(url, {"action": "assign", "assignee": colleague.pk})
    assert "Seuls les responsables" in response.content.decode()
    birth_case.refresh_from_db()
    assert birth_case.assignee == bob
    Membership.objects.filter(user=bob).update(role=Membership.Role.MANAGER)
    client.post(url, {"action": "assign", "assignee": colleague.pk})
    birth_case.refresh_from_db()
    assert birth_case.assignee == colleague
