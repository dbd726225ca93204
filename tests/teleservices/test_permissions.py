"""A citizen sees only their own and their household's requests; every URL is scoped."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teleservices import services
from teleservices.models import Case
from tests.factories import UserFactory
from vault.files import file_check

REPORT = {"categorie": "eclairage", "localisation": "Devant le 4 rue des Tilleuls"}


@pytest.fixture
def alice_case(alice, teleservices):
    case = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
    case = services.case_page_save(case=case, answers=REPORT, files={}, page=0)
    case = services.case_submit(case=case)
    services.case_message_post(case=case, author=alice, body="Bonjour", files=[], from_agent=False)
    return case


@pytest.fixture
def alice_draft(alice, teleservices):
    return services.case_start(user=alice, teleservice=teleservices["acte-de-naissance"])


def _case_urls(case):
    return [
        reverse("teleservices:case", args=[case.reference]),
        reverse("teleservices:confirmation", args=[case.reference]),
    ]


def _draft_urls(draft):
    return [
        reverse("teleservices:fill", args=[draft.public_id, 1]),
        reverse("teleservices:review", args=[draft.public_id]),
    ]


def test_another_citizen_gets_404_on_every_url_of_alices_requests(eve_client, alice_case, alice_draft):
    for url in [*_case_urls(alice_case), *_draft_urls(alice_draft)]:
        assert eve_client.get(url).status_code == 404, url
    assert eve_client.post(reverse("teleservices:case", args=[alice_case.reference]), {"body": "x"}).status_code == 404
    assert eve_client.post(reverse("teleservices:draft_delete", args=[alice_draft.public_id])).status_code == 404
    assert eve_client.post(reverse("teleservices:review", args=[alice_draft.public_id])).status_code == 404
    assert alice_case.reference not in eve_client.get(reverse("teleservices:my_requests")).content.decode()


def test_another_citizen_gets_404_on_alices_files(eve, alice_client, alice, alice_case, pdf_upload):
    attachment = file_check(pdf_upload(), types=["pdf"], max_size=10**6)
    message = services.case_message_post(
        case=alice_case, author=alice, body="Voici", files=[attachment], from_agent=False
    )
    url = message.attachments.get().get_absolute_url()
    eve_client = Client()
    eve_client.force_login(eve)
    assert eve_client.get(url).status_code == 404
    response = alice_client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_anonymous_visitors_are_sent_to_sign_in(client, alice_case, alice_draft):
    for url in [*_case_urls(alice_case), *_draft_urls(alice_draft), reverse("teleservices:my_requests")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login")), url


def test_a_household_member_sees_the_households_submitted_requests_but_not_its_drafts(
    client, alice, alice_case, alice_draft
):
    julien = UserFactory(email="julien@example.org", first_name="Julien", last_name="Martin")
    member = alice.household_member.household.members.get(first_name="Julien")
    member.user = julien
    member.save()
    client.force_login(julien)
    assert client.get(reverse("teleservices:case", args=[alice_case.reference])).status_code == 200
    for url in _draft_urls(alice_draft):
        assert client.get(url).status_code == 404


def test_wrong_methods_are_refused(alice_client, alice_case, alice_draft):
    assert alice_client.put(reverse("teleservices:case", args=[alice_case.reference])).status_code == 405
    assert alice_client.put(reverse("teleservices:draft_delete", args=[alice_draft.public_id])).status_code == 405
    assert alice_client.post(reverse("teleservices:my_requests")).status_code == 405
    assert alice_client.post(reverse("teleservices:catalogue")).status_code == 405


def test_the_preview_is_for_administrators_only(alice_client, teleservices):
    url = reverse("teleservices:preview", args=["inscription-scolaire", 1])
    response = alice_client.get(url)
    assert response.status_code == 302 and "/admin/" in response["Location"]


def test_the_case_page_costs_the_same_queries_whatever_the_thread_length(
    alice_client, alice, alice_case, django_assert_max_num_queries
):
    url = reverse("teleservices:case", args=[alice_case.reference])
    alice_client.get(url)
    with CaptureQueriesContext(connection) as few:
        alice_client.get(url)
    for n in range(5):
        services.case_message_post(case=alice_case, author=alice, body=f"Message {n}", files=[], from_agent=n % 2 == 0)
    with django_assert_max_num_queries(len(few)):
        assert alice_client.get(url).status_code == 200


def test_a_citizens_requests_are_found_by_index_not_by_reading_every_case(alice, alice_case, alice_draft):
    """With sequential scans made as dear as PostgreSQL allows, an `IN (subquery)` inside the OR still makes the
    planner read every case (or a whole index); compared with a scalar subquery, the household's id is looked up in
    the household_id index."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Case.objects.visible_to_citizen(alice).explain()
    assert "Index Cond: (household_id = " in plan and "Seq Scan on teleservices_case" not in plan
