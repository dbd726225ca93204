"""Citizens' files on S3-compatible object storage (django-storages), against moto's S3 server: what the bucket
holds is ciphertext, and the portal serves the file decrypted."""

import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from tests.teleservices.conftest import pdf_bytes
from vault import demo
from vault.models import Document

BUCKET = "gru-fichiers"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "eu-west-3"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint, **CREDENTIALS).create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": CREDENTIALS["region_name"]}
    )
    yield endpoint
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    options = {
        "bucket_name": BUCKET,
        "endpoint_url": s3_endpoint,
        "region_name": CREDENTIALS["region_name"],
        "access_key": "testing",
        "secret_key": "testing",
        "default_acl": "private",
        "file_overwrite": False,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    return boto3.client("s3", endpoint_url=s3_endpoint, **CREDENTIALS)


def test_a_document_is_kept_encrypted_in_the_bucket_and_served_decrypted(alice_client, s3_storage):
    content = pdf_bytes()
    page = SimpleUploadedFile("avis.pdf", content, "application/pdf")
    kind = demo.seed()["avis-imposition"]
    response = alice_client.post(
        reverse("vault:document_add"), {"type": kind.pk, "issued_on": "02/11/2025", "pages": [page]}
    )
    assert response.status_code == 302
    stored = Document.objects.get().files.get()
    held = s3_storage.get_object(Bucket=BUCKET, Key=stored.file.name)["Body"].read()
    assert b"%PDF" not in held and len(held) == len(content) + 28
    served = alice_client.get(stored.get_absolute_url())
    assert b"".join(served.streaming_content) == content


def test_the_production_settings_select_s3_from_the_environment():
    env = {**os.environ, "PRIVATE_STORAGE": "s3", "S3_BUCKET": BUCKET, "S3_ACCESS_KEY": "k", "S3_SECRET_KEY": "s"}
    script = "import django; django.setup(); from django.conf import settings; print(settings.STORAGES['private'])"
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True).stdout
    assert "storages.backends.s3.S3Storage" in out and BUCKET in out
