import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("selection", ["--untranslated", "--only-fuzzy"])
def test_the_french_catalogue_has_no_untranslated_or_fuzzy_entry(selection):
    result = subprocess.run(
        ["msgattrib", selection, "--no-obsolete", str(CATALOGUE)], capture_output=True, text=True, check=True
    )
    entries = [line for line in result.stdout.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
    assert entries == []


def test_the_french_catalogue_compiles_without_error():
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(CATALOGUE)], check=True)


def test_pages_are_in_french_by_default(client, organisation):
    response = client.get(reverse("home"))
    assert response.headers["Content-Language"] == "fr"
    assert '<html lang="fr">' in response.content.decode()
    assert "Créer un compte" in response.content.decode()


def test_english_can_be_chosen_and_is_remembered(client, organisation):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in page
    assert "Create an account" in page
