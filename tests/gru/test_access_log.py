"""Every read of a citizen's data by an agent is written in the access log, shown to the citizen ("Qui a consulté mes
données"); the database refuses to change or delete a row, even to the application's own role, but for the purge of
rows past their retention."""

import datetime
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backoffice import exports
from backoffice.models import Export
from gru.access_log import access_log_purge
from gru.models import Access, Membership
from gru.workdays import months_before
from teleservices import services as teleservices_services
from tests.backoffice.conftest import submit
from tests.conftest import sign_in
from tests.teleservices.conftest import pdf_bytes
from vault.files import file_check


def _reads_of(citizen):
    client = Client()
    client.force_login(citizen)
    return client.get(reverse("portal:access_log")).content.decode()


def test_bobs_read_of_alices_request_is_in_her_list_and_in_nobody_elses(bob_client, bob, alice, eve, birth_case):
    assert bob_client.get(reverse("backoffice:case", args=[birth_case.reference])).status_code == 200
    read = Access.objects.get()
    assert (read.agent, read.citizen, read.kind, read.department.name) == (bob, alice, "case", "État civil")
    page = _reads_of(alice)
    assert f"Service État civil — un agent a consulté votre demande {birth_case.reference} le " in page
    assert "Bob" not in page
    assert birth_case.reference not in _reads_of(eve)


def test_the_agents_names_are_shown_when_the_collectivite_chooses_it(bob_client, alice, birth_case, settings):
    settings.ACCESS_LOG_SHOWS_AGENT_NAMES = True
    bob_client.get(reverse("backoffice:case", args=[birth_case.reference]))
    assert f"Bob Agent (État civil) a consulté votre demande {birth_case.reference}" in _reads_of(alice)


def test_the_citizen_page_is_written_with_the_request_justifying_it(bob_client, alice, birth_case):
    bob_client.get(reverse("backoffice:citizen", args=[alice.pk]))
    read = Access.objects.get(kind=Access.Kind.CITIZEN)
    assert (read.citizen, read.reason) == (alice, birth_case.reference)
    assert "a consulté votre fiche usager (vos demandes et vos documents) pour votre demande" in _reads_of(alice)


def test_a_file_of_alices_opened_by_bob_is_written_and_her_own_reads_are_not(bob_client, alice, birth_case):
    checked = file_check(SimpleUploadedFile("rib.pdf", pdf_bytes(), "application/pdf"), types=["pdf"], max_size=10**7)
    message = teleservices_services.case_message_post(
        case=birth_case, author=alice, body="Mon RIB", files=[checked], from_agent=False
    )
    url = reverse("vault:file", args=[message.attachments.get().public_id])
    assert bob_client.get(url).status_code == 200
    assert "a ouvert votre fichier « rib.pdf »" in _reads_of(alice)
    owner = Client()
    owner.force_login(alice)
    assert owner.get(url).status_code == 200
    assert Access.objects.filter(kind=Access.Kind.DOCUMENT).count() == 1


def test_a_page_refused_to_an_agent_writes_nothing(client, carol, alice, birth_case):
    sign_in(client, carol)
    carol_client = client
    assert carol_client.get(reverse("backoffice:case", args=[birth_case.reference])).status_code == 404
    assert carol_client.get(reverse("backoffice:citizen", args=[alice.pk])).status_code == 404
    assert not Access.objects.exists()


def _read(at, citizen, agent):
    return Access.objects.create(
        at=at, agent=agent, citizen=citizen, kind=Access.Kind.CASE, subject="DEM", reason="DEM"
    )


def test_the_database_refuses_to_change_or_delete_a_row(alice, bob):
    read = _read(timezone.now(), alice, bob)
    for change in (lambda: Access.objects.filter(pk=read.pk).update(subject="rien"), read.delete):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
    assert Access.objects.get().subject == "DEM"


@pytest.fixture
def application_role(db):
    """A role that does not own the tables, as the application connects in production, with the rights it is given
    on the log (docs/DEPLOYMENT.md); the test's transaction takes it back."""
    role = f"gru_app_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON gru_access TO {role}")
        cursor.execute(f"GRANT EXECUTE ON FUNCTION gru_access_purge(timestamptz) TO {role}")
        cursor.execute(f"SET ROLE {role}")
    yield role
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def _refused(sql, params=()):
    with pytest.raises(DatabaseError, match="append-only|keeps its last month"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_the_application_role_cannot_delete_even_claiming_to_purge(alice, bob, application_role):
    now = timezone.now()
    old, recent = _read(now - datetime.timedelta(days=800), alice, bob), _read(now, alice, bob)
    _refused("UPDATE gru_access SET subject = 'rien'")
    _refused("DELETE FROM gru_access")
    _refused("SELECT set_config('gru.access_purge', 'on', true); DELETE FROM gru_access")
    _refused("SELECT gru_access_purge(%s)", [now])  # the last month stays, whatever the caller asks
    assert access_log_purge(now=now) == 1  # through the database's function only
    assert list(Access.objects.values_list("pk", flat=True)) == [recent.pk] and old.pk != recent.pk


def test_the_purge_keeps_the_retention_months(alice, bob, settings):
    settings.ACCESS_LOG_RETENTION_MONTHS = 12
    now = timezone.now()
    kept = _read(months_before(now, 12) + datetime.timedelta(hours=1), alice, bob)
    _read(months_before(now, 12) - datetime.timedelta(hours=1), alice, bob)
    assert access_log_purge(now=now) == 1
    assert list(Access.objects.all()) == [kept]


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [((2026, 3, 31), 1, (2026, 2, 28)), ((2026, 1, 15), 12, (2025, 1, 15)), ((2026, 2, 10), 14, (2024, 12, 10))],
)
def test_months_before_counts_calendar_months(moment, months, expected):
    at = datetime.datetime(*moment, 10, tzinfo=datetime.UTC)
    assert months_before(at, months) == datetime.datetime(*expected, 10, tzinfo=datetime.UTC)


def test_reading_the_log_in_the_admin_is_itself_written_down(client, dave, alice, bob):
    _read(timezone.now(), alice, bob)
    sign_in(client, dave)
    assert client.get(reverse("admin:gru_access_changelist")).status_code == 200
    assert Access.objects.filter(kind=Access.Kind.LOG, agent=dave).count() == 1
    assert client.get(reverse("admin:gru_access_change", args=[Access.objects.first().pk])).status_code == 200


def test_a_manager_reads_the_log_of_their_department_only_and_that_read_is_written(
    client, bob, carol, alice, etat_civil, urbanisme
):
    Membership.objects.filter(user=bob, department=etat_civil).update(role=Membership.Role.MANAGER)
    Access.objects.create(agent=bob, department=etat_civil, citizen=alice, kind="case", subject="DEM-EC", reason="x")
    Access.objects.create(agent=carol, department=urbanisme, citizen=alice, kind="case", subject="DEM-UR", reason="x")
    sign_in(client, bob)
    assert reverse("backoffice:access_log") in client.get(reverse("backoffice:dashboard")).content.decode()
    page = client.get(reverse("backoffice:access_log")).content.decode()
    assert "DEM-EC" in page and "DEM-UR" not in page
    assert Access.objects.filter(kind=Access.Kind.LOG, agent=bob, department=etat_civil).exists()


def test_an_agent_who_manages_nothing_is_refused_the_log(client, carol):
    sign_in(client, carol)
    assert client.get(reverse("backoffice:access_log")).status_code == 403
    assert reverse("backoffice:access_log") not in client.get(reverse("backoffice:dashboard")).content.decode()


def _read_whole(response):
    """Read a streamed file to its end (which closes it)."""
    b"".join(response.streaming_content)


def test_an_export_writes_each_of_its_requests_in_the_log_of_its_citizen(bob_client, bob, alice, eve, teleservices):
    theirs = {user: submit(user, teleservices["acte-de-naissance"]) for user in (alice, eve)}
    response = bob_client.post(reverse("backoffice:export_create"), {"format": "csv", "query": "state=all"})
    assert response.status_code == 200
    _read_whole(response)
    reads = Access.objects.filter(kind=Access.Kind.EXPORT, agent=bob)
    assert {(read.citizen, read.subject) for read in reads} == {(u, case.reference) for u, case in theirs.items()}
    assert f"a exporté votre demande {theirs[alice].reference} dans une liste" in _reads_of(alice)
    assert theirs[alice].reference not in _reads_of(eve)


def test_a_long_export_is_written_in_the_log_when_downloaded_not_when_written(
    bob_client, bob, alice, teleservices, settings, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exports, "EXPORT_DIRECT_MAX", 0)
    case = submit(alice, teleservices["acte-de-naissance"])
    with django_capture_on_commit_callbacks(execute=True):
        bob_client.post(reverse("backoffice:export_create"), {"format": "csv", "query": "state=all"})
    export = Export.objects.get()
    assert not Access.objects.filter(kind=Access.Kind.EXPORT).exists()
    response = bob_client.get(reverse("backoffice:export_download", args=[export.pk]))
    assert response.status_code == 200
    _read_whole(response)
    read = Access.objects.get(kind=Access.Kind.EXPORT)
    assert (read.citizen, read.subject, read.reason) == (alice, case.reference, export.filename)
