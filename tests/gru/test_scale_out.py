"""Several web processes: with S3-compatible storage no process keeps a file on its own disk (a submission with an
attachment, a letter with the collectivité's logo, an export and the day's letters to post, against moto's S3 server),
and two real web servers on one database serve one citizen, whose draft saved through one is submitted through the
other with the same session cookie (sessions live in the database, read through the shared Redis cache)."""

import logging
import os
import re
import subprocess
import sys

import boto3
import pytest
import requests
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer

from backoffice import exports
from backoffice.models import Export
from letters.models import Kind, Letter, LetterTemplate
from teleservices.models import Case
from tests.backoffice.conftest import submit
from tests.conftest import sign_in
from tests.factories import PASSWORD
from tests.servers import free_port
from tests.teleservices.conftest import png_bytes
from tests.web_processes import WEB_SECRET_KEY, database_url, portal_environment, web_process
from vault.models import StoredFile

REPORT = {"action": "continue", "categorie": "proprete", "localisation": "Place du marché"}
# A bucket of this module's own: moto keeps its buckets in the process, shared by every moto server of the test run.
BUCKET = "gru-scale-out"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "eu-west-3"}


@pytest.fixture(scope="module")
def s3_bucket():
    """moto's S3 server on a free port, with an empty bucket, both gone at the end."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # a line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": CREDENTIALS["region_name"]})
    yield endpoint, client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)
    server.stop()


@pytest.fixture
def s3_only(settings, s3_bucket, tmp_path):
    """The settings of PRIVATE_STORAGE=s3: citizens' files and media in the bucket; the local directories the
    settings still name must stay untouched."""
    endpoint, client = s3_bucket
    options = {
        "bucket_name": BUCKET,
        "endpoint_url": endpoint,
        "region_name": "eu-west-3",
        "access_key": "testing",
        "secret_key": "testing",
        "default_acl": "private",
        "file_overwrite": False,
    }
    backend = "storages.backends.s3.S3Storage"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": backend, "OPTIONS": options},
        "default": {"BACKEND": backend, "OPTIONS": {**options, "location": "media"}},
    }
    settings.PRIVATE_ROOT = str(tmp_path / "private")
    return lambda: {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def _local_files(settings, tmp_path):
    roots = [tmp_path / "private", tmp_path / "media", settings.MEDIA_ROOT, settings.PRIVATE_ROOT]
    return [str(path) for root in map(str, roots) if os.path.exists(root) for path in os.scandir(root)]


def test_with_s3_storage_no_file_is_written_on_the_local_disk(
    s3_only, settings, tmp_path, alice, bob, organisation, teleservices, monkeypatch, django_capture_on_commit_callbacks
):
    before = s3_only()
    organisation.logo.save("logo.png", ContentFile(png_bytes((32, 32))), save=True)  # the admin's upload
    citizen, agent = Client(), Client()
    citizen.force_login(alice)
    sign_in(agent, bob)

    # alice reports a broken pavement with a photo, through the web pages.
    response = citizen.post(reverse("teleservices:start", args=["signalement-voirie"]))
    photo = png_bytes((24, 24))
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen.post(response["Location"], {**REPORT, "photo": ContentFile(photo, name="trottoir.png")})
        assert response.status_code == 302, response.content.decode()[:2000]
        response = citizen.post(response["Location"])
    report = Case.objects.submitted().get(teleservice__slug="signalement-voirie")
    assert report.files.get(name="trottoir.png").read() == photo

    # bob writes a letter on her birth-certificate request and sends it: its PDF carries the logo from the bucket.
    birth = submit(alice, teleservices["acte-de-naissance"])
    template = LetterTemplate.objects.create(
        name="Information", slug="information", kind=Kind.INFORMATION, subject="Votre demande", body="Bonjour."
    )
    with django_capture_on_commit_callbacks(execute=True):
        agent.post(reverse("backoffice:letter_new", args=[birth.reference]), {"template": template.pk})
    letter = Letter.objects.get(case=birth, template=template)
    assert letter.status == Letter.Status.READY, letter.error
    with django_capture_on_commit_callbacks(execute=True):
        agent.post(reverse("backoffice:letter_send", args=[birth.reference, letter.code]))

    # bob exports the board's long list, then the day's letters to post: both written by the worker.
    monkeypatch.setattr(exports, "EXPORT_DIRECT_MAX", 0)
    with django_capture_on_commit_callbacks(execute=True):
        agent.post(reverse("backoffice:export_create"), {"format": "xlsx", "query": "state=all"})
        day = timezone.localdate().strftime("%d/%m/%Y")
        agent.post(reverse("backoffice:letters_print"), {"department": birth.department_id, "day": day})
    listed, posted = Export.objects.order_by("pk")
    assert (listed.state, posted.state) == ("done", "done")
    for export in (listed, posted):
        download = agent.get(reverse("backoffice:export_download", args=[export.pk]))
        assert download.status_code == 200 and b"".join(download.streaming_content)

    held = s3_only() - before
    assert {f"media/{organisation.logo.name}", listed.file.name, posted.file.name} <= held
    assert {stored.file.name for stored in StoredFile.objects.all()} <= held  # the photo, the letters' PDFs
    assert _local_files(settings, tmp_path) == []


def test_the_production_settings_put_the_media_in_the_bucket_too():
    environment = {
        **os.environ,
        "PRIVATE_STORAGE": "s3",
        "S3_BUCKET": BUCKET,
        "S3_ACCESS_KEY": "k",
        "S3_SECRET_KEY": "s",
    }
    script = (
        "from django.conf import settings; d = settings.STORAGES['default']; "
        "print(d['BACKEND'], d['OPTIONS']['bucket_name'], d['OPTIONS']['location'])"
    )
    environment["DJANGO_SETTINGS_MODULE"] = "gru.settings"
    result = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True
    ).stdout
    assert result.split() == ["storages.backends.s3.S3Storage", BUCKET, "media"]


def _csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.mark.django_db(transaction=True)
def test_a_draft_saved_through_one_web_server_is_submitted_through_another(alice, teleservices, settings, tmp_path):
    # The servers check passwords with the production hashers (the tests' MD5 is theirs only).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    alice.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    alice.save(update_fields=["password"])
    settings.SECRET_KEY = WEB_SECRET_KEY  # to read the sessions the servers sign
    environment = portal_environment(database=database_url(), directory=tmp_path)
    browser = requests.Session()
    with (
        web_process(environment=environment, log=tmp_path / "web-1.log") as one,
        web_process(environment=environment, log=tmp_path / "web-2.log") as two,
    ):
        assert one != two
        login = browser.get(f"{one}/compte/login/")
        response = browser.post(
            f"{one}/compte/login/",
            {"csrfmiddlewaretoken": _csrf(login.text), "login": alice.email, "password": PASSWORD},
            headers={"Referer": f"{one}/compte/login/"},
            allow_redirects=False,
        )
        assert response.status_code == 302, response.text[:2000]
        assert Session.objects.get(session_key=browser.cookies["sessionid"]).get_decoded()["_auth_user_id"] == str(
            alice.pk
        )

        # Through the first server: the draft starts and its page is saved.
        start = browser.get(f"{one}/demarches/signalement-voirie/")
        response = browser.post(
            f"{one}/demarches/signalement-voirie/", {"csrfmiddlewaretoken": _csrf(start.text)}, allow_redirects=False
        )
        fill = f"{one}{response.headers['Location']}"
        page = browser.get(fill)
        photo = png_bytes((24, 24))
        response = browser.post(
            fill,
            {**REPORT, "csrfmiddlewaretoken": _csrf(page.text)},
            files={"photo": ("trottoir.png", photo, "image/png")},
            allow_redirects=False,
        )
        assert response.status_code == 302, response.text[:2000]
        review = response.headers["Location"]
        draft = Case.objects.drafts().get(user=alice)
        assert draft.data["localisation"] == "Place du marché"

        # Through the second server, with the same cookies: alice is signed in, sees her photo, and sends it.
        page = browser.get(f"{two}{review}")
        assert page.status_code == 200 and "Place du marché" in page.text and "trottoir.png" in page.text
        assert browser.get(f"{two}{draft.files.get().get_absolute_url()}").content == photo
        response = browser.post(f"{two}{review}", {"csrfmiddlewaretoken": _csrf(page.text)}, allow_redirects=False)
        assert response.status_code == 302, response.text[:2000]
    case = Case.objects.get(pk=draft.pk)
    assert case.submitted_at is not None and response.headers["Location"].endswith(f"/{case.reference}/confirmation/")
