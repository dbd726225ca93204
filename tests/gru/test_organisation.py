import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from gru.admin import OrganisationAdmin
from gru.colours import contrast_ratio
from gru.demo import _logo_png
from gru.models import Organisation


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_a_theme_colour_too_light_for_white_text_is_refused_with_a_french_message(db):
    organisation = Organisation(name="Ville", primary_colour="#ffcc00", accent_colour="#8a3b12")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "trop claire" in str(error.value.message_dict["primary_colour"])


def test_a_colour_that_is_not_hexadecimal_is_refused(db):
    organisation = Organisation(name="Ville", primary_colour="red;}", accent_colour="#8a3b12")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "primary_colour" in error.value.message_dict


def test_pages_use_the_collectivites_name_and_colours(client, db):
    Organisation.objects.create(name="Commune de Valmont", primary_colour="#004d40")
    page = client.get(reverse("home")).content.decode()
    assert "Commune de Valmont" in page
    assert "--primary: #004d40" in page


def test_the_theme_style_carries_the_csp_nonce(client, organisation):
    response = client.get(reverse("home"))
    nonce = response.wsgi_request.csp_nonce
    assert f'<style nonce="{nonce}">' in response.content.decode()
    assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]


def test_the_logo_is_served_publicly_when_there_is_one(client, organisation):
    assert client.get(reverse("organisation_logo")).status_code == 404
    organisation.logo.save("logo.png", ContentFile(_logo_png("#1d4f91")))
    response = client.get(reverse("organisation_logo"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_only_one_collectivite_can_be_added_in_the_admin(organisation):
    assert not OrganisationAdmin(Organisation, site).has_add_permission(None)
