"""On a phone (390 × 844), alice types the dates of "Occupation du domaine public" with the numeric keypad, which has
no "/": "10122026" goes through. An end before the start is refused in the error summary, which takes the focus and
leads to the field, what she typed still there."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from teleservices.models import Case
from tests.browser.conftest import assert_accessible, occupation_request_at_its_second_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTINUE = "button[value='continue']:not([aria-hidden])"


def test_dates_typed_as_digits_go_through_and_an_end_before_the_start_is_refused(page, alice, teleservices):
    occupation_request_at_its_second_page(page, alice.email)

    start = timezone.localdate() + datetime.timedelta(days=20)
    day_before = start - datetime.timedelta(days=1)
    page.get_by_label("Terrasse").check()
    expect(page.locator("#id_date_debut")).to_have_attribute("inputmode", "numeric")
    page.fill("#id_date_debut", f"{start:%d%m%Y}")
    page.fill("#id_date_fin", f"{day_before:%d%m%Y}")
    page.fill("#id_surface", "12")
    page.fill("#id_lieu__street", "1 place du Marché")
    page.fill("#id_lieu__postcode", "45190")
    page.fill("#id_lieu__city", "Beaulieu-sur-Loire")
    page.locator(CONTINUE).click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="Dernier jour")
    expect(link).to_contain_text("ne peut pas être avant « Premier jour »")
    assert_accessible(page)
    link.click()
    expect(page.locator("#id_date_fin")).to_be_focused()
    expect(page.locator("#id_date_fin")).to_have_value(f"{day_before:%d%m%Y}")  # as she typed it
    expect(page.locator("#id_date_debut")).to_have_value(f"{start:%d%m%Y}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"

    page.fill("#id_date_fin", f"{start:%d%m%Y}")
    page.locator(CONTINUE).click()
    page.wait_for_url(lambda url: "/etape/3/" in url)  # the fragment of the error link stays
    case = Case.objects.filter(teleservice=teleservices["occupation-domaine-public"], user=alice).latest("created_at")
    assert case.data["date_debut"] == case.data["date_fin"] == start.isoformat()
