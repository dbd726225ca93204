"""The restore drill: a request with an encrypted attachment and a signed letter, backed up by bin/backup, restored by
bin/restore into a new database and new storage directories; the portal started on them serves, its file decrypts to
the bytes uploaded and its letter's signature still verifies. The keys were never in the backup: the restored portal
gets them from its environment, as in production."""

import base64
import hashlib
import json
import os
import subprocess
import sys
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.db import connection

from letters import services as letters_services
from letters.models import Kind, Letter, LetterTemplate
from teleservices import services
from teleservices.letters_context import letter_context
from tests.backoffice.conftest import submit
from tests.letters.pki import PASSWORD, make_pki
from tests.teleservices.conftest import png_bytes
from tests.web_processes import database_url, portal_environment, web_process
from vault.files import CheckedFile

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT_TIMEOUT = 120  # seconds, for each of bin/backup, bin/restore and the check (a busy machine included)

# Run by the portal's own code on the restored database: what an operator checks after a restore.
CHECK = """
import io, json, os
import django
django.setup()
from django.core.management import call_command
from asn1crypto import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import validation
from pyhanko_certvalidator import ValidationContext
from letters.models import Letter
from teleservices.models import Case

call_command("check")
case = Case.objects.get(reference=os.environ["DRILL_CASE"])
attachment = case.files.get(name="trottoir.png").read()
letter = Letter.objects.get(code=os.environ["DRILL_LETTER"])
with open(os.environ["DRILL_ROOT"], "rb") as root:
    context = ValidationContext(trust_roots=[x509.Certificate.load(root.read())])
signature = PdfFileReader(io.BytesIO(letter.pdf.read())).embedded_signatures[0]
status = validation.validate_pdf_signature(signature, context)
with open(os.environ["DRILL_RESULT"], "w") as result:
    json.dump({"attachment": attachment.hex(), "intact": status.intact, "trusted": status.trusted,
               "valid": status.bottom_line}, result)
"""


def _run(command, environment):
    result = subprocess.run(
        command, cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=SCRIPT_TIMEOUT
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def restored_database():
    """A fresh database name on the test's server, dropped at the end."""
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restored_into_a_new_database_serves_the_same_files_and_signed_letters(
    alice, bob, teleservices, settings, tmp_path, restored_database
):
    key = os.urandom(32)
    settings.FILE_ENCRYPTION_KEYS = {"drill": key}
    keys = f"drill:{base64.urlsafe_b64encode(key).decode()}"
    (tmp_path / "keys").mkdir()  # kept apart from the storage, as in production
    pki = make_pki(tmp_path / "keys")
    settings.LETTER_SIGNING_P12, settings.LETTER_SIGNING_PASSWORD = str(pki.p12), PASSWORD

    photo = png_bytes((16, 16))
    draft = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
    answers = {**draft.data, "categorie": "proprete", "localisation": "Place du marché"}
    draft = services.case_page_save(
        case=draft, answers=answers, files={"photo": CheckedFile(photo, "image/png", "trottoir.png")}, page=1
    )
    reported = services.case_submit(case=draft)
    birth = submit(alice, teleservices["acte-de-naissance"])
    template = LetterTemplate.objects.create(
        name="Délivrance", slug="delivrance", kind=Kind.DECISION, signed=True, subject="Votre acte", body="Accordé."
    )
    letter = letters_services.letter_create(
        case=birth, template=template, context=letter_context(case=birth, agent=bob), author=bob
    )  # generated and signed at the commit (tasks run inline)
    letter = letters_services.case_letter_send(letter=Letter.objects.get(pk=letter.pk), actor=bob)
    assert letter.signed and reported.files.get(name="trottoir.png").key_id == "drill"

    live = portal_environment(database=database_url(), directory=tmp_path, FILE_ENCRYPTION_KEYS=keys)
    live["PRIVATE_ROOT"] = settings.STORAGES["private"]["OPTIONS"]["location"]  # where the test's files are
    live["LETTER_SIGNING_P12"], live["LETTER_SIGNING_PASSWORD"] = str(pki.p12), PASSWORD
    output = _run(["bin/backup", str(tmp_path / "backups")], live)
    (backup,) = (tmp_path / "backups").iterdir()
    assert "NOT in the backup" in output and "FILE_ENCRYPTION_KEYS" in output
    assert sorted(path.name for path in backup.iterdir()) == [
        "MANIFEST.txt",
        "SHA256SUMS",
        "database.dump",
        "media",
        "private",
    ]
    kept = [path.read_bytes() for path in backup.rglob("*") if path.is_file()]
    assert pki.p12.read_bytes() not in kept and not any(key in content for content in kept)
    assert not any(photo in content for content in kept)  # the attachment is there, encrypted only

    restored = portal_environment(
        database=database_url(restored_database), directory=tmp_path / "restored", FILE_ENCRYPTION_KEYS=keys
    )
    output = _run(["bin/restore", str(backup)], restored)
    assert f"Restored {backup}" in output
    refused = subprocess.run(["bin/restore", str(backup)], cwd=settings.BASE_DIR, env=restored, capture_output=True)
    assert refused.returncode != 0  # never over a database or directory holding something

    (tmp_path / "root.der").write_bytes(pki.root.dump())
    checks = {"DRILL_CASE": reported.reference, "DRILL_LETTER": letter.code, "DRILL_ROOT": str(tmp_path / "root.der")}
    checks["DRILL_RESULT"] = str(tmp_path / "check.json")
    check = subprocess.Popen(  # while the portal starts beside it
        [sys.executable, "-c", CHECK], cwd=settings.BASE_DIR, env=restored | checks, stderr=subprocess.PIPE
    )
    with web_process(environment=restored, log=tmp_path / "restored-web.log") as url:
        with urllib.request.urlopen(f"{url}/verifier/{letter.code}/") as page:  # noqa: S310 (loopback)
            assert page.status == 200 and "A**** M*****" in page.read().decode()  # the restored letter answers
    _output, errors = check.communicate(timeout=SCRIPT_TIMEOUT)
    assert check.returncode == 0, errors.decode()
    result = json.loads((tmp_path / "check.json").read_text())
    assert bytes.fromhex(result.pop("attachment")) == photo
    assert result == {"intact": True, "trusted": True, "valid": True}
    assert hashlib.sha256(photo).hexdigest() == reported.files.get(name="trottoir.png").sha256
