"""Exports of the board's list: contents in CSV and XLSX, filters, the worker's path for long lists, access, purge."""

import codecs
import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from cryptography.exceptions import InvalidTag
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice import exports, services
from backoffice.models import EXPORT_ATTEMPTS, Export
from tests.backoffice.conftest import BIRTH, submit
from tests.conftest import sign_in
from tests.factories import MembershipFactory
from vault import crypto

EXPORT = reverse("backoffice:export_create")
PARIS = timezone.get_default_timezone()
FILED = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)  # 10:30 in Paris
HEADERS = [
    "Référence",
    "Démarche",
    "Statut",
    "Canal",
    "Déposée le",
    "Échéance",
    "Décidée le",
    "Usager",
    "Adresse électronique",
    "Téléphone",
    "Service",
    "Attribué à",
]


def _content(response):
    return b"".join(response.streaming_content)


def _csv(content):
    assert content.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _sheet(content):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def _export(client, format="csv", query=""):
    return client.post(EXPORT, {"format": format, "query": query})


@pytest.fixture
def filed_case(alice, teleservices):
    """alice's birth certificate request, filed at a known time."""
    answers = {**BIRTH, "nom": "Martin", "prenoms": "Alice Jeanne", "date_naissance": "1990-05-14"}
    with time_machine.travel(FILED, tick=False):
        return submit(alice, teleservices["acte-de-naissance"], {**answers, "telephone": "+33612345678"})


def test_the_csv_export_has_the_cases_columns_and_every_answer(bob_client, filed_case):
    response = _export(bob_client, "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="demandes-')
    header, row = _csv(_content(response))
    assert header[: len(HEADERS)] == HEADERS
    assert header[len(HEADERS) :] == [
        "L'acte concerne",
        "Nom de naissance",
        "Prénoms",
        "Date de naissance",
        "Type d'acte",
        "Nombre d'exemplaires",
        "Comment souhaitez-vous le recevoir ?",
        "Adresse d'envoi",
        "Téléphone",
    ]
    deadline = f"{filed_case.deadline:%d/%m/%Y}"
    assert row[: len(HEADERS)] == [
        filed_case.reference,
        "Demande d'acte de naissance",
        "Reçue",
        "En ligne",
        "02/03/2026 10:30",
        deadline,
        "",
        "Alice Martin",
        "alice@example.org",
        "",
        "État civil",
        "",
    ]
    assert row[len(HEADERS) :] == [
        "Moi-même",
        "Martin",
        "Alice Jeanne",
        "14 mai 1990",
        "Copie intégrale",
        "1",
        "À retirer en mairie",
        "",  # the address, not asked when the act is collected at the town hall
        "06 12 34 56 78",
    ]


def test_the_xlsx_export_has_bold_headers_local_dates_and_the_answers(bob_client, bob, filed_case):
    services.case_assign(case=filed_case, assignee=bob, actor=bob)
    response = _export(bob_client, "xlsx")
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = _sheet(_content(response))
    assert sheet.title == "Demandes"
    header, row = list(sheet.iter_rows(values_only=True))
    assert list(header[: len(HEADERS)]) == HEADERS and sheet["A1"].font.bold
    assert row[0] == filed_case.reference
    assert row[4] == datetime.datetime(2026, 3, 2, 10, 30, tzinfo=PARIS).replace(tzinfo=None)
    assert sheet["E2"].number_format == "DD/MM/YYYY HH:MM"
    assert row[5].date() == filed_case.deadline
    assert row[11] == "Bob Agent"
    assert header.index("Type d'acte") == row.index("Copie intégrale")


def test_the_export_follows_the_board_filters(bob_client, bob, alice, eve, teleservices):
    alices = submit(alice, teleservices["acte-de-naissance"])
    submit(eve, teleservices["acte-de-naissance"])
    services.case_assign(case=alices, assignee=bob, actor=bob)
    _header, *rows = _csv(_content(_export(bob_client, query="vue=mine")))
    assert [row[0] for row in rows] == [alices.reference]
    _header, *rows = _csv(_content(_export(bob_client, query="q=Durand")))
    assert [row[7] for row in rows] == ["Ève Durand"]


def test_the_export_never_includes_cases_of_other_departments(carol_client, birth_case):
    header, *rows = _csv(_content(_export(carol_client)))
    assert header[: len(HEADERS)] == HEADERS and rows == []


def test_answers_of_several_procedures_have_their_titles_and_block_rows_are_spelled_out(
    bob_client, bob, alice, teleservices, urbanisme
):
    MembershipFactory(user=bob, department=urbanisme)
    submit(alice, teleservices["acte-de-naissance"])
    occupation = {
        "statut": "particulier",
        "email": "alice@example.org",
        "motif": "terrasse",
        "date_debut": "2026-06-01",
        "date_fin": "2026-06-30",
        "surface": "12.5",
        "lieu": {"street": "2 place du Marché", "postcode": "45630", "city": "Beaulieu-sur-Loire"},
        "materiel": [{"designation": "Table", "quantite": 4}, {"designation": "Parasol", "quantite": 2}],
    }
    submit(alice, teleservices["occupation-domaine-public"], occupation)
    header, *rows = _csv(_content(_export(bob_client)))
    assert "Demande d'acte de naissance — Type d'acte" in header
    row = next(row for row in rows if row[1] == "Occupation du domaine public")
    by_header = dict(zip(header, row, strict=True))
    assert by_header["Occupation du domaine public — Matériel installé"] == (
        "Désignation : Table, Quantité : 4 / Désignation : Parasol, Quantité : 2"
    )
    assert by_header["Occupation du domaine public — Surface occupée (m²)"] == "12,5"
    assert by_header["Demande d'acte de naissance — Type d'acte"] == ""


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_cells_a_spreadsheet_would_run_as_formulas_start_with_an_apostrophe(bob_client, alice, teleservices, format):
    answers = {**BIRTH, "nom": '=HYPERLINK("https://evil.example")', "prenoms": "@SUM(A1)", "telephone": ""}
    submit(alice, teleservices["acte-de-naissance"], answers)
    content = _content(_export(bob_client, format))
    if format == "csv":
        header, row = _csv(content)
        values = dict(zip(header, row, strict=True))
    else:
        header, row = _sheet(content).iter_rows()
        assert {cell.data_type for cell in row} <= {"s", "n", "d"}  # no formula
        values = {h.value: cell.value for h, cell in zip(header, row, strict=True)}
    assert values["Nom de naissance"] == '\'=HYPERLINK("https://evil.example")'
    assert values["Prénoms"] == "'@SUM(A1)"


def test_the_board_offers_the_export_of_its_list(bob_client, birth_case):
    page = bob_client.get(reverse("backoffice:home"), {"vue": "mine", "state": "all"}).content.decode()
    assert f'action="{EXPORT}"' not in page  # nothing to export
    page = bob_client.get(reverse("backoffice:home"), {"state": "all"}).content.decode()
    assert f'action="{EXPORT}"' in page and 'name="query" value="state=all"' in page
    assert '<label for="export-format">' in page


def test_a_wrong_format_or_wrong_filters_come_back_to_the_board_with_a_message(bob_client, birth_case):
    response = _export(bob_client, "pdf", "vue=mine")
    assert response.status_code == 302 and response["Location"] == f"{reverse('backoffice:home')}?vue=mine"
    response = _export(bob_client, "csv", "since=hier")
    assert response.status_code == 302
    messages = [str(m) for m in bob_client.get(response["Location"]).context["messages"]]
    assert messages == [_("Choose the format of the export."), _("The filters of this list are not valid.")]
    assert Export.objects.count() == 0


def test_exports_are_for_signed_in_agents_only(client, alice, bob):
    detail = reverse("backoffice:export", args=[Export.objects.create(owner=bob, format="csv").pk])
    for response in (client.post(EXPORT, {"format": "csv"}), client.get(detail)):
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    client.force_login(alice)
    assert client.post(EXPORT, {"format": "csv"}).status_code == 403
    assert client.get(detail).status_code == 403


def test_export_pages_refuse_the_wrong_method(bob_client, bob):
    export = Export.objects.create(owner=bob, format="csv")
    assert bob_client.get(EXPORT).status_code == 405
    assert bob_client.post(export.get_absolute_url()).status_code == 405
    assert bob_client.post(reverse("backoffice:export_download", args=[export.pk])).status_code == 405


def _long_export(bob_client, monkeypatch, django_capture_on_commit_callbacks, format="csv"):
    """bob exports a list longer than the direct maximum: a worker writes it."""
    monkeypatch.setattr(exports, "EXPORT_DIRECT_MAX", 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = _export(bob_client, format, "state=all")
    export = Export.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("backoffice:export", args=[export.pk])
    return export


def test_a_long_list_is_written_by_a_worker_then_downloaded_from_its_page(
    bob_client, bob, alice, teleservices, monkeypatch, django_capture_on_commit_callbacks
):
    references = {submit(alice, teleservices["acte-de-naissance"]).reference for _i in range(3)}
    export = _long_export(bob_client, monkeypatch, django_capture_on_commit_callbacks)
    export.refresh_from_db()
    assert (export.state, export.rows_done, export.rows_total, export.owner) == ("done", 3, 3, bob)
    assert export.finished_at is not None and export.file.name.startswith("exports/")
    page = bob_client.get(export.get_absolute_url()).content.decode()
    download = reverse("backoffice:export_download", args=[export.pk])
    assert f'href="{download}"' in page and "hx-trigger" not in page and "<progress" not in page
    response = bob_client.get(download)
    assert response["Content-Disposition"] == f'attachment; filename="{export.filename}"'
    _header, *rows = _csv(_content(response))
    assert {row[0] for row in rows} == references
    assert exports.export_run(export_id=export.pk) is None  # a retried task leaves a finished export alone


def test_the_page_of_an_export_being_written_shows_its_progress_and_polls(bob_client, bob):
    export = Export.objects.create(owner=bob, format="xlsx", state="running", rows_done=1500, rows_total=6000)
    page = bob_client.get(export.get_absolute_url()).content.decode()
    assert 'max="6000"' in page and 'value="1500"' in page and 'data-hx-trigger="every 3s"' in page
    assert "/telecharger/" not in page


def test_the_progress_is_recorded_every_few_hundred_rows(alice, teleservices, bob, monkeypatch):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    for _i in range(5):
        submit(alice, teleservices["acte-de-naissance"])
    recorded = []
    out = io.BytesIO()
    cases = exports.cases_to_export(agent=bob, query="")
    assert exports.export_write(cases, format="csv", out=out, progress=recorded.append) == 5
    assert recorded == [2, 4]


def test_an_export_whose_task_was_lost_is_queued_again_and_written(bob, birth_case, settings):
    """The broker was down when it was asked for: the sweeper queues it once it has waited EXPORT_GRACE."""
    lost = Export.objects.create(owner=bob, format="csv")
    Export.objects.create(owner=bob, format="csv", state="done", file="exports/x.csv")  # finished: left alone
    assert exports.exports_run_stale(now=timezone.now()) == 0  # its own task may still come
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert exports.exports_run_stale(now=timezone.now() + exports.EXPORT_GRACE) == 1
    lost.refresh_from_db()
    assert lost.state == "done" and lost.rows_done == 1


def test_an_export_whose_filters_went_wrong_fails_and_says_so(bob_client, bob, birth_case):
    export = Export.objects.create(owner=bob, format="csv", query="since=hier")
    exports.export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.state == "failed" and not export.file
    page = bob_client.get(export.get_absolute_url()).content.decode()
    assert "notice--error" in page and "hx-trigger" not in page
    assert bob_client.get(reverse("backoffice:export_download", args=[export.pk])).status_code == 404


def test_carol_can_neither_see_nor_download_bobs_export(
    bob_client, carol, birth_case, monkeypatch, django_capture_on_commit_callbacks
):
    submit(birth_case.user, birth_case.teleservice)
    export = _long_export(bob_client, monkeypatch, django_capture_on_commit_callbacks)
    sign_in(bob_client, carol)
    assert bob_client.get(export.get_absolute_url()).status_code == 404
    assert bob_client.get(reverse("backoffice:export_download", args=[export.pk])).status_code == 404


def test_exports_and_their_files_are_deleted_after_a_day(
    bob_client, birth_case, monkeypatch, django_capture_on_commit_callbacks
):
    submit(birth_case.user, birth_case.teleservice)
    old = _long_export(bob_client, monkeypatch, django_capture_on_commit_callbacks)
    old.refresh_from_db()
    storage, name = old.file.storage, old.file.name
    assert storage.exists(name)
    recent = Export.objects.create(
        owner=old.owner, format="csv", created_at=timezone.now() + datetime.timedelta(hours=2)
    )
    assert exports.exports_purge(now=timezone.now() + datetime.timedelta(hours=25)) == 1
    assert not storage.exists(name)
    assert list(Export.objects.all()) == [recent]


def test_the_export_query_count_does_not_grow_with_the_rows(
    bob_client, alice, teleservices, django_assert_max_num_queries
):
    submit(alice, teleservices["acte-de-naissance"])
    with django_assert_max_num_queries(20) as few:
        _content(_export(bob_client, "xlsx"))
    for _i in range(5):
        submit(alice, teleservices["acte-de-naissance"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        _content(_export(bob_client, "xlsx"))


def test_an_export_being_written_by_a_worker_is_left_alone_by_a_second_delivery_of_its_task(bob, birth_case):
    """A task delivered twice (the sweeper queued it while the first waited in a busy queue, or the broker handed it
    again) writes the file once: the second finds the export running and does nothing."""
    export = exports.export_create(owner=bob, format="csv", query="")
    Export.objects.filter(pk=export.pk).update(state="running", started_at=timezone.now(), attempts=1, rows_done=40)
    assert exports.export_run(export_id=export.pk) is None
    export.refresh_from_db()
    assert (export.state, export.rows_done, export.attempts, export.file.name) == ("running", 40, 1, "")


def test_an_export_whose_worker_died_is_written_again_once_its_time_limit_has_passed(bob, birth_case, settings):
    export = exports.export_create(owner=bob, format="csv", query="")
    died = timezone.now() - exports.EXPORT_STALL - datetime.timedelta(seconds=1)
    Export.objects.filter(pk=export.pk).update(state="running", started_at=died, attempts=1)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert exports.exports_run_stale(now=timezone.now()) == 1  # the sweeper queues it again
    export.refresh_from_db()
    assert (export.state, export.rows_done, export.attempts) == ("done", 1, 2)


def test_an_export_whose_worker_died_too_often_fails_instead_of_being_tried_forever(bob, birth_case):
    export = exports.export_create(owner=bob, format="csv", query="")
    died = timezone.now() - exports.EXPORT_STALL - datetime.timedelta(seconds=1)
    Export.objects.filter(pk=export.pk).update(state="running", started_at=died, attempts=EXPORT_ATTEMPTS)
    assert exports.export_run(export_id=export.pk) is None
    assert exports.exports_run_stale(now=timezone.now()) == 0
    export.refresh_from_db()
    assert export.state == "failed" and export.finished_at is not None


def test_an_agent_removed_from_a_department_loses_the_exports_they_made_while_a_member(
    bob_client, bob, birth_case, monkeypatch, django_capture_on_commit_callbacks
):
    submit(birth_case.user, birth_case.teleservice)
    export = _long_export(bob_client, monkeypatch, django_capture_on_commit_callbacks)
    download = reverse("backoffice:export_download", args=[export.pk])
    response = bob_client.get(download)
    assert response.status_code == 200 and _content(response)

    bob.memberships.get(department__slug="enfance").delete()  # as an administrator does it in the admin
    assert bob_client.get(export.get_absolute_url()).status_code == 404
    assert bob_client.get(download).status_code == 404


def _stored(export):
    export.refresh_from_db()
    with export.file.open("rb") as blob:
        return blob.read()


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_an_export_is_stored_encrypted_and_downloaded_in_clear_by_its_owner_only(
    bob_client, carol, alice, teleservices, etat_civil, monkeypatch, django_capture_on_commit_callbacks, format
):
    references = {submit(alice, teleservices["acte-de-naissance"]).reference for _i in range(2)}
    export = _long_export(bob_client, monkeypatch, django_capture_on_commit_callbacks, format)
    stored = _stored(export)
    assert not stored.startswith((b"PK", codecs.BOM_UTF8)) and "Référence".encode() not in stored
    assert not any(reference.encode() in stored for reference in references)
    assert export.key_id == crypto.current_key_id()
    content = _content(bob_client.get(reverse("backoffice:export_download", args=[export.pk])))
    if format == "csv":
        rows = _csv(content)[1:]
    else:
        rows = [[cell.value for cell in row] for row in _sheet(content).iter_rows(min_row=2)]
    assert {row[0] for row in rows} == references
    MembershipFactory(user=carol, department=etat_civil)  # a colleague of bob's: not her export all the same
    sign_in(bob_client, carol)
    assert bob_client.get(reverse("backoffice:export_download", args=[export.pk])).status_code == 404


def test_an_exports_file_copied_onto_another_export_does_not_decrypt(
    bob_client, bob, birth_case, monkeypatch, django_capture_on_commit_callbacks
):
    submit(birth_case.user, birth_case.teleservice)
    export = _long_export(bob_client, monkeypatch, django_capture_on_commit_callbacks)
    export.refresh_from_db()
    copy = Export.objects.create(owner=bob, format="csv", state="done", file=export.file.name, key_id=export.key_id)
    with pytest.raises(InvalidTag):
        bob_client.get(reverse("backoffice:export_download", args=[copy.pk]))
