import datetime

from django.urls import reverse
from django.utils import timezone

from portal.models import User

PROFILE = {
    "first_name": "Alice",
    "last_name": "Martin",
    "birth_date": "1986-04-12",
    "phone": "06 12 34 56 78",
    "preferred_channel": "email",
}


def test_anonymous_visitor_is_sent_to_login_from_the_profile(client, db):
    response = client.get(reverse("portal:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_alice_updates_her_profile_and_her_phone_is_stored_in_international_format(alice_client, alice):
    response = alice_client.post(reverse("portal:profile"), {**PROFILE, "first_name": "Alicia"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.first_name == "Alicia"
    assert alice.phone == "+33612345678"
    assert alice.household_member.first_name == "Alicia"


def test_a_bad_phone_number_is_explained_in_french_and_nothing_typed_is_lost(alice_client, alice):
    response = alice_client.post(reverse("portal:profile"), {**PROFILE, "first_name": "Alicia", "phone": "12"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez un numéro de téléphone valide" in content
    assert 'value="Alicia"' in content
    assert 'aria-invalid="true"' in content
    alice.refresh_from_db()
    assert alice.first_name == "Alice"


def test_text_messages_need_a_phone_number(alice_client, settings):
    settings.SMS_ENABLED = True
    response = alice_client.post(reverse("portal:profile"), {**PROFILE, "phone": "", "preferred_channel": "sms"})
    assert response.status_code == 200
    assert 'id="id_phone_error"' in response.content.decode()


def test_names_certified_by_franceconnect_cannot_be_changed(client, alice):
    User.objects.filter(pk=alice.pk).update(identity_certified_at=timezone.now())
    client.force_login(alice)
    response = client.post(
        reverse("portal:profile"), {**PROFILE, "first_name": "Mallory", "birth_date": "2000-01-01", "phone": ""}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.first_name == "Alice"
    assert alice.birth_date == datetime.date(1990, 5, 17)
    page = client.get(reverse("portal:profile")).content.decode()
    assert "Certifié par FranceConnect" in page
    assert "disabled" in page


def test_profile_refuses_other_methods(alice_client):
    assert alice_client.delete(reverse("portal:profile")).status_code == 405


def test_the_citizen_space_lists_the_household_in_constant_queries(alice_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = alice_client.get(reverse("portal:space"))
    assert "4 membres" in response.content.decode()
